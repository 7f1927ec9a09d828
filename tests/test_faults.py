"""Backend faults, injected by the Ollama stand-in: each is a failed attempt with a specific reason."""

from __future__ import annotations

import pytest

from coding_director import build_graph
from coding_director.core.settings import DEFAULT_MODELS, settings_from_env
from tests.conftest import free_port
from tests.standin import GOOD_CODE, StandinOllama

TASK = "Write a Python function add(a, b)."
LEAD = DEFAULT_MODELS["lead"]


def _graph(server: StandinOllama, tmp_path, **env: str):
    settings = settings_from_env(
        {
            "BACKEND": "ollama",
            "OLLAMA_BASE_URL": server.url,
            "CODING_DIRECTOR_HOME": str(tmp_path),
            "RETRIES": "0",
            "RETRY_BACKOFF": "0",
            "LEAD_TIMEOUT": "1",
            **env,
        }
    )
    return build_graph(settings=settings, checkpointer=None)


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("disconnect", "disconnected: Ollama at"),
        ("delay_first_byte", "timeout: deepseek-coder-v2:16b-lite-instruct-q4_0 gave no reply within 1 s"),
        ("stall", "timeout: deepseek-coder-v2:16b-lite-instruct-q4_0 gave no reply within 1 s"),
        ("not_found", f"model missing: {LEAD} is not pulled"),
        ("no_tools", "unsupported: registry.ollama.ai/library/"),
        ("busy", "busy: Ollama at"),
        ("malformed", "malformed reply: Ollama at"),
        ("empty", "empty reply: deepseek-coder-v2:16b-lite-instruct-q4_0 sent no content"),
        ("load", "empty reply: deepseek-coder-v2:16b-lite-instruct-q4_0 sent no content"),
    ],
)
def test_each_fault_fails_the_attempt_with_its_reason_and_escalation_continues(fault, reason, tmp_path):
    def inject(body):
        return fault if body["model"] == LEAD else None

    with StandinOllama(
        models=list(DEFAULT_MODELS.values()), responder=lambda r: GOOD_CODE, faults=inject, fault_delay_s=2
    ) as server:
        result = _graph(server, tmp_path).invoke({"messages": [("user", TASK)]})
    lead, senior = result["attempts"]
    assert lead["error"].startswith(reason), lead["error"]
    assert senior["tier"] == "senior_developer" and senior["verdict"]["passed"]
    assert result["outcome"] == "passed"


def test_a_slow_first_load_is_told_apart_from_a_hung_server(tmp_path):
    with StandinOllama(models=list(DEFAULT_MODELS.values()), faults=lambda b: "delay_first_byte") as server:
        server.fault_delay_s = 2
        result = _graph(server, tmp_path, MAX_ATTEMPTS="1").invoke({"messages": [("user", TASK)]})
    # the server still answers /api/ps and the model is not loaded yet: it is loading, not hung
    assert "probably still loading" in result["attempts"][0]["error"]


def test_transient_faults_are_retried_before_escalating(tmp_path):
    calls = {"n": 0}

    def busy_twice(body):
        calls["n"] += 1
        return "busy" if calls["n"] <= 2 else None

    with StandinOllama(models=list(DEFAULT_MODELS.values()), responder=lambda r: GOOD_CODE, faults=busy_twice) as s:
        result = _graph(s, tmp_path, RETRIES="2").invoke({"messages": [("user", TASK)]})
    [attempt] = result["attempts"]
    assert attempt["retries"] == 2
    assert result["outcome"] == "passed"


def test_when_no_tier_can_answer_the_user_gets_one_clear_message_with_the_fix(tmp_path):
    dead = f"http://127.0.0.1:{free_port()}"
    settings = settings_from_env(
        {
            "BACKEND": "ollama",
            "OLLAMA_BASE_URL": dead,
            "CODING_DIRECTOR_HOME": str(tmp_path),
            "RETRY_BACKOFF": "0",
        }
    )
    result = build_graph(settings=settings, checkpointer=None).invoke({"messages": [("user", TASK)]})
    final = result["final_answer"]
    assert final.startswith("Sorry — no model could answer this request.")
    assert f"cannot connect to Ollama at {dead}; is `ollama serve` running?" in final
    # the first tier retries (RETRIES=2); the refusal is then remembered: the others fail at once
    assert [a["retries"] for a in result["attempts"]] == [2, 0, 0]
    assert final.count("cannot connect to Ollama") == 1
    assert all(a["error"].startswith("skipped: ") for a in result["attempts"][1:])


def test_a_tier_configured_with_an_embedding_model_fails_fast_with_the_reason(tmp_path):
    with StandinOllama(
        models=[*DEFAULT_MODELS.values(), "nomic-embed-text:latest"], responder=lambda r: GOOD_CODE
    ) as s:
        s.capabilities = {"nomic-embed-text": ["embedding"]}
        result = _graph(s, tmp_path, LEAD_MODEL="nomic-embed-text").invoke({"messages": [("user", TASK)]})
        called = {r["body"]["model"] for r in s.chat_requests()}
    lead = result["attempts"][0]
    assert lead["error"] == "unsupported: nomic-embed-text cannot chat (its capabilities: embedding)"
    assert "nomic-embed-text" not in called  # never sent a chat it cannot answer
    assert result["outcome"] == "passed"  # the senior answered
