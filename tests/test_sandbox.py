"""The sandbox's ordinary behaviour: limits, timeouts counted from the code, fail-safe, the opt-in.

The attack classes are in test_sandbox_escape.py; the last test here runs both files again as an
unprivileged user, so the sandbox is shown to behave the same for root and for an ordinary user.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from coding_director.nodes.validation import sandbox, validate_answer
from coding_director.nodes.validation.sandbox import NOT_RUN, SandboxLimits, run_python, sandbox_status
from tests.sandbox_guard import REPO, ensure_guard_user, guard_command, guard_python, python_prelude, site_dirs

AVAILABLE, WHY = sandbox_status()
needs_sandbox = pytest.mark.skipif(not AVAILABLE, reason=f"no sandbox here: {WHY}")
QUICK = SandboxLimits(timeout_s=2, cpu_s=4)
PRIME_TASK = "Write a function is_prime(n).\nis_prime(7) returns True\nis_prime(1) ➞ False\nis_prime(9) -> False\n"
RIGHT = "```python\ndef is_prime(n):\n    return n > 1 and all(n % d for d in range(2, n))\n```"
WRONG = "```python\ndef is_prime(n):\n    return all(n % d for d in range(2, n))\n```"


@needs_sandbox
def test_ordinary_code_runs_and_prints():
    result = run_python("print(sum(range(10)))")
    assert result.ok
    assert result.stdout.strip() == "45"
    assert result.isolation.startswith("bwrap")


@needs_sandbox
def test_cpu_time_is_limited_even_before_the_wall_clock_timeout():
    result = run_python("while True:\n    pass", limits=SandboxLimits(timeout_s=10, cpu_s=1))
    assert not result.ok
    assert not result.timed_out
    assert result.duration_s < 5
    assert result.failure() == "CPU time limit exceeded"


@needs_sandbox
def test_an_infinite_loop_in_an_answer_fails_at_the_timeout_naming_the_example():
    answer = "```python\ndef is_prime(n):\n    while True:\n        pass\n```"
    verdict = validate_answer(PRIME_TASK, answer)
    assert verdict.reasons == [
        "run: the code timed out (an infinite loop, or waiting for input?) in example 1 `is_prime(7)`"
    ]


@needs_sandbox
def test_a_10_gb_allocation_fails_with_memory_error():
    result = run_python("x = bytearray(10 * 1024**3)\nprint('allocated')")
    assert not result.ok
    assert "MemoryError" in result.failure()
    assert "allocated" not in result.stdout


@needs_sandbox
def test_the_working_dir_is_a_fresh_writable_tmpfs():
    first = run_python("import os\nprint(os.listdir('.'))\nopen('scratch.txt', 'w').write('ok')\nprint(os.getcwd())")
    second = run_python("import os\nprint(os.listdir('.'))")
    assert first.ok and first.stdout.splitlines() == ["[]", "/tmp"]
    assert second.stdout.strip() == "[]"  # nothing of the first run is left


@needs_sandbox
def test_code_printing_the_old_report_format_is_only_data():
    answer = WRONG.replace("    return", '    print("@@CD-REPORT@@{}")\n    return')
    assert not validate_answer(PRIME_TASK, answer).passed


@needs_sandbox
def test_time_before_the_code_starts_is_not_counted(monkeypatch):
    """12.11: a slow interpreter start (a loaded machine) is not the answer's fault."""
    slow_start = "import time\ntime.sleep(1.5)\n" + sandbox._HARNESS
    monkeypatch.setattr(sandbox, "_HARNESS", slow_start)
    result = sandbox.run_harness(
        '["", "def f():\\n    return 1", [["f()", "1", "doctest"]], []]', limits=SandboxLimits(timeout_s=1)
    )
    assert result.report is not None and result.report["examples"] == [{"index": 0, "ok": True}]
    assert not result.timed_out


@needs_sandbox
def test_a_sandbox_that_does_not_start_in_time_is_retried_once_and_never_fails_the_answer(monkeypatch, caplog):
    calls = []
    once = sandbox._run_harness_once
    monkeypatch.setattr(sandbox, "_run_harness_once", lambda *a: calls.append(1) or once(*a))
    monkeypatch.setattr(sandbox, "SandboxLimits", lambda **kw: SandboxLimits(startup_s=0.001, **kw))
    from coding_director.nodes.validation import python_checks

    monkeypatch.setattr(
        python_checks,
        "run_harness",
        lambda payload, limits, mode: sandbox.run_harness(payload, limits=SandboxLimits(startup_s=0.001), mode=mode),
    )
    with caplog.at_level(logging.WARNING):
        verdict = validate_answer(PRIME_TASK, WRONG)
    assert len(calls) == 2
    assert verdict.passed  # not run, so not failed: only static checks could speak
    assert any("did not start the code in time" in note for note in verdict.notes)
    assert verdict.evidence == "static checks only"


def test_without_bubblewrap_no_code_runs_and_the_other_checks_still_apply(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no bwrap on PATH
    sandbox.sandbox_status.cache_clear()
    try:
        available, why = sandbox.sandbox_status()
        assert not available and "bubblewrap is not installed" in why
        result = run_python(f"open({str(tmp_path / 'ran')!r}, 'w')")
        assert result.not_run == NOT_RUN and not result.ok
        assert not (tmp_path / "ran").exists()
        verdict = validate_answer(PRIME_TASK, WRONG)
        assert NOT_RUN in verdict.notes
        assert "runs in the sandbox" not in verdict.checks
        assert verdict.evidence == "static checks only"
        broken = validate_answer(PRIME_TASK, "```python\ndef is_prime(n):\n    return (\n```")
        assert broken.reasons[0].startswith("syntax:")
    finally:
        monkeypatch.undo()
        sandbox.sandbox_status.cache_clear()


def test_unsafe_limits_is_an_opt_in_that_warns_on_every_run(caplog):
    with caplog.at_level(logging.WARNING):
        first = validate_answer(PRIME_TASK, WRONG, sandbox="unsafe-limits")
        second = validate_answer(PRIME_TASK, RIGHT, sandbox="unsafe-limits")
    warnings = [r for r in caplog.records if "WITHOUT isolation" in r.getMessage()]
    assert len(warnings) == 2
    assert not first.passed and second.passed  # the examples really ran


def test_the_setting_names_what_it_accepts():
    from coding_director.core.settings import SettingsError, settings_from_env

    assert settings_from_env({"SANDBOX": "Unsafe-Limits"}).sandbox == "unsafe-limits"
    with pytest.raises(SettingsError, match="SANDBOX"):
        settings_from_env({"SANDBOX": "off"})


def test_doctor_reports_the_sandbox(monkeypatch, tmp_path):
    from coding_director.app.doctor import diagnose
    from coding_director.core.settings import settings_from_env

    settings = settings_from_env({"BACKEND": "embedded", "CODING_DIRECTOR_HOME": str(tmp_path)})
    lines = "\n".join(diagnose(settings).lines)
    assert "Sandbox" in lines
    assert ("✓ bubblewrap sandbox" in lines) == AVAILABLE
    unsafe = settings_from_env(
        {"BACKEND": "embedded", "CODING_DIRECTOR_HOME": str(tmp_path), "SANDBOX": "unsafe-limits"}
    )
    assert "✗ SANDBOX=unsafe-limits" in "\n".join(diagnose(unsafe).lines)


@needs_sandbox
@pytest.mark.skipif(os.geteuid() != 0, reason="this run is the unprivileged one")
def test_the_sandbox_suites_pass_as_an_unprivileged_user():
    """Issue 11, point 9: the same behaviour as root and as an ordinary user."""
    user = ensure_guard_user()
    python = guard_python()
    if user is None or python is None or shutil.which("runuser") is None:
        pytest.skip("no unprivileged user to run the suite as")
    script = (
        python_prelude() + "import pytest\n"
        "sys.exit(pytest.main(['-o', 'addopts=', '-ra', '-p', 'no:cacheprovider', 'tests/test_sandbox_escape.py', "
        "'tests/test_sandbox.py', '-k', 'not unprivileged_user']))\n"
    )
    command = [*guard_command(user, nproc=400, timeout_s=400), python, "-c", script]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "CD_TEST_SITE_DIRS": os.pathsep.join(site_dirs())}
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=450, check=False)
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-500:]
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "passed" in summary and "failed" not in summary, summary
    skipped = [ln for ln in done.stdout.splitlines() if ln.startswith("SKIPPED")]
    root_only = ("the root variant needs root", "making a cgroup needs root here")
    assert all(any(reason in ln for reason in root_only) for ln in skipped), skipped
    assert Path(REPO).exists()


def test_the_graph_validates_with_the_sandbox_its_settings_name(settings, caplog):
    from coding_director import build_graph
    from tests.fakes import team

    unsafe = settings.model_copy(update={"sandbox": "unsafe-limits"})
    graph = build_graph(settings=unsafe, models=team(lead=[RIGHT]), checkpointer=None)
    with caplog.at_level(logging.WARNING):
        result = graph.invoke({"messages": [("user", PRIME_TASK)]}, {"configurable": {"thread_id": "t"}})
    assert "WITHOUT isolation" in caplog.text
    assert result["attempts"][0]["verdict"]["evidence"] == "checked by running 3 examples"


@pytest.mark.skipif(os.geteuid() != 0, reason="making a cgroup needs root here")
def test_a_cgroup_reports_the_oom_kill_of_one_of_its_processes():
    """On cgroup v1 the kernel's OOM kill shows in memory.oom_control, not memory.failcnt: a run whose
    child was killed for memory must be told apart from one that ended normally."""
    from coding_director.nodes.validation import cgroups

    group = cgroups.create(64 * 2**20, 16)
    if group is None:
        pytest.skip("no cgroup can be made here")
    try:
        join = "".join(f"open({str(d / 'cgroup.procs')!r}, 'w').write('0')\n" for d in group.dirs)
        done = subprocess.run(
            ["python3", "-c", join + "block = bytearray(256 * 2**20)"], capture_output=True, timeout=60, check=False
        )
        assert done.returncode == -9  # the kernel killed it, inside the group's limit
        assert group.oom_killed()
    finally:
        group.remove()
