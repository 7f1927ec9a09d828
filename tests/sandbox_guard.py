"""Helpers for the sandbox escape suite: payloads as model answers, evidence, and the outer guard.

A payload is the body of a function `probe()` in an answer the validator runs through the real path
(`run_harness`: bwrap, the supervisor, the worker). The payload fills a dict `evidence` and the
answer writes it straight to fd 1 (the data channel, which the test reads), so every test can show
that the payload really ran before it checks that nothing got out.

Payloads that attack the host (fork bomb, memory, kill(-1)) run the whole validator call in a
subprocess under an outer guard: an unprivileged user (created for the tests when running as root)
with its own process limit (`prlimit --nproc`) and a hard timeout, so a containment regression
fails a test instead of taking the machine down.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import site
import subprocess
import sys
import textwrap
from pathlib import Path

from coding_director.nodes.validation.sandbox import SandboxLimits, SandboxResult, run_harness

GUARD_USER = "cd-sandbox-test"
REPO = Path(__file__).resolve().parents[1]


def answer_for(body: str) -> str:
    return (
        "import json, os\n"
        "def probe():\n"
        "    evidence = {'ran': True}\n"
        + textwrap.indent(textwrap.dedent(body).strip("\n"), "    ")
        + "\n    os.write(1, ('\\nEVIDENCE:' + json.dumps(evidence, default=str) + '\\n').encode())\n"
        "    return 'done'\n"
    )


def payload_for(body: str) -> str:
    return json.dumps(["", answer_for(body), [["probe()", "'done'", "doctest"]], []])


def evidence_of(stdout: str) -> dict:
    for line in stdout.splitlines():
        if line.startswith("EVIDENCE:"):
            return json.loads(line[len("EVIDENCE:") :])
    return {}


def attack(body: str, limits: SandboxLimits | None = None) -> tuple[dict, SandboxResult]:
    """Run the payload through the validator's sandbox; (what it reported, how the run ended)."""
    result = run_harness(payload_for(body), limits=limits)
    return evidence_of(result.stdout), result


# ------------------------------------------------------------------------------------------ the outer guard


def site_dirs() -> list[str]:
    """The site-packages this test run imports from (passed on to the runs it starts as another user)."""
    passed = os.environ.get("CD_TEST_SITE_DIRS")
    return passed.split(os.pathsep) if passed else [*site.getsitepackages()]


def python_prelude() -> str:
    """Source that makes a bare interpreter import what this test run imports."""
    return f"import site, sys\nfor _d in {site_dirs()!r}:\n    site.addsitedir(_d)\nsys.path.insert(0, {str(REPO)!r})\n"


def _traversable_by_others(path: Path) -> bool:
    path = path.resolve()
    for part in [path, *path.parents]:
        try:
            mode = part.stat().st_mode
        except OSError:
            return False
        if part != path and not mode & 0o001:
            return False
    return bool(path.stat().st_mode & 0o005)


def guard_python() -> str | None:
    """An interpreter the guard user can run: this one if others may reach it, else the system's."""
    if _traversable_by_others(Path(sys.executable)):
        return sys.executable
    system = shutil.which("python3", path="/usr/bin:/bin")
    if system:
        version = subprocess.run(
            [system, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True, text=True, check=False
        ).stdout.strip()
        if version == str(tuple(sys.version_info[:2])):
            return system
    return None


def ensure_guard_user() -> str | None:
    """The unprivileged user the guard runs as: the current one unless root; created when root."""
    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid()).pw_name
    try:
        pwd.getpwnam(GUARD_USER)
    except KeyError:
        if shutil.which("useradd") is None:
            return None
        done = subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", GUARD_USER],
            capture_output=True,
            check=False,
        )
        if done.returncode != 0:
            return None
    return GUARD_USER


def guard_command(user: str, nproc: int = 300, timeout_s: int = 60) -> list[str]:
    """Run as `user` with its own process limit and a hard timeout."""
    inner = ["prlimit", f"--nproc={nproc}:{nproc}", "timeout", "-s", "KILL", str(timeout_s)]
    if os.geteuid() == 0:
        return ["runuser", "-u", user, "--", *inner]
    # an ordinary user's process count includes everything it already runs
    running = len(subprocess.run(["ps", "-u", str(os.geteuid()), "-o", "pid="], capture_output=True).stdout.split())
    inner[1] = f"--nproc={running + nproc}:{running + nproc}"
    return inner


_GUARDED = r"""
import json, subprocess, time
from tests.sandbox_guard import answer_for, attack, evidence_of
from coding_director.nodes.validation.sandbox import SandboxLimits, run_python
canary = subprocess.Popen(["sleep", "60"])  # a process of the same user, outside the sandbox
started = time.monotonic()
if SCRIPT:  # as a script (run_python: the shown-output checks), no harness
    result = run_python(answer_for(BODY) + "\nprobe()\n", limits=SandboxLimits(**LIMITS))
    evidence = evidence_of(result.stdout)
else:
    evidence, result = attack(BODY, SandboxLimits(**LIMITS))
print(json.dumps({
    "evidence": evidence,
    "report": result.report,
    "failure": result.failure(),
    "timed_out": result.timed_out,
    "memory_exceeded": result.memory_exceeded,
    "isolation": result.isolation,
    "seconds": time.monotonic() - started,
    "canary_alive": canary.poll() is None,
}))
canary.kill()
"""


def guarded_attack(
    body: str, limits: dict | None = None, timeout_s: int = 60, as_root: bool = False, script: bool = False
) -> dict:
    """The payload through the validator, in a subprocess under the outer guard; its outcome as a dict.

    `as_root`: the validator runs as root (as an assistant run by root would), and the outer guard is
    a cgroup of the test's own (process count and memory) plus the timeout. `script`: the payload runs
    as a script (`run_python`, as the shown-output checks run code) instead of through the harness."""
    import pytest

    guarded = _GUARDED.replace("SCRIPT", repr(script)).replace("LIMITS", repr(limits or {}))
    source = python_prelude() + guarded.replace("BODY", repr(body))
    if as_root:
        if os.geteuid() != 0:
            pytest.skip("the root variant needs root")
        from coding_director.nodes.validation import cgroups

        outer = cgroups.create(3 * 2**30, 400)
        if outer is None:
            pytest.skip("no cgroup for the outer guard here")
        join = "".join(f"open({str(d / 'cgroup.procs')!r}, 'w').write('0')\n" for d in outer.dirs)
        try:
            done = subprocess.run(
                ["timeout", "-s", "KILL", str(timeout_s), sys.executable, "-c", join + source],
                capture_output=True,
                text=True,
                cwd="/",
                timeout=timeout_s + 30,
                check=False,
            )
        finally:
            outer.remove()
        return _outcome(done)
    user = ensure_guard_user()
    python = guard_python()
    if user is None or python is None:
        pytest.skip("no unprivileged user (or interpreter it may run) for the outer guard")
    done = subprocess.run(
        [*guard_command(user, timeout_s=timeout_s), python, "-c", source],
        capture_output=True,
        text=True,
        cwd="/",
        timeout=timeout_s + 30,
        check=False,
    )
    return _outcome(done)


def _outcome(done: subprocess.CompletedProcess) -> dict:
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    assert lines, f"the guarded run gave no outcome (exit {done.returncode}): {done.stderr[-2000:]}"
    return json.loads(lines[-1])
