"""Model calls made once and replayed, with the time they took, across a benchmark's rows.

The rows of the cascade benchmark ask the same model the same thing over and over: the lead's first
answer in the "cascade" and "graph" rows is the "lead" row's answer, the senior's reply to the same
feedback is the same in "cascade" and "graph". On a 2-core machine that is hours. A call at
temperature 0 is deterministic, and so is a draw with a fixed seed, so its reply is stored (model,
settings, messages → text, usage, seconds) and replayed; the benchmark then counts each replayed call
at the seconds it took when it was made, so model time is what the rows would have cost without the
replay.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.messages import BaseMessage

from coding_director.core.backends.embedded import EmbeddedChatModel


class ReplayStore:
    """An append-only JSONL of replies; other processes' additions are read on a miss."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.replies: dict[str, dict[str, Any]] = {}
        self.read_up_to = 0
        self.replayed_s = 0.0
        """Seconds the replayed calls took when they were made (the benchmark adds them back)."""
        self.lock = threading.Lock()
        self._read_new()

    def _read_new(self) -> None:
        if not self.path.exists():
            return
        with self.path.open("rb") as handle:
            handle.seek(self.read_up_to)
            for line in handle:
                if not line.endswith(b"\n"):
                    break  # another process is still writing it
                self.read_up_to += len(line)
                entry = json.loads(line)
                self.replies[entry["key"]] = entry

    def get(self, key: str) -> dict[str, Any] | None:
        with self.lock:
            if key not in self.replies:
                self._read_new()
            return self.replies.get(key)

    def put(self, key: str, text: str, extra: dict[str, Any], seconds: float) -> None:
        entry = {"key": key, "text": text, "extra": extra, "seconds": round(seconds, 3)}
        with self.lock:
            self.replies[key] = entry
            with self.path.open("a", encoding="utf-8") as out:
                out.write(json.dumps(entry) + "\n")


STORE: ReplayStore | None = None


def use(path: Path | None) -> None:
    """Replay greedy calls from (and store new ones in) `path`; None: every call is made."""
    global STORE
    STORE = ReplayStore(path) if path else None


def replayed_s() -> float:
    """Seconds of replayed calls so far (a problem's share: the difference across it)."""
    return STORE.replayed_s if STORE is not None else 0.0


class ReplayedChatModel(EmbeddedChatModel):
    """The embedded chat model, with greedy and seeded calls served from `STORE` when made before."""

    def _key(self, messages: list[BaseMessage], stop: list[str] | None) -> str | None:
        if STORE is None:
            return None
        request = self._request(messages, stop)
        if self.temperature == 0:
            request.pop("seed", None)  # greedy: the seed changes nothing
        # a draw at temperature > 0 is deterministic for its seed (llama.cpp's sampler, one thread
        # count), so a sampling tier's seeded draws replay too: k = 8 reuses k = 4's first four draws
        identity = json.dumps([Path(self.model_path).name, self.n_ctx, request], sort_keys=True)
        return hashlib.sha256(identity.encode()).hexdigest()

    def _pieces(self, messages: list[BaseMessage], stop: list[str] | None) -> Iterator[tuple[str, dict[str, Any]]]:
        key = self._key(messages, stop)
        stored = STORE.get(key) if STORE is not None and key is not None else None
        if stored is not None and STORE is not None:
            STORE.replayed_s += stored["seconds"]
            yield stored["text"], {}
            yield "", stored["extra"]
            return
        started = time.perf_counter()
        texts: list[str] = []
        final: dict[str, Any] = {}
        for text, extra in super()._pieces(messages, stop):
            texts.append(text)
            final = extra or final
            yield text, extra
        if STORE is not None and key is not None and final:
            STORE.put(key, "".join(texts), final, time.perf_counter() - started)
