"""Conversation memory: LangGraph's SQLite checkpointer on a file that outlives the process."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from langgraph.checkpoint.sqlite import SqliteSaver


class MemoryUnavailable(RuntimeError):
    """The memory file cannot be created or opened; the message says where and what to change."""


def _setup_with_retries(saver: SqliteSaver, attempts: int = 40) -> None:
    """Create the tables (and switch to WAL) even while another process does the same.

    Switching the journal mode can answer "database is locked" at once, without waiting for the
    busy timeout, when two processes open a new file together (two notebooks starting at once).
    """
    for attempt in range(attempts):
        try:
            saver.setup()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def sqlite_checkpointer(path: Path) -> SqliteSaver:
    """A long-lived saver; `check_same_thread=False` because LangGraph writes from worker threads."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # a generous busy timeout: two processes (two notebooks, a chat and Studio) may share the file
        connection = sqlite3.connect(path, check_same_thread=False, timeout=30)
        saver = SqliteSaver(connection)
        _setup_with_retries(saver)
    except sqlite3.DatabaseError as exc:
        if not isinstance(exc, sqlite3.OperationalError):  # "file is not a database", "malformed"
            raise MemoryUnavailable(
                f"the memory file {path} is corrupt ({exc}); it was left as it is. Move it aside to start with "
                f"empty memory (mv {path} {path}.bad), or point MEMORY_DB at another file."
            ) from None
        raise MemoryUnavailable(
            f"cannot use the memory file {path}: {exc}. Point CODING_DIRECTOR_HOME or MEMORY_DB at a writable place."
        ) from None
    except (OSError, sqlite3.Error) as exc:
        raise MemoryUnavailable(
            f"cannot use the memory file {path}: {exc}. Point CODING_DIRECTOR_HOME or MEMORY_DB at a writable place."
        ) from None
    return saver


def list_threads(saver: SqliteSaver) -> list[str]:
    """Thread ids with at least one checkpoint, most recently written first."""
    with saver.lock:
        rows = saver.conn.execute(
            "SELECT thread_id, MAX(rowid) AS last FROM checkpoints GROUP BY thread_id ORDER BY last DESC"
        ).fetchall()
    return [row[0] for row in rows]
