"""Requests on one conversation thread take turns, across processes: no turn is ever lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from coding_director.core.settings import settings_from_env
from coding_director.core.store import open_store
from coding_director.core.thread_lock import FileThreadLocks, ThreadBusy
from tests.standin import team_standin
from tests.test_cli import EXE, cli, cli_env

pytestmark = pytest.mark.skipif(not EXE, reason="coding-director is not installed (pip install -e .)")


@pytest.fixture
def ollama():
    with team_standin() as server:
        server.delay_s = 0.3  # long enough for requests from different processes to overlap
        yield server


@pytest.fixture
def env(tmp_path, ollama):
    return cli_env(tmp_path, ollama, THREAD_WAIT_S="120")


def test_four_processes_with_three_requests_each_on_one_thread_keep_all_twelve_turns(env):
    requests = {
        p: [f"Write a Python function add(a, b). (process {p}, request {r})" for r in range(3)] for p in range(4)
    }
    chats = [
        subprocess.Popen(
            [EXE, "chat", "--thread", "shared", "--no-stream"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for p in requests
    ]
    for p, chat in enumerate(chats):
        chat.stdin.write("\n".join([*requests[p], "/quit"]) + "\n")
        chat.stdin.flush()
    for chat in chats:
        _, err = chat.communicate(timeout=240)
        assert chat.returncode == 0, err
        assert "Traceback" not in err
    history = cli("chat", "--thread", "shared", env=env, stdin="/history\n/quit\n").stdout
    asked = [line for line in history.splitlines() if line.startswith("you: ")]
    assert len(asked) == 12, history
    sent = sorted(r for batch in requests.values() for r in batch)
    assert sorted(line.removeprefix("you: ") for line in asked) == sent
    assert history.count("director: ") == 12  # every turn has its answer, right after it
    lines = [line for line in history.splitlines() if line.startswith(("you: ", "director: "))]
    pairs = zip(lines[::2], lines[1::2], strict=True)
    assert all(a.startswith("you: ") and b.startswith("director: ") for a, b in pairs)


def test_a_request_on_a_busy_thread_waits_then_is_refused_and_calls_no_model(env, ollama, tmp_path):
    settings = settings_from_env(env)
    store = open_store(settings)
    with store.locks.hold("busy-one", wait_s=0):
        done = cli(
            "ask", "--thread", "busy-one", "Write a Python function add(a, b).", env={**env, "THREAD_WAIT_S": "0.5"}
        )
    assert done.returncode == 75, done.stderr
    assert (
        "thread busy-one is busy (waited 1 s)" in done.stderr or "thread busy-one is busy (waited 0 s)" in done.stderr
    )
    assert "Traceback" not in done.stderr
    assert ollama.chat_requests() == []  # refused before any model call; nothing was half-written
    after = cli("ask", "--thread", "busy-one", "Write a Python function add(a, b).", env=env)
    assert after.returncode == 0, after.stderr  # once free, the thread answers


def test_chat_on_a_busy_thread_says_so_and_keeps_going(env, ollama):
    settings = settings_from_env(env)
    with open_store(settings).locks.hold("talk", wait_s=0):
        done = cli("chat", "--thread", "talk", env={**env, "THREAD_WAIT_S": "0"}, stdin="Write add(a, b).\n/quit\n")
    assert done.returncode == 0, done.stderr
    assert "thread talk is busy" in done.stderr
    assert "resume with: coding-director chat --thread talk" in done.stderr


def test_a_killed_holder_frees_the_thread_at_once(tmp_path):
    locks = FileThreadLocks(tmp_path / "locks")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from coding_director.core.thread_lock import FileThreadLocks\n"
            f"with FileThreadLocks(Path({str(tmp_path / 'locks')!r})).hold('t', 0):\n"
            "    print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(ThreadBusy, match="thread t is busy"), locks.hold("t", wait_s=0.2):
        pass
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    started = time.monotonic()
    with locks.hold("t", wait_s=5):
        pass
    assert time.monotonic() - started < 5


def test_any_thread_id_maps_to_a_safe_lock_file(tmp_path):
    locks = FileThreadLocks(tmp_path / "locks")
    for odd in ("../../etc/passwd", "a b/c", "x" * 5000, "ünïcödé", ""):
        path = locks.path_for(odd)
        assert path.parent == tmp_path / "locks" and len(path.name) < 100
        with locks.hold(odd, wait_s=0):
            pass
    assert locks.path_for("a/b") != locks.path_for("a_b")


def test_thread_wait_is_a_validated_setting():
    assert settings_from_env({}).thread_wait_s == 30
    with pytest.raises(ValueError, match="THREAD_WAIT_S='soon'"):
        settings_from_env({"THREAD_WAIT_S": "soon"})
