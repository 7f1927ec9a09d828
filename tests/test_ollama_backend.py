"""The `ollama` backend over real HTTP, against a stand-in that speaks Ollama's JSON."""

from __future__ import annotations

import pytest

from coding_director import build_graph
from coding_director.core.backends.registry import ModelRegistry
from coding_director.core.settings import DEFAULT_MODELS, settings_from_env
from tests.conftest import free_port
from tests.standin import GOOD_CODE, StandinOllama

SEED_MODELS = [*DEFAULT_MODELS.values()]


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
    assert {role for role, _backend in graph.services.models._models} == {"lead"}
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
    import coding_director.core.backends.ollama as ollama_module

    monkeypatch.setattr(ollama_module, "available_memory_bytes", lambda: 20 * 1024**3)  # a 20 GB laptop
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


def test_a_refused_host_is_remembered_for_the_request_and_auto_moves_on_to_embedded(ollama, tmp_path, monkeypatch):
    """Ollama answered the probe, then went down: the lead's refusal sends the remaining tiers to the
    embedded model at once (one message), and the next request tries Ollama again."""
    from coding_director.core.backends.embedded import EmbeddedBackend
    from tests.fakes import scripted

    monkeypatch.setattr(EmbeddedBackend, "chat_model", lambda self, role: scripted("embedded", GOOD_CODE))
    monkeypatch.setattr(EmbeddedBackend, "label", lambda self, role: "fake (embedded)")
    settings = settings_from_env(
        {"OLLAMA_BASE_URL": ollama.url, "CODING_DIRECTOR_HOME": str(tmp_path), "RETRY_BACKOFF": "0"}
    )
    graph = build_graph(settings=settings, checkpointer=None)
    assert graph.services.models.choice("lead").backend == "ollama"
    url = ollama.url
    ollama.stop()
    result = graph.invoke({"messages": [("user", "Write a Python function add(a, b).")]})
    lead, senior = result["attempts"]
    assert lead["error"].startswith(f"unreachable: cannot connect to Ollama at {url}")
    assert lead["error"].endswith("The remaining tiers use the embedded model.")
    assert senior["model"] == "fake (embedded)" and senior["error"] is None
    assert result["outcome"] == "passed"
    # remembered for that request only: the next one asks Ollama again
    assert graph.services.models.choice("lead", "another request").backend == "ollama"


def test_cancel_stops_an_ollama_stream_within_a_second(tmp_path):
    import threading
    import time

    from coding_director.core.backends.cancel import GenerationCancelled

    with StandinOllama(models=SEED_MODELS, responder=lambda r: "word " * 200) as server:
        server.chunk_delay_s = 0.1  # 125 chunks: about 12 s to the end
        settings = settings_from_env(
            {"BACKEND": "ollama", "OLLAMA_BASE_URL": server.url, "CODING_DIRECTOR_HOME": str(tmp_path)}
        )
        registry = ModelRegistry(settings)
        model = registry.get("lead")
        outcome: dict[str, object] = {}
        first = threading.Event()

        def generate() -> None:
            try:
                for chunk in model.stream("Write many words."):
                    if chunk.content:
                        first.set()
                outcome["result"] = "finished"
            except GenerationCancelled as exc:
                outcome["result"] = exc
            outcome["ended"] = time.perf_counter()

        worker = threading.Thread(target=generate)
        worker.start()
        assert first.wait(10)
        cancelled_at = time.perf_counter()
        registry.cancel()
        worker.join(10)
    assert isinstance(outcome.get("result"), GenerationCancelled)
    assert outcome["ended"] - cancelled_at < 4.0  # type: ignore[operator]  # ~12 s of stream were left


def _doctor(settings):
    from coding_director.app.doctor import diagnose

    return diagnose(settings)


def test_doctor_and_ask_agree_when_ollama_answers_but_lacks_the_models(tmp_path):
    """Under BACKEND=auto a role whose model is not pulled runs on the embedded model, and says so;
    doctor predicts exactly that instead of claiming Ollama can answer."""
    with StandinOllama(models=[DEFAULT_MODELS["router"]], responder=lambda r: GOOD_CODE) as server:
        settings = settings_from_env({"OLLAMA_BASE_URL": server.url, "CODING_DIRECTOR_HOME": str(tmp_path)})
        report = "\n".join(_doctor(settings).lines)
        registry = ModelRegistry(settings)
        for role in ("lead", "senior", "principal"):
            choice = registry.choice(role)
            tag = DEFAULT_MODELS[role]
            assert choice.backend == "embedded"
            assert f"does not have {tag} (`ollama pull {tag}`)" in choice.reason
            assert f"{role:<9} embedded: " in report
        assert registry.choice("router").backend == "ollama"
        assert f"✓ router    ollama: {DEFAULT_MODELS['router']}" in report
        assert "Ready: this setup can answer requests (on embedded)." in report or "Not ready" in report


def test_doctor_marks_only_what_is_fine(tmp_path, monkeypatch):
    import coding_director.app.doctor as doctor_module

    monkeypatch.setattr(doctor_module, "available_memory_bytes", lambda: 20 * 1024**3)
    models = [*SEED_MODELS, "nomic-embed-text:latest"]
    with StandinOllama(models=models, capabilities={"nomic-embed-text:latest": ["embedding"]}) as server:
        settings = settings_from_env(
            {
                "BACKEND": "ollama",
                "OLLAMA_BASE_URL": server.url,
                "CODING_DIRECTOR_HOME": str(tmp_path),
                "LEAD_MODEL": "nomic-embed-text:latest",
                "SENIOR_MODEL": "qwen2.5-coder:7b",  # not pulled, and its size is known nowhere
            }
        )
        lines = _doctor(settings).lines
    text = "\n".join(lines)
    assert "✗ lead      nomic-embed-text:latest: nomic-embed-text:latest cannot chat" in text
    assert not any(line.startswith("  ✓") and "nomic-embed-text" in line for line in lines)
    memory = [line for line in lines if "models loaded need about" in line]
    assert memory and memory[0].startswith("  !")  # 4 × 4.1 GB × 1.4 do not fit in 20 GB
    [unknown] = [line for line in lines if "size unknown, left out of the plan above:" in line]
    assert unknown.startswith("  !") and "senior (qwen2.5-coder:7b)" in unknown
    assert "all 4 models loaded" in text


def test_ctrl_c_in_ask_stops_the_ollama_stream_and_exits_within_a_second(tmp_path):
    """Issue 12 #5: Ctrl-C stops the generation itself, not only the printing."""
    import os
    import shutil
    import signal
    import subprocess
    import time

    exe = shutil.which("coding-director")
    if not exe:
        pytest.skip("coding-director is not installed")
    with StandinOllama(models=SEED_MODELS, responder=lambda r: "word " * 400) as server:
        server.chunk_delay_s = 0.05  # 250 chunks: about 12 s to the end
        env = {
            "PATH": os.environ["PATH"],
            "HOME": str(tmp_path),
            "CODING_DIRECTOR_HOME": str(tmp_path / "data"),
            "OLLAMA_BASE_URL": server.url,
            "BACKEND": "ollama",
        }
        process = subprocess.Popen(
            [exe, "ask", "--stream", "Write a Python function add(a, b)."],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,  # into a pipe, streamed (provisional) tokens go to stderr
        )
        assert process.stderr is not None
        seen = b""
        deadline = time.monotonic() + 60
        while b"word word" not in seen:  # the answer is streaming
            assert time.monotonic() < deadline, seen[-500:]
            chunk = os.read(process.stderr.fileno(), 4096)
            assert chunk, seen[-500:]
            seen += chunk
        interrupted = time.perf_counter()
        process.send_signal(signal.SIGINT)
        code = process.wait(15)
        elapsed = time.perf_counter() - interrupted
        chunks_sent = len([r for r in server.requests if r["path"] == "/api/chat"])
    assert code == 130
    # the stream had ~12 s left: the process ends about as fast as Python exits (0.6-0.7 s measured
    # here on 2 busy cores), not when the generation would have finished
    assert elapsed < 4.0, f"exited {elapsed:.1f} s after Ctrl-C"
    assert chunks_sent == 1


def test_a_new_backend_is_one_class_and_one_table_entry(tmp_path, monkeypatch):
    """Issue 13 #5: the registry knows backends only through the protocol and the BACKENDS table."""
    import coding_director.core.backends.registry as registry_module
    from coding_director.core.backends.base import Availability
    from coding_director.core.settings import BACKENDS as SETTING_NAMES
    from tests.fakes import scripted

    assert set(registry_module.BACKENDS) | {"auto"} == set(SETTING_NAMES)

    class EchoBackend:
        name = "echo"

        def __init__(self, settings, cancellation=None):
            self.settings = settings

        def probe(self, role):
            return Availability(role != "principal", f"echo {'declines' if role == 'principal' else 'serves'} {role}")

        def chat_model(self, role):
            return scripted(f"echo-{role}", GOOD_CODE)

        def label(self, role):
            return f"echo-{role}"

        def cannot_chat(self, role):
            return None

        def is_loaded(self, role):
            return True

        def context_size(self, role):
            return 1234

        def describe_error(self, role, exc):
            return None

    monkeypatch.setattr(registry_module, "BACKENDS", {"echo": EchoBackend, **registry_module.BACKENDS})
    dead = f"http://127.0.0.1:{free_port()}"
    registry = ModelRegistry(settings_from_env({"OLLAMA_BASE_URL": dead, "CODING_DIRECTOR_HOME": str(tmp_path)}))
    assert registry.choice("lead") == registry_module.BackendChoice("echo", "echo serves lead")
    assert registry.label("lead") == "echo-lead" and registry.context_size("lead") == 1234
    assert registry.get("lead").invoke("hi").text == GOOD_CODE
    principal = registry.choice("principal")  # declined by echo, Ollama down: the last entry, embedded
    assert principal.backend == "embedded"
    assert principal.reason.startswith("echo declines principal; Ollama is not reachable")
