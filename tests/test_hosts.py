"""Ollama host pools: the real ChatOllama client over stand-in servers, failing over within one call."""

from __future__ import annotations

import asyncio
import socket

import pytest
from langchain_ollama import ChatOllama

from coding_director.core.hosts import HostPool, pooled_client_kwargs, split_hosts
from tests.standin import StandinOllama

MODEL = "qwen2.5-coder:7b"


def dead_url() -> str:
    """A loopback port nobody listens on: connections to it are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def chat(pool: HostPool) -> ChatOllama:
    return ChatOllama(model=MODEL, **pooled_client_kwargs(pool, timeout_s=10))


def test_split_hosts_keeps_order_and_drops_blanks():
    assert split_hosts(" http://a:1/, ,http://b:2") == ("http://a:1", "http://b:2")


def test_a_refused_host_is_skipped_within_the_same_call_and_then_cooled_down():
    with StandinOllama(models=[MODEL]) as good:
        down = dead_url()
        pool = HostPool((down, good.url))
        reply = chat(pool).invoke("hello")
        assert reply.content == "You said: hello"
        assert len(good.chat_requests()) == 1
        states = {h["url"]: h for h in pool.describe()}
        assert states[down]["state"] == "cooling down"
        assert "refused" in states[down]["last_error"] or "Connect" in states[down]["last_error"]
        # the cooled-down host is now tried last: the next call goes straight to the good one
        assert pool.order(MODEL)[0] == good.url


def test_a_busy_host_passes_the_request_on_without_waiting():
    with StandinOllama(models=[MODEL], faults=lambda r: "busy") as busy, StandinOllama(models=[MODEL]) as good:
        pool = HostPool((busy.url, good.url))
        reply = chat(pool).invoke("hi")
        assert reply.content == "You said: hi"
        assert len(busy.chat_requests()) == 1 and len(good.chat_requests()) == 1


def test_streaming_and_async_calls_fail_over_too():
    with StandinOllama(models=[MODEL]) as good:
        pool = HostPool((dead_url(), good.url))
        model = chat(pool)
        assert "".join(str(c.content) for c in model.stream("one")) == "You said: one"

        async def ask() -> str:
            return str((await model.ainvoke("two")).content)

        assert asyncio.run(ask()) == "You said: two"
        assert all(h["in_flight"] == 0 for h in pool.describe())


def test_every_host_down_is_one_clear_error_naming_the_hosts():
    pool = HostPool((dead_url(), dead_url()))
    with pytest.raises(Exception) as caught:
        chat(pool).invoke("hi")
    assert "no Ollama host in the pool could be reached" in str(caught.value)
    assert all(url in str(caught.value) for url in pool.urls)


def test_every_host_busy_gives_the_503_to_the_caller():
    busy = dict(models=[MODEL], faults=lambda r: "busy")
    with StandinOllama(**busy) as a, StandinOllama(**busy) as b:
        pool = HostPool((a.url, b.url))
        with pytest.raises(Exception) as caught:
            chat(pool).invoke("hi")
        assert getattr(caught.value, "status_code", None) == 503


def test_a_host_with_the_model_loaded_is_preferred():
    with StandinOllama(models=[MODEL]) as cold, StandinOllama(models=[MODEL], loaded=[MODEL]) as warm:
        from coding_director.core.backends.ollama import loaded_models

        pool = HostPool((cold.url, warm.url), loaded_lookup=loaded_models)
        chat(pool).invoke("hi")
        assert len(warm.chat_requests()) == 1 and not cold.chat_requests()


def test_the_least_busy_host_gets_the_next_request():
    pool = HostPool(("http://a:1", "http://b:2"))
    pool.begin("http://a:1")
    assert pool.order(MODEL) == ["http://b:2", "http://a:1"]
    pool.end("http://a:1")
    assert pool.order(MODEL) == ["http://a:1", "http://b:2"]


def test_a_role_whose_base_url_is_a_list_answers_through_the_pool_without_retrying(tmp_path):
    from coding_director import build_graph
    from coding_director.core.settings import DEFAULT_MODELS, settings_from_env

    good_code = "```python\ndef add(a, b):\n    return a + b\n```"
    seed = list(DEFAULT_MODELS.values())
    with (
        StandinOllama(models=seed, faults=lambda r: "busy") as busy,
        StandinOllama(models=seed, responder=lambda r: good_code) as good,
    ):
        pool = f"{dead_url()},{busy.url},{good.url}"
        settings = settings_from_env(
            {
                "BACKEND": "ollama",
                "OLLAMA_BASE_URL": pool,
                "CODING_DIRECTOR_HOME": str(tmp_path),
                "RETRY_BACKOFF": "5",  # a retry would cost seconds; failing over costs none
            }
        )
        graph = build_graph(settings=settings, checkpointer=None, run_log=False, cache=False)
        result = graph.invoke({"messages": [("user", "Write a Python function add(a, b) that returns the sum.")]})
    assert result["outcome"] == "passed"
    assert [a.get("retries", 0) for a in result["attempts"]] == [0]
    assert len(good.chat_requests()) == 1


def test_a_pool_setting_is_checked_host_by_host():
    from coding_director.core.settings import SettingsError, settings_from_env

    settings = settings_from_env({"PRINCIPAL_BASE_URL": "http://gpu1:11434/, http://gpu2:11434"})
    assert settings.hosts_for("principal") == ("http://gpu1:11434", "http://gpu2:11434")
    assert settings.base_url_for("principal") == "http://gpu1:11434"
    with pytest.raises(SettingsError, match="PRINCIPAL_BASE_URL"):
        settings_from_env({"PRINCIPAL_BASE_URL": "http://gpu1:11434,garbage!@#"})
    with pytest.raises(SettingsError, match="same server twice"):
        settings_from_env({"OLLAMA_BASE_URL": "http://a:1,http://a:1"})


def test_doctor_lists_every_host_of_a_pool_with_its_state_and_models(tmp_path):
    from coding_director.app.doctor import diagnose
    from coding_director.core.settings import DEFAULT_MODELS, settings_from_env

    seed = list(DEFAULT_MODELS.values())
    down = dead_url()
    with StandinOllama(models=seed, loaded=[DEFAULT_MODELS["principal"]]) as up:
        settings = settings_from_env(
            {
                "BACKEND": "ollama",
                "OLLAMA_BASE_URL": up.url,
                "PRINCIPAL_BASE_URL": f"{up.url},{down}",
                "CODING_DIRECTOR_HOME": str(tmp_path),
            }
        )
        text = "\n".join(diagnose(settings).lines)
        url = up.url
    assert f"Ollama answers at {url} (for router, math, lead, senior, principal; in a pool)" in text
    assert "1 loaded" in text
    assert f"Ollama is not reachable at {down}" in text and "(for principal; in a pool)" in text
    assert f"principal {DEFAULT_MODELS['principal']} (on 1 of 2 hosts)" in text
    assert "Ready" in text
