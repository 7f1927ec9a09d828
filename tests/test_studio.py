"""`langgraph dev` serves the graph from langgraph.json, and runs it through the SDK."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from coding_director.core.settings import DEFAULT_MODELS
from tests.conftest import free_port
from tests.standin import GOOD_CODE, StandinOllama

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.studio,
    pytest.mark.skipif(not shutil.which("langgraph"), reason="langgraph-cli is not installed"),
]


@pytest.fixture
def studio(tmp_path):
    with StandinOllama(models=list(DEFAULT_MODELS.values()), responder=lambda r: GOOD_CODE) as ollama:
        port = free_port()
        env = {
            **os.environ,
            "LANGGRAPH_CLI_NO_ANALYTICS": "1",
            "BACKEND": "ollama",
            "OLLAMA_BASE_URL": ollama.url,
            "CODING_DIRECTOR_HOME": str(tmp_path / "data"),
            "HUMAN_ESCALATION": "true",  # the server brings a checkpointer, so the graph may pause
            "RETRY_BACKOFF": "0",
        }
        log = (tmp_path / "server.log").open("w")
        server = subprocess.Popen(
            ["langgraph", "dev", "--no-browser", "--no-reload", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                if server.poll() is not None:
                    pytest.fail("langgraph dev exited:\n" + (tmp_path / "server.log").read_text()[-3000:])
                try:
                    if httpx.get(f"{url}/ok", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.5)
            else:
                pytest.fail("langgraph dev did not come up:\n" + (tmp_path / "server.log").read_text()[-3000:])
            yield url, ollama
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()


def test_langgraph_dev_serves_and_runs_the_graph(studio):
    from langgraph_sdk import get_sync_client

    url, ollama = studio
    client = get_sync_client(url=url)
    assistants = client.assistants.search(graph_id="coding_director")
    assert assistants, "the graph from langgraph.json is not registered"
    thread = client.threads.create()
    result = client.runs.wait(
        thread["thread_id"],
        "coding_director",
        input={"messages": [{"role": "user", "content": "Write a Python function add(a, b)."}]},
    )
    assert result["outcome"] == "passed"
    assert result["final_answer"] == GOOD_CODE
    assert [a["tier"] for a in result["attempts"]] == ["lead_developer"]
    assert ollama.chat_requests()[0]["body"]["model"] == DEFAULT_MODELS["lead"]

    # the server's own checkpointer keeps the thread: a second turn sees the first
    client.runs.wait(
        thread["thread_id"],
        "coding_director",
        input={"messages": [{"role": "user", "content": "Now explain it."}]},
    )
    state = client.threads.get_state(thread["thread_id"])
    assert [m["type"] for m in state["values"]["messages"]] == ["human", "ai", "human", "ai"]


def test_human_escalation_pauses_in_studio_and_resumes_through_the_api(studio):
    from langgraph_sdk import get_sync_client

    url, ollama = studio
    ollama.responder = lambda request: "I cannot help with that."
    client = get_sync_client(url=url)
    thread = client.threads.create()
    client.runs.wait(
        thread["thread_id"],
        "coding_director",
        input={"messages": [{"role": "user", "content": "Write a Python function add(a, b)."}]},
    )
    state = client.threads.get_state(thread["thread_id"])
    assert state["next"] == ["ask_human"]
    [pause] = [i for task in state["tasks"] for i in task.get("interrupts", [])]
    assert pause["value"]["question"].startswith("No tier passed review")

    ollama.responder = lambda request: GOOD_CODE
    result = client.runs.wait(
        thread["thread_id"],
        "coding_director",
        command={"resume": {"action": "retry", "hint": "Use the + operator.", "tier": "principal_architect"}},
    )
    assert result["outcome"] == "passed"
    assert result["attempts"][-1]["tier"] == "principal_architect"
    assert "Use the + operator." in ollama.chat_requests()[-1]["body"]["messages"][-1]["content"]


def test_studio_renders_the_per_call_options_and_runs_with_them(studio):
    from langgraph_sdk import get_sync_client

    url, ollama = studio
    client = get_sync_client(url=url)
    [assistant] = client.assistants.search(graph_id="coding_director")
    schema = client.assistants.get_schemas(assistant["assistant_id"])["context_schema"]
    fields = schema["properties"]
    assert {"max_attempts", "start_tier", "force_route", "no_cache"} <= set(fields)
    assert all(field.get("description") for field in fields.values())  # the form labels each option
    thread = client.threads.create()
    result = client.runs.wait(
        thread["thread_id"],
        "coding_director",
        input={"messages": [{"role": "user", "content": "Write a Python function add(a, b)."}]},
        context={"start_tier": "principal", "no_cache": True},
    )
    assert [a["tier"] for a in result["attempts"]] == ["principal_architect"]
    assert ollama.chat_requests()[-1]["body"]["model"] == DEFAULT_MODELS["principal"]
