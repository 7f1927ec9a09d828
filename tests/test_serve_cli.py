"""`coding-director serve` as a user runs it: the installed command in its own process, the real Ollama
backend talking to the wire-level stand-in, and the official clients talking to the server."""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time

import httpx
import ollama
import openai
import pytest

from coding_director.core.settings import DEFAULT_MODELS
from tests.conftest import HAS_EMBEDDED, free_port
from tests.serve_support import EXE, base_env, serve_process
from tests.standin import GOOD_CODE, StandinOllama

pytestmark = pytest.mark.skipif(not EXE, reason="coding-director is not installed (pip install -e .)")

TASK = "Write a Python function add(a, b)."


@pytest.fixture
def standin():
    with StandinOllama(models=list(DEFAULT_MODELS.values()), responder=lambda request: GOOD_CODE) as server:
        yield server


@pytest.fixture
def env(tmp_path, standin):
    return base_env(tmp_path, BACKEND="ollama", OLLAMA_BASE_URL=standin.url, ROUTER_CONFIDENCE="0", CACHE="false")


def test_serve_answers_both_clients_through_the_ollama_backend_and_stats_count_it(env, standin):
    with serve_process(env=env) as (url, process):
        client = openai.OpenAI(base_url=url + "/v1", api_key="any", max_retries=0)
        completion = client.chat.completions.create(
            model="coding-director", messages=[{"role": "user", "content": TASK}]
        )
        assert completion.choices[0].message.content == GOOD_CODE
        report = completion.model_extra["coding_director"]
        assert report["answered_by"]["model"] == DEFAULT_MODELS["lead"]
        assert report["attempts"][0]["strength"] == "static" or report["attempts"][0]["passed"]
        # the stand-in counts words: usage is what the backend reported
        assert completion.usage.completion_tokens == len(GOOD_CODE.split())
        streamed = "".join(
            chunk.message.content
            for chunk in ollama.Client(host=url).chat(
                model="coding-director", messages=[{"role": "user", "content": TASK}], stream=True
            )
        )
        assert streamed == GOOD_CODE
        # the server sent the tier's model the request, once
        assert [m["content"] for m in standin.chat_requests()[-1]["body"]["messages"][1:]] == [TASK]
        # a conversation kept by the server (X-Thread-Id) ...
        threaded = openai.OpenAI(
            base_url=url + "/v1", api_key="any", max_retries=0, default_headers={"X-Thread-Id": "from-editor"}
        )
        threaded.chat.completions.create(model="coding-director", messages=[{"role": "user", "content": TASK}])
    assert process.returncode == 0
    # ... resumes in the CLI
    chat = subprocess.run(
        [EXE, "chat", "--thread", "from-editor"], input="/history\n/quit\n", env=env, capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert f"you: {TASK}" in chat.stdout and "director: ```python" in chat.stdout
    assert "resumed, 2 messages" in chat.stderr
    stats = subprocess.run([EXE, "stats", "--json"], env=env, capture_output=True, text=True, timeout=60)
    served = json.loads(stats.stdout)["served"]
    assert served["requests"] == 3
    assert served["endpoints"] == {"/v1/chat/completions": 2, "/api/chat": 1}
    table = subprocess.run([EXE, "stats"], env=env, capture_output=True, text=True, timeout=60).stdout
    assert "served: 3 requests" in table


def _stream_in_background(url: str, lines: list[str]) -> threading.Thread:
    def read() -> None:
        body = {"model": "coding-director", "stream": True, "messages": [{"role": "user", "content": TASK}]}
        with httpx.stream("POST", url + "/v1/chat/completions", json=body, timeout=60) as reply:
            for line in reply.iter_lines():
                if line:
                    lines.append(line)

    thread = threading.Thread(target=read)
    thread.start()
    return thread


def _wait(condition, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.mark.parametrize(
    ("grace", "model_delay", "finishes"),
    [("10", 1.5, True), ("0.5", 6.0, False)],
    ids=["in-flight-request-finishes", "cancelled-with-a-clear-error"],
)
def test_sigterm_stops_cleanly(env, standin, grace, model_delay, finishes):
    standin.delay_s = model_delay
    with serve_process(env={**env, "SERVE_SHUTDOWN_GRACE": grace}) as (url, process):
        lines: list[str] = []
        reader = _stream_in_background(url, lines)
        _wait(lambda: any("Routed to" in line for line in lines))
        process.send_signal(signal.SIGTERM)
        reader.join(timeout=30)
        assert process.wait(timeout=30) == 0
        assert not reader.is_alive()
    if finishes:
        assert lines[-1] == "data: [DONE]"
        assert any(GOOD_CODE.split("\n")[1] in line for line in lines)
    else:
        error = json.loads(lines[-1].removeprefix("data: "))["error"]
        assert error["code"] == "shutting_down" and "send it again" in error["message"]
    assert "stopped" in process.stderr.read()


def test_keepalive_comments_keep_a_slow_stream_open(env, standin):
    standin.delay_s = 1.5
    with serve_process(env={**env, "SERVE_KEEPALIVE": "0.3"}) as (url, _):
        body = {"model": "coding-director", "stream": True, "messages": [{"role": "user", "content": TASK}]}
        with httpx.stream("POST", url + "/v1/chat/completions", json=body, timeout=60) as reply:
            raw = [line for line in reply.iter_lines() if line]
        assert any(line.startswith(": ping") for line in raw)  # SSE comments, ignored by clients
        with httpx.stream("POST", url + "/api/chat", json={**body, "stream": True}, timeout=60) as reply:
            chunks = [json.loads(line) for line in reply.iter_lines() if line]
        assert any(c["message"] == {"role": "assistant", "content": ""} and not c["done"] for c in chunks)


def test_beyond_loopback_a_key_or_insecure_is_required(env):
    refused = subprocess.run(
        [EXE, "serve", "--host", "0.0.0.0", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2
    assert "SERVE_API_KEY" in refused.stderr and "--insecure" in refused.stderr
    assert "Traceback" not in refused.stderr
    port = free_port()
    with serve_process("--host", "0.0.0.0", "--insecure", env=env, port=port) as (url, process):
        assert httpx.get(url + "/api/version").json()["version"]
    assert "WARNING" in process.stderr.read()


def test_setups_the_server_refuses_say_why(env):
    workers = subprocess.run(
        [EXE, "serve", "--workers", "2", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert workers.returncode == 2 and "DATABASE_URL" in workers.stderr
    bad = subprocess.run(
        [EXE, "serve", "--port", str(free_port())],
        env={**env, "SERVE_MAX_QUEUE": "lots"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "SERVE_MAX_QUEUE='lots'" in bad.stderr
    with serve_process(env=env) as (url, _):
        port = int(url.rsplit(":", 1)[1])
        taken = subprocess.run([EXE, "serve", "--port", str(port)], env=env, capture_output=True, text=True, timeout=60)
        assert taken.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in taken.stderr


def test_several_workers_share_one_conversation_through_postgres(env, standin, postgres_url):
    with serve_process("--workers", "2", env={**env, "DATABASE_URL": postgres_url}) as (url, process):
        client = openai.OpenAI(
            base_url=url + "/v1", api_key="any", max_retries=0, default_headers={"X-Thread-Id": "shared"}
        )
        history: list[dict[str, str]] = []
        for turn in range(4):
            history.append({"role": "user", "content": f"{TASK} (turn {turn})"})
            reply = client.chat.completions.create(model="coding-director", messages=history)
            history.append({"role": "assistant", "content": reply.choices[0].message.content})
        # whichever worker took the last turn saw the whole conversation, each turn once
        sent = [m["content"] for m in standin.chat_requests()[-1]["body"]["messages"]]
        assert [s for s in sent if s.startswith(TASK)] == [f"{TASK} (turn {t})" for t in range(4)]
    assert process.returncode == 0


@pytest.mark.embedded
@pytest.mark.skipif(not HAS_EMBEDDED, reason="needs the 'embedded' extra")
def test_serve_on_the_real_embedded_model(tmp_path):
    env = base_env(tmp_path, BACKEND="embedded", CACHE="false", EMBEDDED_MAX_TOKENS="96", MAX_ATTEMPTS="2")
    with serve_process(env=env) as (url, _):
        client = openai.OpenAI(base_url=url + "/v1", api_key="any", max_retries=0, timeout=300)
        stream = client.chat.completions.create(
            model="coding-director", messages=[{"role": "user", "content": "What is 17 * 23?"}], stream=True
        )
        content, thinking, report = "", "", None
        for chunk in stream:
            for choice in chunk.choices:
                content += choice.delta.content or ""
                thinking += (choice.delta.model_extra or {}).get("reasoning_content") or ""
                if choice.finish_reason:
                    report = chunk.model_extra["coding_director"]
    assert content.strip()
    assert "Routed to math" in thinking
    assert report is not None and report["attempts"]
    assert all(a["model"].endswith("(embedded)") for a in report["attempts"])  # whichever embedded team
    assert report["outcome"] in ("passed", "no_tier_passed", "attempt_cap", "early_stop", "budget_exhausted")
    if report["outcome"] != "passed":
        assert "No tier passed validation" in content
