"""Running untrusted Python in a bubblewrap sandbox built from an allow-list.

The sandbox's filesystem holds only what the code needs, read-only: `/usr` (the system's
libraries and tools), the interpreter's own prefix and the virtual environment whose
site-packages it may import, and `/etc/ld.so.cache`. Its working directory is a fresh, size-capped
tmpfs; `/dev` is bwrap's minimal one, `/proc` belongs to the sandbox's own PID namespace; there is
no `/sys`, no home directory, no data dir, no `.env`. The code runs as uid/gid 65534 with every
capability dropped, `no_new_privs`, its own session, every namespace unshared (user, PID,
network, IPC, UTS, cgroup) and a seccomp filter (see `seccomp.py`); it dies with its parent.
Running as root, bwrap itself is started as `nobody`, so the sandbox's user is unprivileged on the
host too. Limits hold for the whole sandbox (a cgroup where one can be made; rlimits and the
supervisor's memory watchdog otherwise), plus wall-clock, CPU, file size, open files and output caps.

Where bwrap is missing or the kernel refuses user namespaces nothing runs: the caller is told
`not run: no sandbox available (install bubblewrap)`. `SANDBOX=unsafe-limits` runs the code without
isolation (resource limits only), as an explicit opt-in that warns on every run.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import resource
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from coding_director.nodes.validation import cgroups
from coding_director.nodes.validation.seccomp import compiled_filter, filter_fd

log = logging.getLogger(__name__)

SandboxMode = Literal["bwrap", "unsafe-limits"]
SANDBOX_MODES: tuple[SandboxMode, ...] = ("bwrap", "unsafe-limits")
NOT_RUN = "not run: no sandbox available (install bubblewrap)"
SANDBOX_UID = 65534
_WORK = "/tmp"
_STAGE = "/tmp"  # in the root wrapper's private mount namespace only
#: Where a read-only source that lives under the host's /tmp (a CI checkout's venv) appears inside,
#: so the sandbox's own /tmp stays an empty, fresh work dir.
_HOST_TMP = "/hosttmp"

#: Run as root only: joins the run's cgroup, stages the read-only sources where `nobody` can reach
#: them (a tmpfs over /tmp in a private mount namespace of its own), drops to `nobody`, execs bwrap.
#: So the sandbox's user is unprivileged on the host too: uid 0 inside a user namespace is still
#: host root for sysctls, file permissions and RLIMIT_NPROC.
_ROOT_WRAPPER = r"""
import ctypes, json, os, sys
spec, argv = json.loads(sys.argv[1]), sys.argv[2:]
libc = ctypes.CDLL(None, use_errno=True)
def check(result, what):
    if result != 0:
        sys.stderr.write(f"sandbox setup: {what}: {os.strerror(ctypes.get_errno())}\n")
        os._exit(125)
for path in spec["cgroup_procs"]:
    with open(path, "w") as handle:
        handle.write("0")
check(libc.unshare(0x00020000), "unshare(CLONE_NEWNS)")
check(libc.mount(None, b"/", None, ctypes.c_ulong(0x4000 | 0x40000), None), "making mounts private")
fds = [os.open(path, os.O_PATH) for path in spec["stage"]]
check(libc.mount(b"tmpfs", b"/tmp", b"tmpfs", ctypes.c_ulong(2 | 4 | 8), b"mode=0755,size=64k"), "staging tmpfs")
for index, fd in enumerate(fds):
    target = f"/tmp/{index}"
    if os.path.isdir(f"/proc/self/fd/{fd}"):
        os.mkdir(target)
    else:
        open(target, "w").close()
    check(libc.mount(f"/proc/self/fd/{fd}".encode(), target.encode(), None, ctypes.c_ulong(4096 | 16384), None), target)
    os.close(fd)
os.setgroups([])
os.setgid(spec["uid"])
os.setuid(spec["uid"])
os.execv(argv[0], argv)
"""
_HARNESS = (Path(__file__).parent / "harness.py").read_text(encoding="utf-8")

#: How a run that went over its memory limit ended (the harness's watchdog says the same words).
MEMORY_EXCEEDED = "memory limit exceeded (all its processes together)"


@dataclass(frozen=True, slots=True)
class SandboxLimits:
    timeout_s: float = 5.0
    """Wall clock for the code, counted from when it starts (not from the interpreter's start)."""
    startup_s: float = 10.0
    """How long the sandbox may take to start the code; a slower start is retried once."""
    cpu_s: int = 10  # a backstop behind the wall-clock timeout, which should fire first
    memory_mb: int = 768
    """Per process, and for every process of the sandbox together."""
    max_processes: int = 32
    max_file_mb: int = 16
    max_open_files: int = 64
    max_output_bytes: int = 64_000
    tmpfs_mb: int = 64
    """The writable working directory (and `/dev/shm`, at most an eighth of it)."""


@dataclass(slots=True)
class SandboxResult:
    returncode: int | None
    stdout: str
    stderr: str
    timed_out: bool
    duration_s: float
    isolation: str  # "bwrap", "bwrap+cgroup v1", "limits only (unsafe)", or "none" when nothing ran
    not_run: str | None = None
    """Why the code did not run at all (no sandbox here); None when it ran."""
    report: dict | None = None
    """The harness's report, from the channel the code cannot write to (run_harness only)."""
    started: bool = True
    """Whether the code itself started (the interpreter and the harness came up in time)."""
    memory_exceeded: bool = False

    @property
    def ok(self) -> bool:
        return self.not_run is None and self.returncode == 0 and not self.timed_out

    def failure(self) -> str:
        """One line saying how the run ended, for a verdict's reason."""
        if self.not_run:
            return self.not_run
        if self.timed_out:
            return "timed out (an infinite loop, or waiting for input?)"
        if self.memory_exceeded:
            return MEMORY_EXCEEDED
        if self.returncode is not None and self.returncode < 0:
            name = signal.Signals(-self.returncode).name
            return _SIGNALS.get(name, f"killed by {name}")
        lines = [ln for ln in self.stderr.strip().splitlines() if ln.strip() and not ln.startswith("bwrap:")]
        if lines:
            return lines[-1].strip()
        return f"exit status {self.returncode}"


_SIGNALS = {"SIGXCPU": "CPU time limit exceeded", "SIGXFSZ": "file size limit exceeded"}


# ------------------------------------------------------------------------------------------ availability


@cache
def sandbox_status() -> tuple[bool, str]:
    """(True, what isolates) when bwrap can build the sandbox here, else (False, why not and how to fix)."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return False, "bubblewrap is not installed (apt-get install bubblewrap / dnf install bubblewrap)"
    program, why = compiled_filter()
    if program is None:
        return False, why
    try:
        with _launch(["/bin/true"], SandboxLimits(), probe=True) as (process, _):
            process.wait(timeout=10)
            err = process.stderr.read().decode(errors="replace").strip() if process.stderr else ""
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"bwrap could not start: {exc}"
    if process.returncode != 0:
        hint = "the kernel refuses user namespaces to this user" if "namespace" in err or "uid map" in err else err
        return False, f"bwrap cannot build a sandbox here: {hint[:200]}"
    group = cgroups.create(64 * 2**20, 8)
    if group is not None:
        group.remove()
        limits = f"{group.kind} limits for memory and processes"
    else:
        limits = "rlimits and a memory watchdog (no cgroup can be made here)"
    return True, f"bubblewrap sandbox: no network, read-only allow-list, uid {SANDBOX_UID}, seccomp; {limits}"


_warned_unsafe = False


def _warn_unsafe() -> None:
    log.warning("SANDBOX=unsafe-limits: generated code runs WITHOUT isolation, as this user, with resource limits only")


# ------------------------------------------------------------------------------------------ the bwrap command


def _bind_sources() -> list[str]:
    """Read-only binds besides /usr: the interpreter's prefixes (pyenv, a venv) and the loader cache."""
    paths = {str(Path(p).resolve()) for p in {sys.base_prefix, sys.prefix, sys.exec_prefix, sys.base_exec_prefix}}
    paths.add(str(Path(sys.executable).resolve().parent))
    keep = sorted(p for p in paths if not (p == "/usr" or p.startswith("/usr/")) and p != "/")
    # a prefix inside another is bound with it
    keep = [p for p in keep if not any(p != q and p.startswith(q + "/") for q in keep)]
    home = str(Path.home().resolve())
    exposed = [p for p in keep if home == p or home.startswith(p + "/")]
    for prefix in exposed:  # an interpreter installed straight into the home dir: only its own folders
        keep.remove(prefix)
        keep += [str(d) for d in [*sorted(Path(prefix).glob("lib*")), Path(prefix) / "bin"] if d.is_dir()]
    if Path("/etc/ld.so.cache").exists():
        keep.append("/etc/ld.so.cache")
    return keep


@cache
def _site_dirs() -> list[str]:
    """The site-packages the code may import (those of the interpreter that runs the assistant)."""
    import site

    return [d for d in site.getsitepackages() if Path(d).is_dir()]


def _root_layout() -> list[str]:
    """/bin, /lib, /lib64, /sbin as the host has them: symlinks into /usr, or read-only directories."""
    args: list[str] = []
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), f"/{name}"]
        elif path.is_dir():
            args += ["--ro-bind", str(path), f"/{name}"]
    return args


def _rlimits(limits: SandboxLimits) -> dict[str, tuple[int, int]]:
    """(soft, hard) per limit; CPU's hard limit is a second later, so SIGXCPU says what happened."""
    values = {
        "RLIMIT_NPROC": limits.max_processes,
        "RLIMIT_AS": limits.memory_mb * 2**20,
        "RLIMIT_FSIZE": limits.max_file_mb * 2**20,
        "RLIMIT_NOFILE": limits.max_open_files,
        "RLIMIT_CORE": 0,
    }
    return {"RLIMIT_CPU": (limits.cpu_s, limits.cpu_s + 1)} | {k: (v, v) for k, v in values.items()}


_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "HOME": _WORK,
    "TMPDIR": _WORK,
    "LANG": "C.UTF-8",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONHASHSEED": "0",
}


@contextlib.contextmanager
def _launch(
    inside: list[str],
    limits: SandboxLimits,
    *,
    stdin: int | None = None,
    pass_fds: tuple[int, ...] = (),
    files: dict[str, int] | None = None,
    probe: bool = False,
    as_pid_1: bool = False,
) -> Iterator[tuple[subprocess.Popen, cgroups.SandboxCgroup | None]]:
    """Start `inside` in a fresh sandbox; on exit the sandbox and its cgroup are gone."""
    program, _ = compiled_filter()
    opened: list[int] = []
    root = os.geteuid() == 0
    args = [shutil.which("bwrap") or "bwrap", "--unshare-all", "--unshare-user", "--die-with-parent"]
    args += ["--new-session", "--cap-drop", "ALL", "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID)]
    args += ["--as-pid-1"] if as_pid_1 else []
    args += ["--disable-userns", "--clearenv", "--hostname", "sandbox"]
    for key, value in _ENV.items():
        args += ["--setenv", key, value]
    try:
        # the working tmpfs first: a venv or checkout under /tmp (CI clones there) is bound on top of it
        args += ["--size", str(limits.tmpfs_mb * 2**20), "--tmpfs", _WORK]
        sources = ["/usr", *_bind_sources()]
        moved = {source: _HOST_TMP + source[len(_WORK) :] for source in sources if source.startswith(_WORK + "/")}
        for index, source in enumerate(sources):
            # as root, bwrap runs as `nobody`, who may not walk into /root: the root wrapper stages them
            args += ["--ro-bind", f"{_STAGE}/{index}" if root else source, moved.get(source, source)]
        # the interpreter's path and site dirs, as the sandbox sees them
        for source in sorted(moved, key=len, reverse=True):
            inside = [arg.replace(source, moved[source]) for arg in inside]
        args += _root_layout()
        args += ["--proc", "/proc", "--dev", "/dev"]
        args += ["--size", str(limits.tmpfs_mb * 2**20 // 8), "--tmpfs", "/dev/shm", "--remount-ro", "/dev"]
        for destination, fd in (files or {}).items():
            args += ["--ro-bind-data", str(fd), destination]
        args += ["--remount-ro", "/", "--chdir", _WORK]
        if program is not None:
            seccomp_fd = filter_fd(program)
            opened.append(seccomp_fd)
            args += ["--seccomp", str(seccomp_fd)]
        args += ["--", *inside]
        group = None if probe else cgroups.create(limits.memory_mb * 2**20, limits.max_processes + 8)
        gate_r = gate_w = -1
        if root:
            spec = {
                "stage": sources,
                "cgroup_procs": [str(folder / "cgroup.procs") for folder in group.dirs] if group else [],
                "uid": SANDBOX_UID,
            }
            args = [sys.executable, "-I", "-S", "-c", _ROOT_WRAPPER, json.dumps(spec), *args]
        elif group is not None:
            # bwrap must be in the cgroup before it forks: a shell waits on a gate until it is moved
            gate_r, gate_w = os.pipe()
            opened += [gate_r]
            args = ["/bin/sh", "-c", f'read -r go <&{gate_r} && exec "$@"', "sh", *args]
        try:
            process = subprocess.Popen(
                args,
                stdin=stdin if stdin is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env={"PATH": "/usr/bin:/bin"},
                cwd="/",
                pass_fds=tuple(opened) + tuple(pass_fds) + tuple((files or {}).values()),
                start_new_session=True,
                close_fds=True,
            )
        except OSError:
            if gate_w != -1:
                os.close(gate_w)
            if group is not None:
                group.remove()
            raise
        for fd in opened:
            os.close(fd)
        opened.clear()
        try:
            if gate_w != -1 and group is not None:
                try:
                    group.attach(process.pid)
                finally:
                    os.write(gate_w, b"go\n")
                    os.close(gate_w)
            yield process, group
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # bwrap; its PID 1 dies with it (--die-with-parent)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=2)
            for stream in (process.stdout, process.stderr):
                if stream is not None:
                    stream.close()
            if group is not None:
                group.remove()
    finally:
        for fd in opened:
            with contextlib.suppress(OSError):
                os.close(fd)


def _memfd(name: str, data: bytes) -> int:
    fd = os.memfd_create(name, os.MFD_CLOEXEC)
    os.write(fd, data)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


@dataclass
class _Collected:
    stdout: bytearray = field(default_factory=bytearray)
    stderr: bytearray = field(default_factory=bytearray)
    report: list[dict] = field(default_factory=list)
    truncated: bool = False
    memory_exceeded: bool = False


#: How often the memory of a sandbox without a cgroup (and without the harness's watchdog) is looked at.
_WATCH_EVERY_S = 0.1


def _tree_rss_bytes(root: int) -> int:
    """Resident memory of `root` and every process under it: all of a sandbox's, orphans included
    (they are reparented to its PID 1, which is under bwrap)."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as handle:
                    parent = int(handle.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(name))
    total, todo, page = 0, [root], os.sysconf("SC_PAGE_SIZE")
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/statm", "rb") as handle:
                total += int(handle.read().split()[1]) * page
        except (OSError, ValueError, IndexError):
            continue
    return total


def _collect(
    process: subprocess.Popen,
    report_fd: int | None,
    limits: SandboxLimits,
    *,
    start_deadline: float,
    run_s: float,
    watch_memory: int = 0,
) -> tuple[_Collected, bool, bool]:
    """Read output (capped) and reports until the sandbox ends or a deadline passes.

    `watch_memory`: the bytes every process of the sandbox may hold together, checked here (for a
    sandbox with neither a cgroup nor the harness's watchdog); past them it is killed at once.
    Returns (what came, whether the code started, whether a deadline passed)."""
    got = _Collected()
    selector = selectors.DefaultSelector()
    assert process.stdout is not None and process.stderr is not None
    selector.register(process.stdout, selectors.EVENT_READ, "stdout")
    selector.register(process.stderr, selectors.EVENT_READ, "stderr")
    if report_fd is not None:
        selector.register(report_fd, selectors.EVENT_READ, "report")
        started = False
    else:
        started = True
    deadline = start_deadline if not started else time.monotonic() + run_s
    pending = b""
    watched_at = 0.0
    try:
        while selector.get_map():
            now = time.monotonic()
            if watch_memory and now - watched_at >= _WATCH_EVERY_S:
                watched_at = now
                if _tree_rss_bytes(process.pid) > watch_memory:
                    got.memory_exceeded = True
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
                    return got, started, False
            remaining = deadline - now
            if remaining <= 0:
                return got, started, True
            wait = min(remaining, _WATCH_EVERY_S) if watch_memory else remaining
            for key, _ in selector.select(timeout=wait):
                fd = key.fd if isinstance(key.fileobj, int) else key.fileobj.fileno()
                chunk = os.read(fd, 65536)
                if not chunk:
                    selector.unregister(key.fileobj)
                    continue
                if key.data == "report":
                    pending += chunk
                    *lines, pending = pending.split(b"\n")
                    for line in lines:
                        message = json.loads(line)
                        if message.get("started") and not started:
                            started = True
                            deadline = time.monotonic() + run_s
                        got.report.append(message)
                    continue
                buffer = got.stdout if key.data == "stdout" else got.stderr
                room = limits.max_output_bytes - len(buffer)
                if room > 0:
                    buffer += chunk[:room]
                if len(chunk) > room:
                    got.truncated = True  # keep draining, never store more
    finally:
        selector.close()
    return got, started, False


def _text(data: bytearray, truncated: bool) -> str:
    return data.decode("utf-8", errors="replace") + ("\n[output truncated]" if truncated else "")


# ------------------------------------------------------------------------------------------ public API


def run_harness(payload: str, *, limits: SandboxLimits | None = None, mode: SandboxMode = "bwrap") -> SandboxResult:
    """Run the validation harness on `payload` in the sandbox; its report comes on a pipe the code never holds.

    The wall clock counts from when the answer's code starts; a sandbox that does not start the code
    within `startup_s` (a loaded machine) is retried once, and then reported as not started."""
    limits = limits or SandboxLimits()
    for _ in range(2):
        result = _run_harness_once(payload, limits, mode)
        if result.started or result.not_run:
            return result
        log.warning("sandbox: the code did not start within %.0f s; retrying once", limits.startup_s)
    return result


def _run_harness_once(payload: str, limits: SandboxLimits, mode: SandboxMode) -> SandboxResult:
    started_at = time.perf_counter()
    if mode == "unsafe-limits":
        _warn_unsafe()
    else:
        usable, _ = sandbox_status()
        if not usable:
            return SandboxResult(None, "", "", False, 0.0, "none", not_run=NOT_RUN)
    report_r, report_w = os.pipe()
    stdin_fd = _memfd("payload", payload.encode("utf-8", errors="surrogatepass"))
    spec = {
        "rlimits": _rlimits(limits),
        "timeout_s": limits.timeout_s,
        "memory_bytes": limits.memory_mb * 2**20,
        "sandboxed": mode != "unsafe-limits",
        "site_dirs": _site_dirs(),
    }
    # -S: no site processing at start-up (its .pth files cost ~20 ms); the worker adds the dirs itself
    inside = [sys.executable, "-I", "-S", "-B", "-c", _HARNESS, str(report_w), json.dumps(spec)]
    try:
        with _start(inside, limits, mode, stdin=stdin_fd, pass_fds=(report_w,), as_pid_1=True) as (
            process,
            group,
            isolation,
        ):
            os.close(report_w)
            report_w = -1
            os.close(stdin_fd)
            stdin_fd = -1
            got, started, late = _collect(
                process,
                report_r,
                limits,
                start_deadline=time.monotonic() + limits.startup_s,
                run_s=limits.timeout_s + 2.0,  # the supervisor stops the code at timeout_s itself
            )
            if not late:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=2)
            oom = group.oom_killed() if group is not None else False
    finally:
        for fd in (report_r, report_w, stdin_fd):
            if fd != -1:
                with contextlib.suppress(OSError):
                    os.close(fd)
    final = next((m["report"] for m in got.report if isinstance(m.get("report"), dict)), None)
    if oom and final is not None and final.get("ended") in (None, "signal:SIGKILL"):
        # the cgroup's OOM killer ended some process of the run (a child, maybe): the run failed on memory
        final["ended"] = MEMORY_EXCEEDED
    timed_out = (late and started) or (final is not None and final.get("ended") == "timed out")
    return SandboxResult(
        returncode=process.returncode,
        stdout=_text(got.stdout, got.truncated),
        stderr=_text(got.stderr, got.truncated),
        timed_out=timed_out,
        duration_s=round(time.perf_counter() - started_at, 4),
        isolation=isolation,
        report=final,
        started=started,
        memory_exceeded=oom,
    )


def run_python(
    code: str,
    *,
    limits: SandboxLimits | None = None,
    stdin: str = "",
    mode: SandboxMode = "bwrap",
) -> SandboxResult:
    """Run `code` as a script in the sandbox and return how it ended and what it printed."""
    limits = limits or SandboxLimits()
    started_at = time.perf_counter()
    if mode != "unsafe-limits":
        usable, _ = sandbox_status()
        if not usable:
            return SandboxResult(None, "", "", False, 0.0, "none", not_run=NOT_RUN)
    else:
        _warn_unsafe()
    code_fd = _memfd("main.py", code.encode("utf-8", errors="surrogatepass"))
    stdin_fd = _memfd("stdin", stdin.encode("utf-8", errors="surrogatepass"))
    rlimits = _rlimits(limits)
    if mode == "unsafe-limits":  # outside a user namespace RLIMIT_NPROC would count all the user's processes
        rlimits.pop("RLIMIT_NPROC")
    boot = (
        "import resource, sys\n"
        f"for name, value in {rlimits!r}.items():\n"
        "    resource.setrlimit(getattr(resource, name), value)\n"
        f"sys.path.extend({_site_dirs()!r})\n"
        "sys.argv = ['main.py']\n"
        "source = open('/sandbox-main.py', encoding='utf-8').read()\n"
        "exec(compile(source, 'main.py', 'exec'), {'__name__': '__main__'})\n"
    )
    try:
        if mode == "unsafe-limits":
            code_path = None
            with tempfile.NamedTemporaryFile("wb", suffix=".py", delete=False) as handle:
                handle.write(code.encode("utf-8", errors="surrogatepass"))
                code_path = handle.name
            boot = boot.replace("/sandbox-main.py", code_path)
        inside = [sys.executable, "-I", "-S", "-B", "-c", boot]
        with _start(inside, limits, mode, stdin=stdin_fd, files={"/sandbox-main.py": code_fd}) as (
            process,
            group,
            isolation,
        ):
            os.close(stdin_fd)
            stdin_fd = -1
            # no harness runs here: without a cgroup, the memory of all its processes is watched from here
            watch = limits.memory_mb * 2**20 if group is None and mode != "unsafe-limits" else 0
            got, _, late = _collect(process, None, limits, start_deadline=0, run_s=limits.timeout_s, watch_memory=watch)
            if not late:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=2)
            oom = group.oom_killed() if group is not None else got.memory_exceeded
    finally:
        for fd in (code_fd, stdin_fd):
            if fd != -1:
                with contextlib.suppress(OSError):
                    os.close(fd)
        if mode == "unsafe-limits" and code_path:
            with contextlib.suppress(OSError):
                os.unlink(code_path)
    returncode = process.returncode
    if mode != "unsafe-limits" and returncode is not None and returncode > 128:
        returncode = -(returncode - 128)  # bwrap reports a child killed by signal N as 128 + N
    return SandboxResult(
        returncode=returncode,
        stdout=_text(got.stdout, got.truncated),
        stderr=_text(got.stderr, got.truncated),
        timed_out=late,
        duration_s=round(time.perf_counter() - started_at, 4),
        isolation=isolation,
        memory_exceeded=oom,
    )


@contextlib.contextmanager
def _start(
    inside: list[str],
    limits: SandboxLimits,
    mode: SandboxMode,
    *,
    stdin: int,
    pass_fds: tuple[int, ...] = (),
    files: dict[str, int] | None = None,
    as_pid_1: bool = False,
) -> Iterator[tuple[subprocess.Popen, cgroups.SandboxCgroup | None, str]]:
    if mode == "unsafe-limits":
        with _launch_unsafe(inside, limits, stdin=stdin, pass_fds=pass_fds) as process:
            yield process, None, "limits only (unsafe)"
        return
    with _launch(inside, limits, stdin=stdin, pass_fds=pass_fds, files=files, as_pid_1=as_pid_1) as (process, group):
        yield process, group, "bwrap" + (f"+{group.kind}" if group else "")


@contextlib.contextmanager
def _launch_unsafe(
    inside: list[str], limits: SandboxLimits, *, stdin: int, pass_fds: tuple[int, ...]
) -> Iterator[subprocess.Popen]:
    """SANDBOX=unsafe-limits: no isolation at all, the user's own process with rlimits. Opt-in only."""
    work = tempfile.mkdtemp(prefix="cd-unsafe-")
    values = _rlimits(limits)

    def limit() -> None:
        for name, value in values.items():
            if name != "RLIMIT_NPROC":  # the harness sets it on the worker; here it would count all the user's
                resource.setrlimit(getattr(resource, name), value)

    process = subprocess.Popen(
        inside,
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=work,
        env={**_ENV, "HOME": work, "TMPDIR": work},
        pass_fds=pass_fds,
        start_new_session=True,
        preexec_fn=limit,  # an explicit opt-in path, never the default
    )
    try:
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=2)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
        shutil.rmtree(work, ignore_errors=True)
