"""A verdict-aware answer cache, and the record of which models keep failing which checks.

Only answers that passed validation are stored; a failed answer is never served. Entries are
keyed by the normalised request, its route and the tags of the answering models, so changing
a model invalidates what it would have answered.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    key TEXT PRIMARY KEY, answer TEXT NOT NULL, tier TEXT, model TEXT, created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS outcomes (
    model TEXT NOT NULL, category TEXT NOT NULL, check_kind TEXT NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (model, category, check_kind)
);
"""


@dataclass(frozen=True, slots=True)
class CachedAnswer:
    answer: str
    tier: str
    model: str
    age_s: float


def normalise(request: str) -> str:
    return re.sub(r"\s+", " ", request).strip().lower()


def cache_key(request: str, category: str, models: list[str]) -> str:
    material = json.dumps([normalise(request), category, sorted(models)])
    return hashlib.sha256(material.encode()).hexdigest()


class AnswerCache:
    def __init__(self, path: Path, ttl_s: float):
        self.path = Path(path)
        self.ttl_s = ttl_s
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._conn = self._open()
            except sqlite3.DatabaseError as exc:
                if isinstance(exc, sqlite3.OperationalError):  # locked, unreadable: not ours to move
                    raise
                self._conn = self._rebuild(exc)
        return self._conn

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        try:
            conn.executescript(_SCHEMA)
            conn.execute("SELECT count(*) FROM answers").fetchone()
        except sqlite3.Error:
            conn.close()
            raise
        return conn

    def _rebuild(self, exc: sqlite3.Error) -> sqlite3.Connection:
        """The cache is only an optimisation: a corrupt file is moved aside (kept, not deleted) and rebuilt."""
        aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        self.path.replace(aside)
        for suffix in ("-wal", "-shm", "-journal"):
            self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
        log.warning(
            "the answer cache %s was corrupt (%s): moved it to %s and started an empty one", self.path, exc, aside
        )
        return self._open()

    def get(self, key: str) -> CachedAnswer | None:
        with self._lock:
            row = (
                self._db().execute("SELECT answer, tier, model, created FROM answers WHERE key = ?", (key,)).fetchone()
            )
        if row is None:
            return None
        age = time.time() - row[3]
        if age > self.ttl_s:
            return None
        return CachedAnswer(row[0], row[1], row[2], age)

    def put(self, key: str, answer: str, tier: str, model: str) -> None:
        with self._lock:
            db = self._db()
            db.execute(
                "INSERT OR REPLACE INTO answers (key, answer, tier, model, created) VALUES (?, ?, ?, ?, ?)",
                (key, answer, tier, model, time.time()),
            )
            db.commit()

    def record(self, model: str, category: str, check_kind: str) -> None:
        """Count one verdict: `check_kind` is a failed check's kind, or "passed"."""
        with self._lock:
            db = self._db()
            db.execute(
                "INSERT INTO outcomes (model, category, check_kind, count) VALUES (?, ?, ?, 1) "
                "ON CONFLICT (model, category, check_kind) DO UPDATE SET count = count + 1",
                (model, category, check_kind),
            )
            db.commit()

    def failures(self, model: str, category: str) -> tuple[int, int]:
        """(failed verdicts, passed verdicts) of `model` on requests of `category`."""
        with self._lock:
            rows = (
                self._db()
                .execute("SELECT check_kind, count FROM outcomes WHERE model = ? AND category = ?", (model, category))
                .fetchall()
            )
        passed = sum(c for kind, c in rows if kind == "passed")
        return sum(c for kind, c in rows if kind != "passed"), passed

    def negative_record(self) -> list[tuple[str, str, str, int]]:
        """(model, category, failing check, count), most frequent first."""
        if not self.path.exists():
            return []
        with self._lock:
            return (
                self._db()
                .execute(
                    "SELECT model, category, check_kind, count FROM outcomes WHERE check_kind != 'passed' "
                    "ORDER BY count DESC, model"
                )
                .fetchall()
            )
