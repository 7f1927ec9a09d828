"""`serve`'s error paths, limits, auth, conversations and cancellation, over raw HTTP on a real server."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.chat_models import generate_from_stream
from langchain_core.messages import AIMessageChunk
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import Field

from coding_director import build_graph
from coding_director.app.serve.app import create_app
from coding_director.core.runlog import RunLog
from coding_director.core.settings import settings_from_env
from tests.fakes import team
from tests.serve_support import running_app

ASK = {"model": "coding-director", "messages": [{"role": "user", "content": "Explain what a Python list is."}]}
ANSWER = "A list is an ordered, mutable sequence."


class SlowModel(BaseChatModel):
    """Writes `tokens` tokens, `delay_s` apart, counting each one as it is produced."""

    model: str = "slow"
    tokens: int = 200
    delay_s: float = 0.02
    produced: list[int] = Field(default_factory=lambda: [0])
    calls: list[Any] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "slow-fake"

    def _stream(self, messages, stop=None, run_manager=None, **kwargs) -> Iterator[ChatGenerationChunk]:
        self.calls.append(messages)
        for _ in range(self.tokens):
            time.sleep(self.delay_s)
            self.produced[0] += 1
            chunk = ChatGenerationChunk(message=AIMessageChunk(content="word "))
            if run_manager:
                run_manager.on_llm_new_token("word ", chunk=chunk)
            yield chunk

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        return generate_from_stream(self._stream(messages, stop, run_manager))


def make_settings(tmp_path, **env: str):
    return settings_from_env(
        {"CODING_DIRECTOR_HOME": str(tmp_path / "data"), "RETRY_BACKOFF": "0", "CACHE": "false", **env}
    )


@pytest.fixture
def serve(tmp_path):
    """serve(models, **settings) → the base URL of a running server over those models."""
    stack: list[Any] = []

    def start(models: dict[str, Any], checkpointer: Any = None, **env: str) -> str:
        settings = make_settings(tmp_path, **env)
        graph = build_graph(settings=settings, models=models, checkpointer=checkpointer)
        start.app = create_app(graph, settings)  # type: ignore[attr-defined]  # for tests that look inside
        context = running_app(start.app)  # type: ignore[attr-defined]
        stack.append((context, graph))
        return context.__enter__()

    yield start
    for context, _ in reversed(stack):
        context.__exit__(None, None, None)


def slow_team(**overrides: Any) -> dict[str, Any]:
    models: dict[str, Any] = team()
    models["lead"] = SlowModel(model="slow-lead")
    models.update(overrides)
    return models


def test_a_body_over_the_limit_gets_413(serve):
    url = serve(team(lead=[ANSWER]), SERVE_MAX_BODY="2048")
    big = {**ASK, "messages": [{"role": "user", "content": "x" * 5000}]}
    reply = httpx.post(url + "/v1/chat/completions", json=big)
    assert reply.status_code == 413
    assert reply.json()["error"]["code"] == "body_too_large"
    assert "SERVE_MAX_BODY" in reply.json()["error"]["message"]
    ollama_side = httpx.post(url + "/api/chat", json=big)
    assert ollama_side.status_code == 413 and "SERVE_MAX_BODY" in ollama_side.json()["error"]
    # a chunked body (no Content-Length) is cut off as soon as it passes the limit
    chunked = httpx.post(url + "/v1/chat/completions", content=iter([json.dumps(big).encode()]))
    assert chunked.status_code == 413


def test_message_count_and_length_limits(serve):
    url = serve(team(), SERVE_MAX_MESSAGES="2", SERVE_MAX_MESSAGE_CHARS="100")
    many = {**ASK, "messages": [{"role": "user", "content": "hi"}] * 3}
    reply = httpx.post(url + "/v1/chat/completions", json=many)
    assert reply.status_code == 400 and reply.json()["error"]["code"] == "too_many_messages"
    long = {**ASK, "messages": [{"role": "user", "content": "x" * 101}]}
    reply = httpx.post(url + "/v1/chat/completions", json=long)
    assert reply.status_code == 400 and "SERVE_MAX_MESSAGE_CHARS" in reply.json()["error"]["message"]


@pytest.mark.parametrize(
    ("body", "param", "says"),
    [
        (b"{not json", None, "not valid JSON"),
        (b"[]", None, "JSON object"),
        (json.dumps({"messages": ASK["messages"]}).encode(), "model", "`model` is required"),
        (json.dumps({**ASK, "messages": []}).encode(), "messages", "non-empty list"),
        (json.dumps({**ASK, "messages": [{"role": "wizard", "content": "hi"}]}).encode(), "messages", "unknown role"),
        (
            json.dumps({**ASK, "messages": [{"role": "user", "content": [{"type": "image_url"}]}]}).encode(),
            "messages",
            "only text",
        ),
        (json.dumps({**ASK, "temperature": 7}).encode(), "temperature", "0 to 2"),
        (json.dumps({**ASK, "coding_director": {"max_attempts": 0}}).encode(), "coding_director", "max_attempts"),
    ],
)
def test_bad_requests_get_a_400_that_says_what_is_wrong(serve, body, param, says):
    url = serve(team())
    reply = httpx.post(url + "/v1/chat/completions", content=body, headers={"Content-Type": "application/json"})
    assert reply.status_code == 400
    error = reply.json()["error"]
    assert says in error["message"] and error["param"] == param and error["type"] == "invalid_request_error"


def test_unknown_paths_and_methods_answer_in_each_apis_shape(serve):
    url = serve(team())
    assert httpx.get(url + "/v1/nothing").json()["error"]["code"] == "not_found"
    assert httpx.get(url + "/api/nothing").json() == {"error": "no such endpoint: GET /api/nothing"}
    assert httpx.get(url + "/v1/chat/completions").status_code == 405


def test_an_unexpected_failure_is_a_500_without_a_traceback(serve, monkeypatch):
    models = team()
    models["lead"] = SlowModel(model="slow-lead", tokens=1, delay_s=0)
    url = serve(models)
    from coding_director.app.serve import runner as runner_module

    def explode(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(runner_module, "summarise", explode)
    reply = httpx.post(url + "/v1/chat/completions", json=ASK, timeout=30)
    assert reply.status_code == 500
    assert reply.json()["error"]["type"] == "server_error"
    assert "Traceback" not in reply.text and "secret internals" not in reply.text
    # after the stream has started: an error chunk in OpenAI's shape
    streamed = httpx.post(url + "/v1/chat/completions", json={**ASK, "stream": True}, timeout=30)
    assert '"type": "server_error"' in streamed.text and "Traceback" not in streamed.text
    # before it has started: the status itself
    monkeypatch.setattr(runner_module.Runner, "_stream", staticmethod(explode))
    for path in ("/v1/chat/completions", "/api/chat"):
        early = httpx.post(url + path, json={**ASK, "stream": True}, timeout=30)
        assert early.status_code == 500 and "secret internals" not in early.text


def test_the_api_key_is_required_when_set(serve):
    url = serve(team(lead=[ANSWER]), SERVE_API_KEY="s3cret-key-1")
    assert httpx.get(url + "/").status_code == 200  # the liveness probe stays open
    none = httpx.get(url + "/v1/models")
    assert none.status_code == 401 and none.json()["error"]["type"] == "authentication_error"
    assert none.headers["WWW-Authenticate"] == "Bearer"
    wrong = httpx.get(url + "/api/tags", headers={"Authorization": "Bearer s3cret-key-2"})
    assert wrong.status_code == 401 and "not valid" in wrong.json()["error"]
    right = httpx.post(
        url + "/v1/chat/completions", json=ASK, headers={"Authorization": "Bearer s3cret-key-1"}, timeout=30
    )
    assert right.status_code == 200 and right.json()["choices"][0]["message"]["content"] == ANSWER


def test_cors_is_off_unless_origins_are_configured(serve):
    closed = serve(team())
    preflight = {"Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST"}
    assert (
        "access-control-allow-origin" not in httpx.options(closed + "/v1/chat/completions", headers=preflight).headers
    )
    opened = serve(team(), SERVE_CORS_ORIGINS="http://localhost:3000")
    reply = httpx.options(opened + "/v1/chat/completions", headers=preflight)
    assert reply.headers["access-control-allow-origin"] == "http://localhost:3000"
    other = httpx.options(opened + "/v1/chat/completions", headers={**preflight, "Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_beyond_the_queue_requests_get_503_with_retry_after(serve):
    models = slow_team()
    models["lead"].delay_s = 0.01
    url = serve(models, SERVE_MAX_CONCURRENT="1", SERVE_MAX_QUEUE="1")
    results: list[httpx.Response] = []
    threads = [
        threading.Thread(target=lambda: results.append(httpx.post(url + "/v1/chat/completions", json=ASK, timeout=60)))
        for _ in range(2)
    ]
    admission = serve.app.state.runner.admission
    threads[0].start()
    assert _wait_for(lambda: admission.running == 1)
    threads[1].start()
    assert _wait_for(lambda: admission.waiting == 1)  # the first runs, the second waits in the queue
    third = httpx.post(url + "/v1/chat/completions", json=ASK, timeout=60)
    assert third.status_code == 503
    assert third.headers["Retry-After"] == "2"
    assert "SERVE_MAX_QUEUE" in third.json()["error"]["message"]
    for thread in threads:
        thread.join()
    assert [r.status_code for r in results] == [200, 200]  # the queued one was served in its turn


def _wait_for(condition, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("stream", [True, False])
def test_a_client_that_disconnects_cancels_its_run(serve, stream, tmp_path):
    models = slow_team()
    url = serve(models)
    slow = models["lead"]
    with httpx.Client(timeout=30) as client:
        if stream:
            with client.stream("POST", url + "/v1/chat/completions", json={**ASK, "stream": True}) as reply:
                lines = reply.iter_lines()  # kept: dropping the iterator closes the response
                next(lines)
                assert _wait_for(lambda: slow.produced[0] > 0)  # the lead is writing; now the client leaves
        else:
            with pytest.raises(httpx.ReadTimeout):
                client.post(url + "/v1/chat/completions", json=ASK, timeout=httpx.Timeout(30, read=0.5))
    assert _wait_for(lambda: slow.produced[0] > 0)
    assert _wait_for(lambda: _still(slow, 0.5))  # generation stopped
    assert slow.produced[0] < slow.tokens
    assert models["senior"].calls == []  # and no other tier was asked
    log = RunLog(make_settings(tmp_path).run_log_file)
    assert _wait_for(lambda: [r["status"] for r in log.records() if r.get("kind") == "served"] == [499])


def _still(model: SlowModel, seconds: float) -> bool:
    before = model.produced[0]
    time.sleep(seconds)
    return model.produced[0] == before


def test_x_thread_id_keeps_one_conversation_and_appends_only_the_new_turn(serve):
    models = team(lead=["first answer", "second answer"])
    checkpointer = InMemorySaver()
    url = serve(models, checkpointer=checkpointer)
    headers = {"X-Thread-Id": "editor-1"}
    first = [{"role": "user", "content": "Explain what a Python list is."}]
    reply = httpx.post(url + "/v1/chat/completions", json={**ASK, "messages": first}, headers=headers, timeout=30)
    assert reply.json()["coding_director"]["thread_id"] == "editor-1"
    history = [*first, {"role": "assistant", "content": "first answer"}, {"role": "user", "content": "And a tuple?"}]
    reply = httpx.post(url + "/v1/chat/completions", json={**ASK, "messages": history}, headers=headers, timeout=30)
    assert reply.json()["choices"][0]["message"]["content"] == "second answer"
    graph = build_graph(models=team(), checkpointer=checkpointer)
    kept = graph.get_state({"configurable": {"thread_id": "editor-1"}}).values["messages"]
    assert [(m.type, m.text) for m in kept] == [
        ("human", "Explain what a Python list is."),
        ("ai", "first answer"),
        ("human", "And a tuple?"),
        ("ai", "second answer"),
    ]
    # the lead saw the thread's history, once
    assert [m.text for m in models["lead"].calls[1][1:]] == [
        "Explain what a Python list is.",
        "first answer",
        "And a tuple?",
    ]


def test_a_second_request_on_a_busy_thread_gets_a_clear_409(serve):
    url = serve(slow_team(), checkpointer=InMemorySaver(), THREAD_WAIT_S="0")
    headers = {"X-Thread-Id": "busy"}
    first = threading.Thread(
        target=lambda: httpx.post(url + "/v1/chat/completions", json=ASK, headers=headers, timeout=60)
    )
    first.start()
    assert _wait_for(lambda: serve.app.state.runner.admission.running == 1)
    time.sleep(0.2)  # and holds the thread
    second = httpx.post(url + "/v1/chat/completions", json=ASK, headers=headers, timeout=60)
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "thread_busy"
    first.join()


def test_a_thread_needs_memory(serve):
    url = serve(team(), checkpointer=None)
    reply = httpx.post(url + "/v1/chat/completions", json=ASK, headers={"X-Thread-Id": "t"})
    assert reply.status_code == 400 and "X-Thread-Id" in reply.json()["error"]["message"]


def test_served_requests_go_into_the_run_log(serve, tmp_path):
    url = serve(team(lead=[ANSWER, ANSWER]))
    httpx.post(url + "/v1/chat/completions", json=ASK, timeout=30)
    httpx.post(url + "/api/chat", json={**ASK, "model": "coding-director:lead"}, timeout=30)
    httpx.post(url + "/v1/chat/completions", json={**ASK, "model": "nope"}, timeout=30)
    log = RunLog(make_settings(tmp_path).run_log_file)
    assert _wait_for(lambda: len([r for r in log.records() if r.get("kind") == "served"]) == 3)
    served = [r for r in log.records() if r.get("kind") == "served"]
    assert [(r["endpoint"], r["model"], r["stream"], r["status"]) for r in served] == [
        ("/v1/chat/completions", "coding-director", False, 200),
        ("/api/chat", "coding-director:lead", True, 200),
        ("/v1/chat/completions", "nope", False, 404),
    ]
    runs = {r["request_id"] for r in log.records() if r.get("kind") != "served"}
    assert served[0]["request_id"] in runs  # the served record points at the graph's own record


class OneAtATimeModel(SlowModel):
    """Like the embedded model: one generation at a time (a lock), whoever asks."""

    lock: Any = Field(default_factory=threading.Lock)
    overlapped: list[bool] = Field(default_factory=lambda: [False])

    def _stream(self, messages, stop=None, run_manager=None, **kwargs) -> Iterator[ChatGenerationChunk]:
        if not self.lock.acquire(blocking=False):
            self.overlapped[0] = True
            self.lock.acquire()
        try:
            yield from super()._stream(messages, stop, run_manager, **kwargs)
        finally:
            self.lock.release()


def test_requests_run_concurrently_while_a_one_at_a_time_model_serialises_only_its_calls(serve):
    models = team(senior=[ANSWER])
    models["lead"] = OneAtATimeModel(model="one-at-a-time", tokens=40, delay_s=0.025)  # ~1 s a call
    url = serve(models, SERVE_MAX_CONCURRENT="3")
    finished: dict[str, float] = {}
    started = time.perf_counter()

    def ask(name: str, model: str) -> None:
        reply = httpx.post(url + "/v1/chat/completions", json={**ASK, "model": model}, timeout=60)
        assert reply.status_code == 200
        finished[name] = time.perf_counter() - started

    threads = [threading.Thread(target=ask, args=(f"lead-{i}", "coding-director")) for i in range(2)]
    threads.append(threading.Thread(target=ask, args=("senior", "coding-director:senior")))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # the senior's request was routed, answered and validated while the lead's model was busy
    assert finished["senior"] < min(finished["lead-0"], finished["lead-1"])
    # both lead requests were in flight at once (the server did not queue them), and the model's own lock
    # ran its two calls one after the other
    assert models["lead"].overlapped == [True]
    assert max(finished["lead-0"], finished["lead-1"]) >= 2 * 40 * 0.025
    assert models["lead"].produced[0] == 80
