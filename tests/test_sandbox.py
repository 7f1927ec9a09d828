"""Generated code is untrusted: each escape attempt is contained, reported, and leaves the host as it was."""

from __future__ import annotations

import socket
import threading

import pytest

from coding_director.nodes.validation.sandbox import SandboxLimits, run_python, sandbox_status

ISOLATED, WHY = sandbox_status()
needs_namespaces = pytest.mark.skipif(not ISOLATED, reason=f"no namespaces here: {WHY}")
QUICK = SandboxLimits(timeout_s=2, cpu_s=4)


def test_ordinary_code_runs_and_prints():
    result = run_python("print(sum(range(10)))")
    assert result.ok
    assert result.stdout.strip() == "45"


def test_cpu_time_is_limited_even_before_the_wall_clock_timeout():
    result = run_python("while True:\n    pass", limits=SandboxLimits(timeout_s=10, cpu_s=1))
    assert not result.ok
    assert not result.timed_out
    assert result.duration_s < 5
    assert result.failure() in ("CPU time limit exceeded", "stopped by a resource limit (CPU time or memory)")


def test_an_infinite_loop_is_stopped_at_the_timeout():
    result = run_python("while True:\n    pass", limits=QUICK)
    assert result.timed_out
    assert "timed out" in result.failure()
    assert result.duration_s < QUICK.timeout_s + 2


@needs_namespaces
def test_a_fork_bomb_is_contained_and_killed():
    bomb = "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass"
    result = run_python(bomb, limits=QUICK)
    assert not result.ok
    # the PID namespace took every child with it: nothing of the bomb is left on the host
    import subprocess

    # forked children keep the parent's command line, which names the sandbox's temp dir
    leftovers = subprocess.run(["pgrep", "-f", "cd-sandbox-"], capture_output=True, text=True, check=False)
    assert leftovers.stdout.strip() == ""


def test_a_10_gb_allocation_fails_with_memory_error():
    result = run_python("x = bytearray(10 * 1024**3)\nprint('allocated')")
    assert not result.ok
    assert "MemoryError" in result.failure()
    assert "allocated" not in result.stdout


@needs_namespaces
def test_secrets_are_hidden(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_ed25519").write_text("PRIVATE KEY")
    project = tmp_path / "project"
    project.mkdir()
    (project / ".env").write_text("LANGSMITH_API_KEY=lsv2_secret\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(project)
    ssh, env = str(home / ".ssh"), str(project / ".env")
    code = (
        "import os\n"
        f"try:\n    print('ssh:', os.listdir({ssh!r}))\n"
        "except OSError as e:\n    print('ssh blocked', e)\n"
        f"print('env:', repr(open({env!r}).read()))\n"
    )
    result = run_python(code)
    assert "PRIVATE" not in result.stdout and "id_ed25519" not in result.stdout
    assert "lsv2_secret" not in result.stdout
    assert "env: ''" in result.stdout


def test_no_secrets_in_the_environment(monkeypatch):
    monkeypatch.setenv("LANGSMITH_API_KEY", "lsv2_secret")
    result = run_python("import os; print(dict(os.environ))")
    assert "lsv2_secret" not in result.stdout
    assert "LANGSMITH_API_KEY" not in result.stdout


@needs_namespaces
def test_writing_outside_the_temp_dir_fails_and_changes_nothing(tmp_path):
    target = tmp_path / "written-by-sandbox"
    result = run_python(f"open({str(target)!r}, 'w').write('x')\nprint('wrote')")
    assert not result.ok
    assert "Read-only file system" in result.failure()
    assert not target.exists()


def test_the_temp_dir_is_writable_and_removed_afterwards():
    result = run_python("import os\nopen('scratch.txt', 'w').write('ok')\nprint(os.getcwd())")
    assert result.ok
    from pathlib import Path

    assert not Path(result.stdout.strip()).exists()


@needs_namespaces
def test_no_network_not_even_loopback():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    accepted: list[object] = []
    server.settimeout(3)
    waiter = threading.Thread(target=lambda: accepted.append(_accept(server)))
    waiter.start()
    result = run_python(
        f"import socket\ns = socket.create_connection(('127.0.0.1', {port}), timeout=2)\nprint('connected')"
    )
    waiter.join()
    server.close()
    assert "connected" not in result.stdout
    assert not result.ok
    assert accepted == [None]


def _accept(server: socket.socket) -> object:
    try:
        connection, _ = server.accept()
    except OSError:
        return None
    connection.close()
    return "connection"


def test_output_is_capped():
    result = run_python("import sys\nfor _ in range(1000):\n    sys.stdout.write('x' * 10000)")
    assert len(result.stdout) <= SandboxLimits().max_output_bytes + 100
