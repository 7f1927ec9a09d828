"""PostgreSQL as the shared store: conversation memory, the answer cache, the negative record, the run
log and the per-thread locks, in one database that many workers on many machines share.

psycopg 3 with a psycopg_pool connection pool (what LangGraph's PostgresSaver is built on); schema
changes are numbered migrations applied under an advisory lock, so workers starting together
never race on CREATE TABLE.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import Iterator
from typing import Any, cast

from langgraph.checkpoint.postgres import PostgresSaver
from psycopg import Connection, Cursor, OperationalError
from psycopg.rows import DictRow, dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

from coding_director.core.cache import CachedAnswer
from coding_director.core.redaction import redact, redact_url_password
from coding_director.core.store import StoreUnavailable
from coding_director.core.thread_lock import ThreadBusy

#: Advisory-lock namespace (the first int4 key): migrations, then per-thread locks under a second key.
_MIGRATION_LOCK = 0x43440001
_THREAD_LOCKS = 0x43440002

#: Numbered schema changes (each a list of statements), applied once each in order; append a new
#: one for a change, never edit one that has shipped.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE cd_answers (key TEXT PRIMARY KEY, answer TEXT NOT NULL, tier TEXT, model TEXT, "
        "created DOUBLE PRECISION NOT NULL)",
        "CREATE TABLE cd_outcomes (model TEXT NOT NULL, category TEXT NOT NULL, check_kind TEXT NOT NULL, "
        "count BIGINT NOT NULL, PRIMARY KEY (model, category, check_kind))",
        "CREATE TABLE cd_runs (id BIGSERIAL PRIMARY KEY, logged TIMESTAMPTZ NOT NULL DEFAULT now(), "
        "record JSONB NOT NULL)",
    ),
)


log = logging.getLogger(__name__)

#: The pool's connections return rows as dicts (`row_factory=dict_row`).
DictPool = ConnectionPool[Connection[DictRow]]


def open_pool(url: str, *, max_size: int = 16, timeout_s: float = 10.0) -> DictPool:
    """A pool on DATABASE_URL with the schema migrated; StoreUnavailable when the database does not answer.

    A request waits at most `timeout_s` for a connection, so a database that went away fails the
    request with a clear error in bounded time; the pool reconnects by itself when it is back.
    """
    pool = ConnectionPool(
        url,
        min_size=1,
        max_size=max_size,
        timeout=timeout_s,
        kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
        check=ConnectionPool.check_connection,  # a connection that died with the server is replaced, not reused
        open=False,
        name="coding-director",
    )
    typed = cast(DictPool, pool)
    try:
        typed.open(wait=True, timeout=timeout_s)
        migrate(typed)
    except (PoolTimeout, OSError, Exception) as exc:
        typed.close()
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreUnavailable(
            f"cannot use the database at DATABASE_URL={redact_url_password(url)}: {redact(detail, [url])}"
        ) from None
    return typed


def migrate(pool: DictPool) -> int:
    """Apply the migrations not yet applied (ours and LangGraph's checkpointer's); returns our version.

    Workers that start together take turns on one advisory lock, so each change runs exactly once.
    They poll for it rather than wait inside a statement: LangGraph's migrations build indexes
    CONCURRENTLY, which wait for every open statement — a waiting worker's included (a deadlock).
    """
    with pool.connection() as conn:
        while not _try_lock(conn, _MIGRATION_LOCK):
            time.sleep(0.05)
        try:
            with conn.transaction():
                conn.execute("CREATE TABLE IF NOT EXISTS cd_schema (version INTEGER NOT NULL)")
                row = conn.execute("SELECT max(version) AS version FROM cd_schema").fetchone()
                version = (row or {}).get("version") or 0
                for number, statements in enumerate(MIGRATIONS[version:], start=version + 1):
                    for statement in statements:
                        conn.execute(statement)
                    conn.execute("INSERT INTO cd_schema (version) VALUES (%s)", (number,))
                    version = number
            PostgresSaver(conn).setup()  # its own migrations, under our lock
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_MIGRATION_LOCK,))
    return version


def _try_lock(conn: Connection[DictRow], *keys: int | str) -> bool:
    """A session advisory lock on `keys` (one int, or an int and a name hashed to one), without waiting."""
    if len(keys) == 1:
        row = conn.execute("SELECT pg_try_advisory_lock(%s) AS got", keys).fetchone()
    else:
        row = conn.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s)) AS got", keys).fetchone()
    return bool(row and row["got"])


def _gone(pool: DictPool, exc: BaseException, what: str) -> StoreUnavailable:
    """The error a request gets when the database stops answering mid-run, password redacted."""
    url = pool.conninfo if isinstance(pool.conninfo, str) else ""
    where = redact_url_password(url) if "://" in url else "DATABASE_URL"
    detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return StoreUnavailable(
        f"the database at {where} stopped answering ({redact(detail, [url] if url else [])}); {what}. "
        "Retry once it is back: the conversation is as it was before its last saved step."
    )


class ReportingPostgresSaver(PostgresSaver):
    """LangGraph's PostgresSaver whose lost-database errors say what happened (StoreUnavailable).

    Each step's checkpoint is one transaction, so a failure leaves the thread at its last whole
    step: nothing is half-written, and the turn can be retried on any worker.
    """

    @contextlib.contextmanager
    def _cursor(self, *, pipeline: bool = False) -> Iterator[Cursor[Any]]:
        try:
            with super()._cursor(pipeline=pipeline) as cur:
                yield cur
        except (OperationalError, PoolTimeout) as exc:
            raise _gone(self.conn, exc, "this step was not saved") from None  # type: ignore[arg-type]


def postgres_checkpointer(pool: DictPool) -> PostgresSaver:
    return ReportingPostgresSaver(pool)


class PostgresAnswerCache:
    """The answer cache and the negative record, shared by every worker (same interface as AnswerCache)."""

    def __init__(self, pool: DictPool, ttl_s: float):
        self.pool = pool
        self.ttl_s = ttl_s

    @contextlib.contextmanager
    def _soft(self, what: str) -> Iterator[None]:
        """The cache only saves time: a lost database is a warning here, never the request's failure."""
        try:
            yield
        except (OperationalError, PoolTimeout) as exc:
            log.warning("%s", _gone(self.pool, exc, what))

    def get(self, key: str) -> CachedAnswer | None:
        try:
            with self.pool.connection() as conn:
                row = conn.execute(
                    "SELECT answer, tier, model, created FROM cd_answers WHERE key = %s", (key,)
                ).fetchone()
        except (OperationalError, PoolTimeout) as exc:  # the cache only saves time: answer anew
            log.warning("%s", _gone(self.pool, exc, "the answer cache is skipped for this request"))
            return None
        if row is None:
            return None
        age = time.time() - row["created"]
        return None if age > self.ttl_s else CachedAnswer(row["answer"], row["tier"], row["model"], age)

    def put(self, key: str, answer: str, tier: str, model: str) -> None:
        with self._soft("the answer was not cached"), self.pool.connection() as conn:
            conn.execute(
                "INSERT INTO cd_answers (key, answer, tier, model, created) VALUES (%s, %s, %s, %s, %s) "
                "ON CONFLICT (key) DO UPDATE SET answer = EXCLUDED.answer, tier = EXCLUDED.tier, "
                "model = EXCLUDED.model, created = EXCLUDED.created",
                (key, answer, tier, model, time.time()),
            )

    def record(self, model: str, category: str, check_kind: str) -> None:
        with self._soft("the negative record was not updated"), self.pool.connection() as conn:
            conn.execute(
                "INSERT INTO cd_outcomes (model, category, check_kind, count) VALUES (%s, %s, %s, 1) "
                "ON CONFLICT (model, category, check_kind) DO UPDATE SET count = cd_outcomes.count + 1",
                (model, category, check_kind),
            )

    def failures(self, model: str, category: str) -> tuple[int, int]:
        with self.pool.connection() as conn:
            rows = conn.execute(
                "SELECT check_kind, count FROM cd_outcomes WHERE model = %s AND category = %s", (model, category)
            ).fetchall()
        passed = sum(r["count"] for r in rows if r["check_kind"] == "passed")
        return sum(r["count"] for r in rows if r["check_kind"] != "passed"), passed

    def negative_record(self) -> list[tuple[str, str, str, int]]:
        with self.pool.connection() as conn:
            rows = conn.execute(
                "SELECT model, category, check_kind, count FROM cd_outcomes WHERE check_kind != 'passed' "
                "ORDER BY count DESC, model"
            ).fetchall()
        return [(r["model"], r["category"], r["check_kind"], r["count"]) for r in rows]


class PostgresRunLog:
    """The run log as rows of JSON; `stats` reads it back (same interface as RunLog)."""

    def __init__(self, pool: DictPool, secrets: list[str] | None = None):
        self.pool = pool
        self.secrets = list(secrets or [])

    def append(self, record: dict[str, Any]) -> None:
        line = redact(json.dumps(record, ensure_ascii=False, default=str), self.secrets)
        try:
            with self.pool.connection() as conn:
                conn.execute("INSERT INTO cd_runs (record) VALUES (%s::jsonb)", (line,))
        except (OperationalError, PoolTimeout) as exc:
            raise _gone(self.pool, exc, "this request's run-log line was not written") from None

    def records(self) -> list[dict[str, Any]]:
        with self.pool.connection() as conn:
            rows = conn.execute("SELECT record FROM cd_runs ORDER BY id").fetchall()
        return [r["record"] for r in rows]


class PostgresThreadLocks:
    """One request at a time per conversation, across processes and machines: a session advisory lock.

    The lock lives on a connection held for the request; if the worker dies (even SIGKILL), the
    server ends its session and the lock is released, so the thread can be retried elsewhere.
    """

    def __init__(self, pool: DictPool, poll_s: float = 0.05):
        self.pool = pool
        self.poll_s = poll_s

    @contextlib.contextmanager
    def hold(self, thread_id: str, wait_s: float) -> Iterator[None]:
        with self.pool.connection() as conn:
            self._acquire(conn, thread_id, wait_s)
            try:
                yield
            finally:
                with contextlib.suppress(Exception):  # a dropped connection has released it already
                    conn.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", (_THREAD_LOCKS, thread_id))

    def _acquire(self, conn: Connection[DictRow], thread_id: str, wait_s: float) -> None:
        started = time.monotonic()
        while True:
            if _try_lock(conn, _THREAD_LOCKS, thread_id):
                return
            if time.monotonic() - started >= wait_s:
                raise ThreadBusy(thread_id, time.monotonic() - started)
            time.sleep(self.poll_s)
