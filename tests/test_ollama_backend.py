"""The `ollama` backend over real HTTP, against a stand-in that speaks Ollama's JSON."""

from __future__ import annotations

import pytest

from coding_director import build_graph
from coding_director.core.backends.registry import ModelRegistry
from coding_director.core.settings import DEFAULT_MODELS, settings_from_env
from tests.conftest import free_port
from tests.standin import StandinOllama

GOOD_CODE = "```python\ndef add(a, b):\n    return a + b\n```"
SEED_MODELS = [*DEFAULT_MODELS.values()]


@pytest.fixture
def ollama():
    with StandinOllama(models=SEED_MODELS, responder=lambda request: GOOD_CODE) as server:
        yield server


def test_chat_ollama_sends_the_role_model_options_and_keep_alive(ollama, tmp_path):
    settings = settings_from_env(
        {
            "BACKEND": "ollama",
            "OLLAMA_BASE_URL": ollama.url,
            "CODING_DIRECTOR_HOME": str(tmp_path),
            "NUM_CTX": "4096",
            "TEMPERATURE": "0.1",
            "KEEP_ALIVE": "3m",
            "LEAD_KEEP_ALIVE": "-1",
            "LEAD_MODEL": "qwen2.5-coder:7b",
        }
    )
    ollama.models.append("qwen2.5-coder:7b")
    graph = build_graph(settings=settings, checkpointer=None)
    result = graph.invoke({"messages": [("user", "Write a Python function add(a, b).")]})

    assert result["outcome"] == "passed"
    assert result["final_answer"] == GOOD_CODE
    attempt = result["attempts"][0]
    assert attempt["model"] == "qwen2.5-coder:7b"
    assert attempt["output_tokens"] == len(GOOD_CODE.split())  # the stand-in's eval_count
    assert attempt["input_tokens"] > 0  # prompt_eval_count
    [chat] = ollama.chat_requests()
    body = chat["body"]
    assert body["model"] == "qwen2.5-coder:7b"
    assert body["options"]["num_ctx"] == 4096
    assert body["options"]["temperature"] == 0.1
    assert body["keep_alive"] == -1  # the lead's own keep_alive wins, sent as seconds
    assert body["messages"][0]["role"] == "system"
    assert body["messages"][-1] == {"role": "user", "content": "Write a Python function add(a, b)."}


def test_the_request_timeout_reaches_the_http_client(ollama, tmp_path):
    ollama.delay_s = 1.5
    settings = settings_from_env(
        {
            "BACKEND": "ollama",
            "OLLAMA_BASE_URL": ollama.url,
            "CODING_DIRECTOR_HOME": str(tmp_path),
            "LEAD_TIMEOUT": "0.3",
            "MAX_ATTEMPTS": "1",
        }
    )
    result = build_graph(settings=settings, checkpointer=None).invoke(
        {"messages": [("user", "Write a Python function add(a, b).")]}
    )
    attempt = result["attempts"][0]
    assert attempt["error"].startswith("timeout: deepseek-coder-v2:16b-lite-instruct-q4_0 gave no reply within 0.3 s")
    assert attempt["duration_s"] < 1.4  # gave up at the timeout, did not wait for the reply
    assert result["outcome"] == "attempt_cap"


def test_a_model_that_is_not_pulled_names_the_pull_command(ollama, tmp_path):
    ollama.models.remove("codellama:13b")
    settings = settings_from_env(
        {"BACKEND": "ollama", "OLLAMA_BASE_URL": ollama.url, "CODING_DIRECTOR_HOME": str(tmp_path)}
    )
    result = build_graph(settings=settings, checkpointer=None).invoke(
        {"messages": [("user", "/senior Write a Python function add(a, b).")]}
    )
    senior = result["attempts"][0]
    assert senior["tier"] == "senior_developer"
    assert "`ollama pull codellama:13b`" in senior["error"]
    assert result["attempts"][1]["tier"] == "principal_architect"
    assert result["outcome"] == "passed"


def test_auto_picks_ollama_when_it_answers(ollama, tmp_path):
    settings = settings_from_env({"OLLAMA_BASE_URL": ollama.url, "CODING_DIRECTOR_HOME": str(tmp_path)})
    registry = ModelRegistry(settings)
    choice = registry.choice("lead")
    assert choice.backend == "ollama"
    assert ollama.url in choice.reason
    assert type(registry.get("lead")).__name__ == "ChatOllama"


def test_auto_falls_back_to_embedded_when_ollama_is_down_and_says_so(tmp_path):
    dead = f"http://127.0.0.1:{free_port()}"
    settings = settings_from_env({"OLLAMA_BASE_URL": dead, "CODING_DIRECTOR_HOME": str(tmp_path)})
    choice = ModelRegistry(settings).choice("lead")
    assert choice.backend == "embedded"
    assert f"not reachable at {dead}" in choice.reason
    assert "using the embedded model" in choice.reason


def test_auto_decides_per_role_url(ollama, tmp_path):
    dead = f"http://127.0.0.1:{free_port()}"
    settings = settings_from_env(
        {"OLLAMA_BASE_URL": dead, "PRINCIPAL_BASE_URL": ollama.url, "CODING_DIRECTOR_HOME": str(tmp_path)}
    )
    registry = ModelRegistry(settings)
    assert registry.choice("principal").backend == "ollama"
    assert registry.choice("lead").backend == "embedded"
    assert registry.label("principal") == "wizardcoder:13b-python"


def test_models_are_created_lazily_only_for_the_roles_a_request_touches(ollama, tmp_path):
    settings = settings_from_env(
        {"BACKEND": "ollama", "OLLAMA_BASE_URL": ollama.url, "CODING_DIRECTOR_HOME": str(tmp_path)}
    )
    graph = build_graph(settings=settings, checkpointer=None)
    graph.invoke({"messages": [("user", "Write a Python function add(a, b).")]})
    assert set(graph.services.models._models) == {"lead"}
    assert {r["body"]["model"] for r in ollama.chat_requests()} == {DEFAULT_MODELS["lead"]}


def test_the_router_model_answers_through_a_json_schema_on_ollama(tmp_path):
    def reply(request):
        if request.get("format"):
            return '{"category": "math"}'
        return "The answer is 42."

    with StandinOllama(models=SEED_MODELS, responder=reply) as server:
        settings = settings_from_env(
            {"BACKEND": "ollama", "OLLAMA_BASE_URL": server.url, "CODING_DIRECTOR_HOME": str(tmp_path)}
        )
        result = build_graph(settings=settings, checkpointer=None).invoke(
            {"messages": [("user", "What do you reckon about it?")]}
        )
        router_call = server.chat_requests()[0]["body"]
    assert router_call["model"] == DEFAULT_MODELS["router"]
    assert router_call["format"]["properties"]["category"]["enum"] == ["math", "general"]
    assert result["route"]["source"] == "model"
    assert result["route"]["category"] == "math"
    assert result["attempts"][0]["tier"] == "math_specialist"


def test_complex_requests_start_at_the_loaded_tier_and_load_time_is_recorded(tmp_path):
    with StandinOllama(models=SEED_MODELS, responder=lambda r: GOOD_CODE) as server:
        server.loaded = [DEFAULT_MODELS["principal"]]
        server.load_duration_ns = 2_500_000_000
        settings = settings_from_env(
            {
                "BACKEND": "ollama",
                "OLLAMA_BASE_URL": server.url,
                "CODING_DIRECTOR_HOME": str(tmp_path),
                "COMPLEX_START": "loaded",
            }
        )
        graph = build_graph(settings=settings, checkpointer=None)
        request = "Design a distributed rate limiter for our microservices and write add(a, b) in Python."
        result = graph.invoke({"messages": [("user", request)]})
        assert result["route"]["complexity"] == "complex"
        assert result["attempts"][0]["tier"] == "principal_architect"  # loaded; the senior is not
        assert result["attempts"][0]["load_s"] == 2.5  # Ollama's load_duration, kept apart from the answer time

        server.loaded = []
        result = graph.invoke({"messages": [("user", request + " ")]}, {"configurable": {"no_cache": True}})
        assert result["attempts"][0]["tier"] == "senior_developer"  # nothing loaded: the cheaper tier


def test_keep_alive_follows_the_memory_plan_when_asked(tmp_path, monkeypatch):
    import coding_director.core.backends.registry as registry_module

    monkeypatch.setattr(registry_module, "available_memory_bytes", lambda: 20 * 1024**3)  # a 20 GB laptop
    with StandinOllama(models=SEED_MODELS, responder=lambda r: "I cannot help with that.") as server:
        settings = settings_from_env(
            {
                "BACKEND": "ollama",
                "OLLAMA_BASE_URL": server.url,
                "CODING_DIRECTOR_HOME": str(tmp_path),
                "KEEP_ALIVE_PLAN": "auto",
                "PRINCIPAL_KEEP_ALIVE": "5m",  # a role's own setting wins over the plan
            }
        )
        build_graph(settings=settings, checkpointer=None).invoke(
            {"messages": [("user", "Write a Python function add(a, b).")]}
        )
        sent = {r["body"]["model"]: r["body"]["keep_alive"] for r in server.chat_requests()}
    assert sent[DEFAULT_MODELS["lead"]] == "30m"  # the lead fits beside the router: it stays warm
    assert sent[DEFAULT_MODELS["senior"]] == 0  # the 13B tiers do not fit: unload after answering
    assert sent[DEFAULT_MODELS["principal"]] == "5m"
