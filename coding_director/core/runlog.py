"""The run log: one JSON line per request, appended to a file in the user's data dir."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Any

from coding_director.core.settings import redact

log = logging.getLogger(__name__)


class RunLog:
    """Appends records; a log that cannot be written warns once and never breaks an answer."""

    def __init__(self, path: Path, secrets: list[str] | None = None):
        self.path = Path(path)
        self.secrets = list(secrets or [])
        self._lock = threading.Lock()
        self._warned = False

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
        if not self.path.is_file():
            return []
        out = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        return out
