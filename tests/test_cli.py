"""The installed `coding-director` command, run as a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.standin import GOOD_CODE, StandinOllama

EXE = shutil.which("coding-director") or ""

pytestmark = pytest.mark.skipif(not EXE, reason="coding-director is not installed (pip install -e .)")


def cli(*args: str, env: dict[str, str], stdin: str | None = None, timeout: float = 60):
    return subprocess.run(
        [EXE, *args], input=stdin, capture_output=True, text=True, env=env, timeout=timeout, check=False
    )


def cli_env(tmp_path, ollama: StandinOllama, **settings: str) -> dict[str, str]:
    """The environment the installed command runs in: its own home and data dir, the stand-in, `settings`."""
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "CODING_DIRECTOR_HOME": str(tmp_path / "data"),
        "OLLAMA_BASE_URL": ollama.url,
        **settings,
    }


@pytest.fixture
def env(tmp_path, ollama):
    return cli_env(tmp_path, ollama)


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
        [sys.executable, "-m", "coding_director.app.cli", "route", "Fix this TypeError in app.py"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert json.loads(done.stdout)["category"] == "general"


def test_ask_streams_tokens_and_marks_them_provisional_until_reviewed(env):
    done = cli("ask", "--stream", "Write a Python function add(a, b).", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == GOOD_CODE  # streamed once, not printed again
    assert "── lead_developer (provisional until reviewed) ──" in done.stderr
    assert "✓ lead_developer passed review" in done.stderr


def test_a_failed_streamed_answer_is_marked_before_the_next_tier_streams(env, ollama):
    replies = iter(["```python\ndef add(a, b)\n    return a + b\n```", GOOD_CODE])
    ollama.responder = lambda request: next(replies)
    done = cli("ask", "--stream", "Write a Python function add(a, b).", env=env)
    assert done.returncode == 0, done.stderr
    failed_at = done.stderr.index("✗ answer above is provisional: lead_developer failed review: syntax")
    assert failed_at < done.stderr.index("── senior_developer (provisional until reviewed) ──")
    assert done.stdout.strip() == GOOD_CODE  # into a pipe, stdout only ever receives the final answer
    assert "def add(a, b)\n" in done.stderr  # the rejected answer streamed to the terminal only


def test_streamed_math_into_a_pipe_keeps_the_wrong_answer_out_of_stdout(env, ollama):
    replies = iter(["17 * 23 = 381", "17 * 23 = 391"])
    ollama.responder = lambda request: next(replies)
    done = cli("ask", "--stream", "What is 17 * 23?", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "17 * 23 = 391\n"
    assert "17 * 23 = 381" in done.stderr


def test_chat_lists_threads_routes_and_starts_new_ones(env):
    cli("chat", "--thread", "alpha", env=env, stdin="Write a Python function add(a, b).\n/quit\n")
    done = cli("chat", "--thread", "beta", env=env, stdin="/threads\n/route What is 2 + 2?\n/new\n/quit\n")
    assert done.returncode == 0, done.stderr
    assert "  alpha" in done.stdout
    assert '"category": "math"' in done.stdout
    assert done.stderr.count("(new)") == 2


def test_chat_asks_the_person_when_every_tier_fails(env, ollama):
    replies = iter(["I cannot help with that."] * 3 + ["```python\ndef add(a, b):\n    return a + b\n```"])
    ollama.responder = lambda request: next(replies)
    script = "Write a Python function add(a, b).\nretry principal use the + operator\n/quit\n"
    done = cli("chat", "--thread", "h", env=env, stdin=script)
    assert done.returncode == 0, done.stderr
    assert "No tier passed review" in done.stderr
    assert "def add(a, b):" in done.stdout
    assert "principal_architect [wizardcoder:13b-python] ✓" in done.stderr
    hinted = ollama.chat_requests()[-1]["body"]["messages"][-1]["content"]
    assert "use the + operator" in hinted


def test_doctor_against_ollama_names_missing_models_and_the_pull_command(env, ollama):
    ollama.models.remove("codellama:13b")
    done = cli("doctor", env={**env, "BACKEND": "ollama"})
    assert done.returncode == 0, done.stdout
    assert f"Ollama answers at {ollama.url}" in done.stdout
    assert "✗ senior    codellama:13b is not pulled: run `ollama pull codellama:13b`" in done.stdout
    assert "✓ lead      deepseek-coder-v2:16b-lite-instruct-q4_0" in done.stdout
    assert "OLLAMA_MAX_LOADED_MODELS" in done.stdout


def test_doctor_fails_when_the_configured_setup_cannot_answer(env):
    dead = {**env, "BACKEND": "ollama", "OLLAMA_BASE_URL": "http://127.0.0.1:9"}
    done = cli("doctor", env=dead)
    assert done.returncode == 1
    assert "✗ Ollama is not reachable at http://127.0.0.1:9" in done.stdout
    assert "Not ready" in done.stdout


def test_stats_summarises_the_run_log_and_plots_it(env, ollama, tmp_path):
    cli("ask", "Write a Python function add(a, b).", env=env)
    ollama.responder = lambda request: "17 * 23 = 391"
    cli("ask", "What is 17 * 23?", env=env)
    done = cli("stats", env=env)
    assert done.returncode == 0, done.stderr
    assert "requests: 2" in done.stdout
    assert "math_specialist" in done.stdout and "lead_developer" in done.stdout
    assert "deepseek-coder-v2:16b-lite-instruct-q4_0" in done.stdout
    figures = json.loads(cli("stats", "--json", env=env).stdout)
    assert figures["tiers"]["lead_developer"] == {"attempts": 1, "passed": 1, "escalated": 0, "retries": 0}
    plot = tmp_path / "stats.png"
    drawn = cli("stats", "--plot", str(plot), env=env)
    assert drawn.returncode == 0, drawn.stderr
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_langsmith_tracing_is_off_unless_its_variables_are_set(env):
    from tests.test_secrets import RecordingServer

    with RecordingServer() as smith:
        tracing = {
            **env,
            "LANGSMITH_ENDPOINT": smith.url,
            "LANGSMITH_API_KEY": "lsv2_pt_test_key",
            "LANGSMITH_PROJECT": "cd-test",
        }
        cli("ask", "Write a Python function add(a, b).", env=tracing)
        assert smith.bodies == []  # LANGSMITH_TRACING unset: nothing is sent
        cli("ask", "--no-cache", "Write a Python function add(a, b).", env={**tracing, "LANGSMITH_TRACING": "true"})
        assert smith.bodies, "tracing on, but no run reached LangSmith"
        assert any(b"lead_developer" in body for body in smith.bodies)


def test_ctrl_c_stops_the_answer_and_keeps_the_thread(env, ollama):
    import signal
    import time

    ollama.delay_s = 5  # the lead is slow: there is time to interrupt it
    chat = subprocess.Popen(
        [EXE, "chat", "--thread", "stop-me"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    chat.stdin.write("Write a Python function add(a, b).\n")
    chat.stdin.flush()
    deadline = time.monotonic() + 30
    while not ollama.chat_requests() and time.monotonic() < deadline:
        time.sleep(0.1)
    chat.send_signal(signal.SIGINT)
    out, err = chat.communicate("/history\n/quit\n", timeout=60)
    assert chat.returncode == 0, err
    assert "(stopped; the thread is kept)" in err
    assert "you: Write a Python function add(a, b)." in out  # the request is still in the thread
    assert "Traceback" not in err
