"""`serve` as the official `openai` and `ollama` clients see it: a real server on a loopback port, the graph
on fake models (scripted per tier, so which tier passes is known)."""

from __future__ import annotations

import json

import httpx
import ollama
import openai
import pytest
from langgraph.checkpoint.memory import InMemorySaver

from coding_director import build_graph
from coding_director.app.serve.app import create_app
from coding_director.app.serve.models import VARIANTS
from coding_director.core.settings import settings_from_env
from coding_director.core.team import TIER_ALIASES
from tests.fakes import team
from tests.serve_support import running_app

MATH = "What is 17 * 23?"
WRONG, RIGHT = "17 * 23 = 381", "17 * 23 = 391"


@pytest.fixture
def settings(tmp_path):
    return settings_from_env({"CODING_DIRECTOR_HOME": str(tmp_path / "data"), "RETRY_BACKOFF": "0", "CACHE": "false"})


@pytest.fixture
def served(settings):
    """A server whose math specialist is wrong once and whose lead is right: every request escalates once."""
    models = team(math=[WRONG] * 8, lead=[RIGHT] * 8)
    graph = build_graph(settings=settings, models=models, checkpointer=InMemorySaver())
    with running_app(create_app(graph, settings)) as url:
        yield url, models, graph


@pytest.fixture
def client(served):
    return openai.OpenAI(base_url=served[0] + "/v1", api_key="anything", max_retries=0)


def test_openai_client_lists_the_graph_and_its_variants(client):
    models = {m.id: m for m in client.models.list()}
    assert "coding-director" in models
    # a variant per route and per tier alias, from the team table
    for alias in TIER_ALIASES:
        assert f"coding-director:{alias}" in models
    assert {"coding-director:math", "coding-director:general"} <= set(models)
    assert set(models) == set(VARIANTS)
    assert "validates" in models["coding-director"].model_extra["description"]
    assert client.models.retrieve("coding-director:senior").id == "coding-director:senior"


def test_openai_chat_answers_with_the_validated_answer_and_says_what_happened(client):
    raw = client.chat.completions.with_raw_response.create(
        model="coding-director", messages=[{"role": "user", "content": MATH}]
    )
    completion = raw.parse()
    assert completion.choices[0].message.content == RIGHT  # the math specialist's wrong answer is not shown
    assert completion.choices[0].finish_reason == "stop"
    # usage is the sum over both attempts (the fakes report 10 in, 5 out each)
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens, completion.usage.total_tokens) == (
        20,
        10,
        30,
    )
    report = completion.model_extra["coding_director"]
    assert report["route"]["category"] == "math"
    assert [(a["tier"], a["passed"]) for a in report["attempts"]] == [
        ("math_specialist", False),
        ("lead_developer", True),
    ]
    assert "381 is wrong" in report["attempts"][0]["reasons"][0]
    assert report["outcome"] == "passed"
    assert raw.headers["X-Coding-Director-Route"] == "math"
    assert raw.headers["X-Coding-Director-Tiers"] == "math_specialist:failed,lead_developer:passed"
    assert raw.headers["X-Coding-Director-Model"] == "fake-lead"
    assert raw.headers["X-Coding-Director-Outcome"] == "passed"
    assert raw.headers["X-Coding-Director-Verdict"].startswith("passed")
    # the progress is on the reasoning channel
    thinking = completion.choices[0].message.model_extra["reasoning_content"]
    assert "✗ the math specialist (fake-math) failed review" in thinking
    assert "✓ the lead developer (fake-lead) passed review" in thinking


def test_openai_stream_is_verified_by_default(client):
    stream = client.chat.completions.create(
        model="coding-director",
        messages=[{"role": "user", "content": [{"type": "text", "text": MATH}]}],
        stream=True,
        stream_options={"include_usage": True},
    )
    order, content, usage, report = [], "", None, None
    for chunk in stream:
        if chunk.usage:
            usage = chunk.usage
        for choice in chunk.choices:
            delta = choice.delta
            if delta.content:
                content += delta.content
                order.append("content")
            if (delta.model_extra or {}).get("reasoning_content"):
                order.append(delta.model_extra["reasoning_content"])
            if choice.finish_reason:
                report = chunk.model_extra["coding_director"]
    assert content == RIGHT
    passed_at = next(i for i, item in enumerate(order) if item.startswith("✓"))
    assert order.index("content") > passed_at  # content only once an answer passed
    assert any(item.startswith("✗") for item in order[:passed_at])
    assert usage.total_tokens == 30
    assert report["outcome"] == "passed" and report["stream_mode"] == "verified"


def test_a_streamed_response_names_its_route_in_a_header(served):
    url = served[0]
    body = {"model": "coding-director", "stream": True, "messages": [{"role": "user", "content": MATH}]}
    with httpx.stream("POST", url + "/v1/chat/completions", json=body, timeout=30) as reply:
        assert reply.headers["X-Coding-Director-Route"] == "math"
        assert reply.headers["X-Coding-Director-Stream"] == "verified"
        assert any(line.startswith("data: [DONE]") for line in reply.iter_lines())
    with httpx.stream("POST", url + "/api/chat", json=body, timeout=30) as reply:
        assert reply.headers["X-Coding-Director-Route"] == "math"
        assert json.loads(list(reply.iter_lines())[-1])["done"] is True


def test_openai_provisional_stream_shows_each_answer_and_why_it_was_replaced(client):
    stream = client.chat.completions.create(
        model="coding-director+provisional", messages=[{"role": "user", "content": MATH}], stream=True
    )
    content = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    first, _, rest = content.partition("\n\n---\n")
    assert first == WRONG  # streamed before review
    assert "failed review: arithmetic: 17 * 23 = 381 is wrong" in rest
    assert rest.endswith(RIGHT)


def test_the_stream_header_chooses_provisional_too(served):
    url = served[0]
    client = openai.OpenAI(
        base_url=url + "/v1",
        api_key="x",
        max_retries=0,
        default_headers={"X-Coding-Director-Stream": "provisional"},
    )
    stream = client.chat.completions.create(
        model="coding-director", messages=[{"role": "user", "content": MATH}], stream=True
    )
    content = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert content.startswith(WRONG)


def test_a_variant_starts_at_its_tier(served):
    url, models, _ = served
    client = openai.OpenAI(base_url=url + "/v1", api_key="x", max_retries=0)
    models["senior"].script = [RIGHT]
    completion = client.chat.completions.create(
        model="coding-director:senior", messages=[{"role": "user", "content": MATH}]
    )
    assert [a["tier"] for a in completion.model_extra["coding_director"]["attempts"]] == ["senior_developer"]
    assert models["math"].calls == []


def test_openai_errors_have_openai_shape_and_status(client):
    with pytest.raises(openai.NotFoundError) as missing:
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": MATH}])
    assert missing.value.body["code"] == "model_not_found"
    assert "coding-director" in missing.value.body["message"]
    with pytest.raises(openai.BadRequestError) as several:
        client.chat.completions.create(model="coding-director", messages=[{"role": "user", "content": MATH}], n=2)
    assert several.value.body["param"] == "n"
    with pytest.raises(openai.BadRequestError) as tool_call:
        client.chat.completions.create(
            model="coding-director",
            messages=[{"role": "user", "content": MATH}],
            tools=[{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}],
            tool_choice="required",
        )
    assert "never calls tools" in tool_call.value.body["message"]
    with pytest.raises(openai.BadRequestError, match="last message must be the user's"):
        client.chat.completions.create(model="coding-director", messages=[{"role": "assistant", "content": "hi"}])


def test_tools_sent_on_every_request_are_accepted_and_ignored(client):
    completion = client.chat.completions.create(
        model="coding-director",
        messages=[{"role": "system", "content": "You are helpful."}, {"role": "user", "content": MATH}],
        tools=[{"type": "function", "function": {"name": "read_file", "parameters": {"type": "object"}}}],
        tool_choice="auto",
        temperature=0.3,
        max_tokens=100,
        stop=["\n\n"],
        user="editor",
    )
    assert completion.choices[0].message.content == RIGHT


def test_ollama_client_lists_shows_and_chats(served):
    url = served[0]
    client = ollama.Client(host=url)
    names = {m.model for m in client.list().models}
    assert "coding-director:latest" in names and "coding-director:math" in names
    shown = client.show("coding-director")
    assert "completion" in shown.capabilities
    assert shown.modelinfo["coding-director.context_length"] > 0
    assert client.ps().models

    reply = client.chat(model="coding-director", messages=[{"role": "user", "content": MATH}])
    assert reply.message.content == RIGHT
    assert "failed review" in reply.message.thinking
    assert reply.done and reply.done_reason == "stop"
    assert (reply.prompt_eval_count, reply.eval_count) == (20, 10)

    parts = list(client.chat(model="coding-director:latest", messages=[{"role": "user", "content": MATH}], stream=True))
    assert "".join(p.message.content for p in parts) == RIGHT
    assert any(p.message.thinking for p in parts)
    assert parts[-1].done and not any(p.done for p in parts[:-1])

    generated = client.generate(model="coding-director", prompt=MATH)
    assert generated.response == RIGHT


def test_ollama_final_chunk_and_headers_say_what_happened(served):
    url = served[0]
    reply = httpx.post(
        url + "/api/chat",
        json={"model": "coding-director", "messages": [{"role": "user", "content": MATH}], "stream": False},
        timeout=30,
    )
    assert reply.status_code == 200
    assert reply.json()["coding_director"]["answered_by"]["tier"] == "lead_developer"
    assert reply.headers["X-Coding-Director-Tiers"] == "math_specialist:failed,lead_developer:passed"
    missing = httpx.post(url + "/api/chat", json={"model": "llama3", "messages": [{"role": "user", "content": "hi"}]})
    assert missing.status_code == 404 and "does not exist" in missing.json()["error"]
    with pytest.raises(ollama.ResponseError) as error:
        ollama.Client(host=url).chat(model="nope", messages=[{"role": "user", "content": "hi"}])
    assert error.value.status_code == 404


def test_ollama_think_false_leaves_the_progress_out(served):
    url = served[0]
    reply = ollama.Client(host=url).chat(
        model="coding-director", messages=[{"role": "user", "content": MATH}], think=False
    )
    assert reply.message.content == RIGHT and not reply.message.thinking
