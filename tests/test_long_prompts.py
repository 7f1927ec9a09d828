"""Long and odd prompts (issue 12, item 14): trimmed to the context with a note, in bounded time, never a crash."""

from __future__ import annotations

import time

import pytest

from coding_director import build_graph
from tests.conftest import HAS_EMBEDDED
from tests.fakes import team

ADD = "```python\ndef add(a, b):\n    return a + b\n```"


def test_a_60_kb_single_line_prompt_is_answered_and_reviewed(settings):
    graph = build_graph(settings=settings, models=team(lead=[ADD]), checkpointer=None)
    prompt = "x " * 30_000 + "Write a Python function add(a, b)."
    result = graph.invoke({"messages": [("user", prompt)]})
    assert result["outcome"] == "passed", result["attempts"][-1]["verdict"]
    assert len(result["attempts"]) == 1
    assert "only its first" in result["final_answer"]  # the note: the prompt was cut to the context


def test_a_5_mb_prompt_is_trimmed_and_answered_in_bounded_time(settings):
    graph = build_graph(settings=settings, models=team(lead=[ADD]), checkpointer=None)
    prompt = "Write a Python function add(a, b). " + "word " * 1_000_000
    started = time.monotonic()
    result = graph.invoke({"messages": [("user", prompt)]})
    seconds = time.monotonic() - started
    print(f"5 MB prompt: {seconds:.1f} s")  # before: 16-28 s in the router's and validator's patterns
    assert result["outcome"] == "passed"
    assert "only its first" in result["final_answer"]
    assert result["messages"][0].text == prompt  # memory keeps the whole request: nothing is lost
    assert len(result["task"]) <= 64_000  # what routing and review scan is bounded


@pytest.mark.embedded
@pytest.mark.skipif(not HAS_EMBEDDED, reason="needs the 'embedded' extra")
def test_a_prompt_of_short_tokens_beyond_the_context_fits_the_real_model(tmp_path):
    """`x x x …` is about one token per two characters: the cut must fit the model's real context."""
    from coding_director.core.settings import settings_from_env

    settings = settings_from_env(
        {"BACKEND": "embedded", "CODING_DIRECTOR_HOME": str(tmp_path), "EMBEDDED_MAX_TOKENS": "16", "MAX_ATTEMPTS": "1"}
    )
    graph = build_graph(settings=settings, checkpointer=None, cache=False)
    result = graph.invoke({"messages": [("user", "x " * 30_000 + "Say hello.")]})
    attempt = result["attempts"][0]
    assert attempt["error"] is None, attempt["error"]  # before: "Requested tokens (4574) exceed context window"
    assert "only its first" in result["final_answer"]
