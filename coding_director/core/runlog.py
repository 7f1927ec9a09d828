"""The run log: one JSON line per request, appended to a file in the user's data dir."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Any

from coding_director.core.redaction import redact

log = logging.getLogger(__name__)


class RunLog:
    """Appends records; a log that cannot be written warns once and never breaks an answer."""

    def __init__(self, path: Path, secrets: list[str] | None = None):
        self.path = Path(path)
        self.secrets = list(secrets or [])
        self._lock = threading.Lock()
        self._warned = False
        self.skipped = 0
        """Lines the last `records()` could not use (torn by a crash, or not a run record)."""

    def append(self, record: dict[str, Any]) -> None:
        line = redact(json.dumps(record, ensure_ascii=False, default=str), self.secrets)
        try:
            with self._lock:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("a", encoding="utf-8") as handle:
                    handle.write(line + "\n")
        except OSError as exc:
            if not self._warned:
                log.warning("cannot write the run log %s: %s", self.path, exc)
                self._warned = True

    def records(self) -> list[dict[str, Any]]:
        """The run records, oldest first; unreadable lines are skipped and counted in `skipped`."""
        self.skipped = 0
        if not self.path.is_file():
            return []
        out = []
        for raw in self.path.read_bytes().splitlines():
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
                record = None
            if is_run_record(record):
                out.append(record)
            else:
                self.skipped += 1
        return out


def is_run_record(record: Any) -> bool:
    """The shape `stats` reads: a dict whose attempts (if any) each name a tier and a model."""
    if not isinstance(record, dict):
        return False
    attempts = record.get("attempts", [])
    if not isinstance(attempts, list) or not isinstance(record.get("route") or {}, dict):
        return False
    return all(isinstance(a, dict) and isinstance(a.get("tier"), str) and isinstance(a.get("model"), str)
               for a in attempts)  # fmt: skip
