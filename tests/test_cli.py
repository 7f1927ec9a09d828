"""The installed `coding-director` command, run as a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from coding_director.settings import DEFAULT_MODELS
from coding_director.standin import StandinOllama

EXE = shutil.which("coding-director") or ""
GOOD_CODE = "```python\ndef add(a, b):\n    return a + b\n```"

pytestmark = pytest.mark.skipif(not EXE, reason="coding-director is not installed (pip install -e .)")


def cli(*args: str, env: dict[str, str], stdin: str | None = None, timeout: float = 60):
    return subprocess.run(
        [EXE, *args], input=stdin, capture_output=True, text=True, env=env, timeout=timeout, check=False
    )


@pytest.fixture
def ollama():
    with StandinOllama(models=list(DEFAULT_MODELS.values()), responder=lambda r: GOOD_CODE) as server:
        yield server


@pytest.fixture
def env(tmp_path, ollama):
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "CODING_DIRECTOR_HOME": str(tmp_path / "data"),
        "OLLAMA_BASE_URL": ollama.url,
    }


def test_ask_prints_the_answer_and_a_one_line_trace(env, ollama):
    done = cli("ask", "Write a Python function add(a, b).", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == GOOD_CODE
    trace = done.stderr.strip().splitlines()[-1]
    assert trace.startswith("route: general (rules")
    assert "lead_developer [deepseek-coder-v2:16b-lite-instruct-q4_0] ✓" in trace
    assert f"backend: ollama — Ollama answers at {ollama.url}" in done.stderr


def test_ask_reads_the_request_from_stdin(env):
    done = cli("ask", env=env, stdin="Write a Python function add(a, b).\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == GOOD_CODE


def test_ask_without_a_request_explains_usage(env):
    done = cli("ask", env=env, stdin="")
    assert done.returncode == 2
    assert "nothing to ask" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_bad_setting_is_a_clear_message_not_a_traceback(env):
    done = cli("ask", "hello", env={**env, "BACKEND": "cloud"})
    assert done.returncode == 2
    assert "BACKEND='cloud'" in done.stderr
    assert "Traceback" not in done.stderr


def test_route_prints_json_without_a_model(env):
    done = cli("route", "What is 7^222 mod 11?", env={**env, "OLLAMA_BASE_URL": "http://127.0.0.1:9"})
    assert done.returncode == 0
    route = json.loads(done.stdout)
    assert route["category"] == "math"
    assert route["source"] == "rules"


def test_chat_resumes_its_thread_after_a_restart(env, ollama):
    first = cli("chat", "--thread", "work", env=env, stdin="Write a Python function add(a, b).\n/quit\n")
    assert first.returncode == 0, first.stderr
    assert "thread: work (new)" in first.stderr
    assert GOOD_CODE in first.stdout

    second = cli("chat", "--thread", "work", env=env, stdin="/history\n/quit\n")
    assert second.returncode == 0, second.stderr
    assert "thread: work (resumed, 2 messages)" in second.stderr
    assert "you: Write a Python function add(a, b)." in second.stdout
    assert "resume with: coding-director chat --thread work" in second.stderr


def test_python_dash_m_entry_point_matches(env):
    done = subprocess.run(
        [sys.executable, "-m", "coding_director.cli", "route", "Fix this TypeError in app.py"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert json.loads(done.stdout)["category"] == "general"
