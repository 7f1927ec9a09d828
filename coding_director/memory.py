"""Conversation memory: LangGraph's SQLite checkpointer on a file that outlives the process."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from langgraph.checkpoint.sqlite import SqliteSaver


def sqlite_checkpointer(path: Path) -> SqliteSaver:
    """A long-lived saver; `check_same_thread=False` because LangGraph writes from worker threads."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, check_same_thread=False)
    saver = SqliteSaver(connection)
    saver.setup()
    return saver


def list_threads(saver: SqliteSaver) -> list[str]:
    """Thread ids with at least one checkpoint, most recently written first."""
    with saver.lock:
        rows = saver.conn.execute(
            "SELECT thread_id, MAX(rowid) AS last FROM checkpoints GROUP BY thread_id ORDER BY last DESC"
        ).fetchall()
    return [row[0] for row in rows]
