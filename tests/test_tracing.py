"""LangSmith tracing does what the README says (issue 12, item 3)."""

from __future__ import annotations

import os
import socket
import time

import pytest

from coding_director.core.settings import DEFAULT_MODELS
from tests.conftest import free_port
from tests.standin import StandinOllama
from tests.test_cli import EXE, GOOD_CODE, cli
from tests.test_secrets import RecordingServer

pytestmark = pytest.mark.skipif(not EXE, reason="coding-director is not installed (pip install -e .)")
ASK = ("ask", "--no-cache", "Write a Python function add(a, b).")


@pytest.fixture
def env(tmp_path):
    with StandinOllama(models=list(DEFAULT_MODELS.values()), responder=lambda r: GOOD_CODE) as server:
        yield {
            "PATH": os.environ["PATH"],
            "HOME": str(tmp_path),
            "CODING_DIRECTOR_HOME": str(tmp_path / "data"),
            "OLLAMA_BASE_URL": server.url,
        }


def test_langsmith_keys_in_dotenv_turn_tracing_on_like_the_environment(env, tmp_path):
    with RecordingServer() as smith:
        dotenv = tmp_path / ".env"
        dotenv.write_text(
            f"LANGSMITH_TRACING=true\nLANGSMITH_API_KEY=lsv2_pt_test_key\nLANGSMITH_ENDPOINT={smith.url}\n"
            "LANGSMITH_PROJECT=cd-test\n"
        )
        done = cli("--env-file", str(dotenv), *ASK, env=env)
        assert done.returncode == 0, done.stderr
        assert any(b"lead_developer" in body for body in smith.bodies), "tracing asked for in .env, nothing sent"


def test_tracing_without_an_api_key_sends_nothing_and_warns_once(env):
    with RecordingServer() as smith:
        done = cli(*ASK, env={**env, "LANGSMITH_TRACING": "true", "LANGSMITH_ENDPOINT": smith.url})
        assert done.returncode == 0, done.stderr
        assert smith.bodies == []
        assert done.stderr.count("LANGSMITH_API_KEY is not set: tracing is off") == 1


def test_an_endpoint_that_refuses_is_switched_off_with_a_warning(env):
    dead = f"http://127.0.0.1:{free_port()}"
    traced = {**env, "LANGSMITH_TRACING": "true", "LANGSMITH_API_KEY": "lsv2_pt_k", "LANGSMITH_ENDPOINT": dead}
    done = cli(*ASK, env=traced)
    assert done.returncode == 0, done.stderr
    assert f"LangSmith at {dead} does not answer: tracing is off" in done.stderr


def test_an_endpoint_that_accepts_but_never_replies_does_not_hold_up_the_exit(env):
    """A black hole (the connection opens, no reply ever comes): before, the exit waited ~14 s on retries."""
    with socket.socket() as hole:
        hole.bind(("127.0.0.1", 0))
        hole.listen(64)
        url = f"http://127.0.0.1:{hole.getsockname()[1]}"
        started = time.monotonic()
        plain = cli(*ASK, env=env)
        baseline = time.monotonic() - started
        traced = {**env, "LANGSMITH_TRACING": "true", "LANGSMITH_API_KEY": "lsv2_pt_k", "LANGSMITH_ENDPOINT": url}
        started = time.monotonic()
        done = cli(*ASK, env=traced)
        traced_s = time.monotonic() - started
    assert plain.returncode == 0 and done.returncode == 0, done.stderr
    assert traced_s - baseline < 5, f"tracing to a black hole added {traced_s - baseline:.1f} s"
