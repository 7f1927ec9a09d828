"""Stopping model calls that are under way (Ctrl-C): a generation ends at its next token.

A generation takes a ticket when it starts and checks it between tokens; `cancel()` voids every
ticket taken before it, so later calls are not affected and nothing has to be reset.
"""

from __future__ import annotations

import itertools
import threading


class GenerationCancelled(RuntimeError):
    """The model call was stopped on request (Ctrl-C); it produced no answer."""

    def __init__(self) -> None:
        super().__init__("stopped on request")


class Cancellation:
    def __init__(self) -> None:
        self._epoch = 0
        self._counter = itertools.count(1)
        self._lock = threading.Lock()

    def ticket(self) -> int:
        with self._lock:
            return self._epoch

    def cancel(self) -> None:
        """Stop every generation started before now."""
        with self._lock:
            self._epoch = next(self._counter)

    def cancelled(self, ticket: int) -> bool:
        return self._epoch != ticket

    def check(self, ticket: int) -> None:
        if self._epoch != ticket:
            raise GenerationCancelled()
