"""Running untrusted Python: a separate process, fenced in by namespaces and resource limits.

Where the kernel allows unprivileged namespaces (`unshare`), the child gets:
a new network namespace (no network at all, not even loopback), a new PID
namespace (every process it starts dies with it), and a mount namespace where
the whole filesystem is read-only except a fresh temporary directory, and where
secrets (`~/.ssh`, cloud credentials, `.env` files, the assistant's own data
dir) are hidden. In all cases: wall-clock timeout, CPU, memory, process, file
size and open-file limits, a minimal environment with no inherited variables,
and capped output. Where namespaces are unavailable, the limits alone apply,
and the sandbox says so once.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SandboxLimits:
    timeout_s: float = 5.0
    cpu_s: int = 10  # a backstop behind the wall-clock timeout, which should fire first
    memory_mb: int = 768
    max_processes: int = 32
    max_file_mb: int = 16
    max_open_files: int = 64
    max_output_bytes: int = 64_000


@dataclass(frozen=True, slots=True)
class SandboxResult:
    returncode: int | None
    stdout: str
    stderr: str
    timed_out: bool
    duration_s: float
    isolation: str  # "namespaces" or "limits only"

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    def failure(self) -> str:
        """One line saying how the run ended, for a verdict's reason."""
        if self.timed_out:
            return "timed out (an infinite loop, or waiting for input?)"
        if self.returncode is not None and self.returncode < 0:
            name = signal.Signals(-self.returncode).name
            return {"SIGXCPU": "CPU time limit exceeded", "SIGXFSZ": "file size limit exceeded"}.get(
                name, f"killed by {name}"
            )
        # unshare reports on its own stderr when the code it ran was killed by a limit (e.g. SIGXCPU)
        lines = [ln for ln in self.stderr.strip().splitlines() if ln.strip() and not ln.startswith("unshare:")]
        if lines:
            return lines[-1].strip()
        if "unshare:" in self.stderr:
            return "stopped by a resource limit (CPU time or memory)"
        return f"exit status {self.returncode}"


#: Home-relative paths that hold credentials; hidden from sandboxed code.
SECRET_HOME_PATHS = (
    ".ssh",
    ".aws",
    ".gnupg",
    ".config",
    ".netrc",
    ".docker",
    ".kube",
    ".azure",
    ".git-credentials",
    ".pypirc",
    ".npmrc",
    ".local/share/coding-director",
)

# Runs inside the new namespaces (as root of a user namespace), then execs the target.
_BOOT = r"""
import ctypes, json, os, resource, sys
spec = json.loads(sys.argv[1])
libc = ctypes.CDLL(None, use_errno=True)
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = (
    1, 2, 4, 8, 32, 4096, 16384, 1 << 18)
ATIME = {"noatime": 1024, "nodiratime": 2048, "relatime": 1 << 21, "strictatime": 1 << 24}
def mount(src, dst, fstype, flags, data=None):
    enc = lambda s: s.encode() if s is not None else None
    if libc.mount(enc(src), enc(dst), enc(fstype), ctypes.c_ulong(flags), enc(data)) != 0:
        raise OSError(ctypes.get_errno(), f"mount {dst}: {os.strerror(ctypes.get_errno())}")
mount(None, "/", None, MS_REC | MS_PRIVATE)
points = []
for line in open("/proc/self/mountinfo"):
    fields = line.split()
    points.append((fields[4].replace("\\040", " "), fields[5].split(",")))
work = spec["work"]
mount(work, work, None, MS_BIND | MS_REC)
for target in spec["hide_dirs"]:
    try: mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=64k,mode=000")
    except OSError: pass
for target in spec["hide_files"]:
    try: mount("/dev/null", target, None, MS_BIND)
    except OSError: pass
for point, opts in points:
    if point.startswith(("/proc", "/sys", "/dev")) or point == work:
        continue
    flags = MS_REMOUNT | MS_BIND | MS_RDONLY
    flags |= MS_NOSUID if "nosuid" in opts else 0
    flags |= MS_NODEV if "nodev" in opts else 0
    flags |= MS_NOEXEC if "noexec" in opts else 0
    flags |= sum(v for k, v in ATIME.items() if k in opts)
    try: mount(None, point, None, flags)
    except OSError: pass
lim = spec["limits"]
for res, value in ((resource.RLIMIT_NPROC, lim["nproc"]), (resource.RLIMIT_AS, lim["as"]),
                   (resource.RLIMIT_CPU, lim["cpu"]), (resource.RLIMIT_FSIZE, lim["fsize"]),
                   (resource.RLIMIT_NOFILE, lim["nofile"]), (resource.RLIMIT_CORE, 0)):
    resource.setrlimit(res, (value, value))
os.chdir(work)
os.execve(spec["argv"][0], spec["argv"], spec["env"])
"""


@cache
def namespaces_available() -> tuple[bool, str]:
    """Whether `unshare` can make user, network, mount and PID namespaces here."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return False, "the `unshare` command is not installed"
    try:
        done = subprocess.run(
            [unshare, "--user", "--map-root-user", "--net", "--mount", "--pid", "--fork", "true"],
            capture_output=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"unshare failed: {exc}"
    if done.returncode != 0:
        return False, f"unshare refused: {done.stderr.decode(errors='replace').strip()[:120]}"
    return True, "ok"


_warned = False


def _warn_limits_only(why: str) -> None:
    global _warned
    if not _warned:
        log.warning(
            "sandbox: no namespaces (%s); generated code runs with resource limits only, "
            "without network or filesystem isolation",
            why,
        )
        _warned = True


def _secret_paths() -> tuple[list[str], list[str]]:
    """Existing directories and files to hide from sandboxed code."""
    dirs, files = [], []
    homes = {Path.home()}
    if os.environ.get("HOME"):
        homes.add(Path(os.environ["HOME"]))
    candidates = [home / rel for home in homes for rel in SECRET_HOME_PATHS]
    data_dir = os.environ.get("CODING_DIRECTOR_HOME")
    if data_dir:
        candidates.append(Path(data_dir))
    for base in {Path.cwd(), *Path.cwd().parents}:
        candidates += list(base.glob(".env*"))
    interpreter = [Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.executable)]
    for path in candidates:
        try:
            real = path.resolve()
            if any(real == p or real in p.parents for p in interpreter):
                continue  # never hide the Python that runs the code
            if real.is_dir():
                dirs.append(str(real))
            elif real.is_file():
                files.append(str(real))
        except OSError:
            continue
    return sorted(set(dirs)), sorted(set(files))


def _limit_child(limits: SandboxLimits) -> None:
    import resource

    for res, value in (
        (resource.RLIMIT_NPROC, limits.max_processes),
        (resource.RLIMIT_AS, limits.memory_mb * 2**20),
        (resource.RLIMIT_CPU, limits.cpu_s),
        (resource.RLIMIT_FSIZE, limits.max_file_mb * 2**20),
        (resource.RLIMIT_NOFILE, limits.max_open_files),
        (resource.RLIMIT_CORE, 0),
    ):
        resource.setrlimit(res, (value, value))


def _read_capped(path: Path, cap: int) -> str:
    with path.open("rb") as handle:
        data = handle.read(cap + 1)
    text = data[:cap].decode("utf-8", errors="replace")
    return text + ("\n[output truncated]" if len(data) > cap else "")


def run_python(
    code: str,
    *,
    limits: SandboxLimits | None = None,
    stdin: str = "",
    isolate: bool = True,
) -> SandboxResult:
    """Run `code` as a script in the sandbox and return how it ended and what it printed."""
    limits = limits or SandboxLimits()
    started = time.perf_counter()
    outside = Path(tempfile.mkdtemp(prefix="cd-sandbox-io-"))
    work = Path(tempfile.mkdtemp(prefix="cd-sandbox-"))
    try:
        (work / "main.py").write_text(code, encoding="utf-8")
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": str(work),
            "TMPDIR": str(work),
            "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONHASHSEED": "0",
        }
        target = [sys.executable, "-I", "-B", str(work / "main.py")]
        usable, why = namespaces_available() if isolate else (False, "isolation turned off")
        if usable:
            hide_dirs, hide_files = _secret_paths()
            spec = {
                "work": str(work),
                "hide_dirs": hide_dirs,
                "hide_files": hide_files,
                "argv": target,
                "env": env,
                "limits": {
                    "nproc": limits.max_processes,
                    "as": limits.memory_mb * 2**20,
                    "cpu": limits.cpu_s,
                    "fsize": limits.max_file_mb * 2**20,
                    "nofile": limits.max_open_files,
                },
            }
            argv = [
                shutil.which("unshare") or "unshare",
                "--user",
                "--map-root-user",
                "--net",
                "--mount",
                "--pid",
                "--fork",
                "--kill-child",
                sys.executable,
                "-I",
                "-B",
                "-c",
                _BOOT,
                json.dumps(spec),
            ]
            preexec = None
            isolation = "namespaces"
        else:
            _warn_limits_only(why)
            argv, preexec, isolation = target, (lambda: _limit_child(limits)), "limits only"
        out_path, err_path = outside / "stdout", outside / "stderr"
        # Every process of the run inherits `alive_w`; EOF on `alive_r` means all of them are gone.
        alive_r, alive_w = os.pipe()
        try:
            with out_path.open("wb") as out, err_path.open("wb") as err:
                process = subprocess.Popen(
                    argv,
                    stdin=subprocess.PIPE,
                    stdout=out,
                    stderr=err,
                    cwd=work,
                    env=env,
                    preexec_fn=preexec,
                    start_new_session=True,
                    pass_fds=(alive_w,),
                )
                os.close(alive_w)
                alive_w = -1
                timed_out = False
                try:
                    process.communicate(stdin.encode(), timeout=limits.timeout_s)
                except subprocess.TimeoutExpired:
                    timed_out = True
                    _kill_group(process)
                    process.wait()
                _wait_for_all_gone(alive_r, process, grace_s=3.0)
        finally:
            os.close(alive_r)
            if alive_w != -1:
                os.close(alive_w)
        return SandboxResult(
            returncode=process.returncode,
            stdout=_read_capped(out_path, limits.max_output_bytes),
            stderr=_read_capped(err_path, limits.max_output_bytes),
            timed_out=timed_out,
            duration_s=round(time.perf_counter() - started, 4),
            isolation=isolation,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(outside, ignore_errors=True)


def _wait_for_all_gone(alive_r: int, process: subprocess.Popen, grace_s: float) -> None:
    """Wait (bounded) until no process of the run holds the pipe; kill stragglers' group once."""
    deadline = time.monotonic() + grace_s
    killed = False
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        ready, _, _ = select.select([alive_r], [], [], min(remaining, 0.25))
        if ready:
            if not os.read(alive_r, 1):
                return  # EOF: every holder has exited
            continue
        if not killed:  # a child outlived the main process (daemonised, or a fork bomb)
            _kill_group(process)
            killed = True


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
