"""The real embedded model (SmolLM2-135M-Instruct via llama-cpp-python) through the graph."""

from __future__ import annotations

import re

import pytest

from coding_director import build_graph
from coding_director.core.backends.embedded import EMBEDDED_LABEL
from coding_director.core.settings import settings_from_env
from tests.conftest import HAS_EMBEDDED

pytestmark = [
    pytest.mark.embedded,
    pytest.mark.skipif(not HAS_EMBEDDED, reason="needs the 'embedded' extra"),
]


@pytest.fixture
def embedded(tmp_path):
    settings = settings_from_env(
        {
            "BACKEND": "embedded",
            "CODING_DIRECTOR_HOME": str(tmp_path),
            "EMBEDDED_MAX_TOKENS": "200",
        }
    )
    return build_graph(settings=settings, checkpointer=None)


def test_a_real_answer_comes_back_through_the_graph(embedded):
    result = embedded.invoke({"messages": [("user", "Write a Python function that adds two numbers.")]})
    first = result["attempts"][0]
    assert first["tier"] == "lead_developer"
    assert first["model"] == EMBEDDED_LABEL
    assert first["error"] is None
    assert len(first["answer"]) > 20
    assert first["input_tokens"] > 10 and first["output_tokens"] > 5
    assert first["verdict"] is not None
    assert result["final_answer"].strip()
    assert result["messages"][-1].content == result["final_answer"]


def test_a_wrong_product_from_the_real_model_is_caught_and_escalated(embedded):
    result = embedded.invoke({"messages": [("user", "What is 17 * 23?")]})
    first = result["attempts"][0]
    assert first["tier"] == "math_specialist"
    claims = [int(v) for v in re.findall(r"17\s*[*x×]\s*23\s*=\s*(\d+)", first["answer"])]
    if any(value != 391 for value in claims):
        assert not first["verdict"]["passed"]
        assert any("it is 391" in reason for reason in first["verdict"]["reasons"])
        assert result["attempts"][1]["tier"] == "lead_developer"
    if result["outcome"] == "passed":
        assert "391" in result["final_answer"]
    else:
        assert "No tier passed validation" in result["final_answer"]


def test_tokens_stream_from_the_embedded_model(embedded):
    chunks = []
    for message, metadata in embedded.stream(
        {"messages": [("user", "Explain what a Python list is in one sentence.")]},
        stream_mode="messages",
    ):
        if metadata.get("langgraph_node") == "lead_developer" and message.content:
            chunks.append(message.content)
    assert len(chunks) >= 5
