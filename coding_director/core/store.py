"""Where shared state lives: SQLite files in the data dir (one user, the default), or one PostgreSQL
database that many workers share (`DATABASE_URL=postgresql://…`).

`open_store(settings)` is the one place that decides; the graph, the CLI, `stats` and the server ask it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from langgraph.checkpoint.base import BaseCheckpointSaver

from coding_director.core.cache import AnswerCache, CachedAnswer
from coding_director.core.redaction import redact_url_password
from coding_director.core.runlog import RunLog
from coding_director.core.settings import Settings
from coding_director.core.thread_lock import FileThreadLocks, ThreadLocks


class StoreUnavailable(RuntimeError):
    """The configured store cannot be opened; the message says which and what to do."""


class Cache(Protocol):
    """The verdict-aware answer cache and the negative record."""

    def get(self, key: str) -> CachedAnswer | None: ...
    def put(self, key: str, answer: str, tier: str, model: str) -> None: ...
    def record(self, model: str, category: str, check_kind: str) -> None: ...
    def failures(self, model: str, category: str) -> tuple[int, int]: ...
    def negative_record(self) -> list[tuple[str, str, str, int]]: ...


class Log(Protocol):
    """The run log: one record per request."""

    def append(self, record: dict[str, Any]) -> None: ...
    def records(self) -> list[dict[str, Any]]: ...


@dataclass
class Store:
    kind: str
    """"sqlite" or "postgres"."""
    where: str
    """Where it is, for messages (a password in a URL is redacted)."""
    cache: Cache
    run_log: Log
    locks: ThreadLocks
    """One request at a time per conversation thread, across processes (see core/thread_lock.py)."""
    _pool: Any = field(default=None, repr=False)
    _memory: Path | None = field(default=None, repr=False)

    def checkpointer(self, memory_path: Path | None = None) -> BaseCheckpointSaver:
        """Conversation memory in this store (`memory_path` picks another SQLite file)."""
        if self.kind == "postgres" and memory_path is None:
            from coding_director.core.postgres import postgres_checkpointer

            return postgres_checkpointer(self._pool)
        from coding_director.core.memory import sqlite_checkpointer

        return sqlite_checkpointer(memory_path or self._memory)  # type: ignore[arg-type]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()


def open_store(settings: Settings) -> Store:
    """The configured store; raises StoreUnavailable (naming DATABASE_URL) when PostgreSQL does not answer."""
    if settings.database_url:
        try:
            from coding_director.core.postgres import (
                PostgresAnswerCache,
                PostgresRunLog,
                PostgresThreadLocks,
                open_pool,
            )
        except ImportError as exc:
            raise StoreUnavailable(
                f"DATABASE_URL is set but PostgreSQL support is not installed ({exc.name}): "
                "pip install 'coding-director[postgres]'"
            ) from None

        pool = open_pool(settings.database_url)
        return Store(
            kind="postgres",
            where=redact_url_password(settings.database_url),
            cache=PostgresAnswerCache(pool, settings.cache_ttl_s),
            run_log=PostgresRunLog(pool, settings.secrets),
            locks=PostgresThreadLocks(pool),
            _pool=pool,
        )
    return Store(
        kind="sqlite",
        where=str(settings.data_dir),
        cache=AnswerCache(settings.cache_file, settings.cache_ttl_s),
        run_log=RunLog(settings.run_log_file, settings.secrets),
        locks=FileThreadLocks(settings.thread_locks_dir),
        _memory=settings.memory_file,
    )
