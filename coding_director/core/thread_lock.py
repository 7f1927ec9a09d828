"""One request at a time per conversation thread, across processes.

Two requests on one thread that run together both read the same checkpoint and the later write wins:
a turn is lost. Whoever runs a request on a thread (the CLI's ask and chat, a server) holds the
thread's lock for the whole run, resume included. A second request waits up to THREAD_WAIT_S, then
is refused with ThreadBusy ("thread X is busy"); it never silently overwrites the first.

With SQLite the locks are files beside the memory file (`FileThreadLocks`); with PostgreSQL they are
advisory locks in the database (`core.postgres.PostgresThreadLocks`). Both free a lock when its
holder dies, even on SIGKILL: the kernel drops a dead process's flock, the server its session's locks.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

from filelock import FileLock, Timeout


class ThreadBusy(RuntimeError):
    """Another request holds the conversation thread; the message names it and how long we waited."""

    def __init__(self, thread_id: str, waited_s: float = 0.0):
        self.thread_id = thread_id
        self.waited_s = waited_s
        super().__init__(
            f"thread {thread_id} is busy (waited {waited_s:.0f} s): another request on it is still running; "
            "try again when it has finished, or raise THREAD_WAIT_S"
        )


class ThreadLocks(Protocol):
    """Serialises the requests on one thread: `with locks.hold(thread_id, wait_s): ...`."""

    def hold(self, thread_id: str, wait_s: float) -> AbstractContextManager[None]: ...


_READABLE = re.compile(r"[^A-Za-z0-9_.-]+")


class FileThreadLocks:
    """A lock file per thread in `directory` (an OS lock on it, through the `filelock` library).

    The file's name is a readable prefix of the thread id plus a hash of it, so any thread id (spaces,
    slashes, very long) maps to one safe file name.
    """

    def __init__(self, directory: Path, poll_s: float = 0.05):
        self.directory = Path(directory)
        self.poll_s = poll_s

    def path_for(self, thread_id: str) -> Path:
        digest = hashlib.sha256(thread_id.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        return self.directory / f"{_READABLE.sub('_', thread_id)[:40]}-{digest}.lock"

    @contextlib.contextmanager
    def hold(self, thread_id: str, wait_s: float) -> Iterator[None]:
        self.directory.mkdir(parents=True, exist_ok=True)
        lock = FileLock(self.path_for(thread_id), thread_local=False)
        started = time.monotonic()
        try:
            lock.acquire(timeout=max(wait_s, 0), poll_interval=self.poll_s)
        except Timeout:
            raise ThreadBusy(thread_id, time.monotonic() - started) from None
        try:
            yield
        finally:
            lock.release()


__all__ = ["FileThreadLocks", "ThreadBusy", "ThreadLocks"]
