"""A cgroup of its own for one sandbox run: memory and process count for everything the code starts.

Made where the machine lets this process make one (as root, or in a delegated cgroup v2 subtree):
cgroup v2 (`memory.max`, `pids.max`, `cgroup.kill`) or the v1 `memory` and `pids` hierarchies.
Elsewhere `create` returns None and the sandbox relies on its rlimits and its own memory watchdog.
The cgroup is killed and removed after the run.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

_ROOT = Path("/sys/fs/cgroup")


def _own_paths() -> dict[str, str]:
    """This process's cgroup per hierarchy: {"": v2 path, "memory": ..., "pids": ...}."""
    paths: dict[str, str] = {}
    try:
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            for controller in controllers.split(",") if controllers else [""]:
                paths[controller] = path
    except (OSError, ValueError):
        pass
    return paths


@dataclass
class SandboxCgroup:
    kind: str  # "cgroup v2" or "cgroup v1"
    dirs: list[Path]

    def attach(self, pid: int) -> None:
        for folder in self.dirs:
            (folder / "cgroup.procs").write_text(str(pid))

    def pids(self) -> set[int]:
        found: set[int] = set()
        for folder in self.dirs:
            with contextlib.suppress(OSError, ValueError):
                found |= {int(p) for p in (folder / "cgroup.procs").read_text().split()}
        return found

    def oom_killed(self) -> bool:
        """Whether the memory limit made the kernel kill something in this cgroup."""
        for folder in self.dirs:
            with contextlib.suppress(OSError, ValueError):
                events = folder / "memory.events"
                if events.exists():
                    fields = dict(line.split() for line in events.read_text().splitlines())
                    if int(fields.get("oom_kill", 0)) > 0:
                        return True
                control = folder / "memory.oom_control"  # v1: memory.failcnt stays 0 when the OOM killer acts
                if control.exists():
                    fields = dict(line.split() for line in control.read_text().splitlines())
                    if int(fields.get("oom_kill", 0)) > 0:
                        return True
        return False

    def remove(self) -> None:
        """Kill whatever is left in it, then remove it (bounded: a second at most)."""
        deadline = time.monotonic() + 1.0
        for folder in self.dirs:
            kill = folder / "cgroup.kill"
            if kill.exists():
                with contextlib.suppress(OSError):
                    kill.write_text("1")
        while True:
            for pid in self.pids():
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            for folder in list(self.dirs):
                try:
                    folder.rmdir()
                    self.dirs.remove(folder)
                except FileNotFoundError:
                    self.dirs.remove(folder)
                except OSError:
                    pass
            if not self.dirs or time.monotonic() > deadline:
                return
            time.sleep(0.005)


def _make(parent: Path, name: str, settings: dict[str, str]) -> Path | None:
    if not parent.is_dir():
        return None
    folder = parent / name
    try:
        folder.mkdir()
    except OSError:
        return None
    try:
        for key, value in settings.items():
            path = folder / key
            if key.startswith("?"):  # optional setting
                path = folder / key[1:]
                if not path.exists():
                    continue
            path.write_text(value)
        return folder
    except OSError:
        with contextlib.suppress(OSError):
            folder.rmdir()
        return None


def create(memory_bytes: int, max_processes: int) -> SandboxCgroup | None:
    """A fresh cgroup with both limits set, or None where this process may not make one."""
    own = _own_paths()
    name = f"cd-sandbox-{uuid.uuid4().hex[:12]}"
    if "" in own and (_ROOT / "cgroup.controllers").exists():  # a pure cgroup v2 machine
        folder = _make(
            _ROOT / own[""].lstrip("/"),
            name,
            {"memory.max": str(memory_bytes), "?memory.swap.max": "0", "pids.max": str(max_processes)},
        )
        if folder is not None:
            return SandboxCgroup("cgroup v2", [folder])
    if "memory" in own and "pids" in own:
        memory = _make(
            _ROOT / "memory" / own["memory"].lstrip("/"),
            name,
            {"memory.limit_in_bytes": str(memory_bytes), "?memory.memsw.limit_in_bytes": str(memory_bytes)},
        )
        if memory is None:
            return None
        pids = _make(_ROOT / "pids" / own["pids"].lstrip("/"), name, {"pids.max": str(max_processes)})
        if pids is None:
            with contextlib.suppress(OSError):
                memory.rmdir()
            return None
        return SandboxCgroup("cgroup v1", [memory, pids])
    return None
