"""When every tier fails, the graph can pause and let the person accept, retry with a hint, or stop."""

from __future__ import annotations

import pytest
from langgraph.types import Command

from coding_director import build_graph
from tests.fakes import team

MATH_TASK = "What is 17 * 23?"


@pytest.fixture
def paused(settings, checkpointer):
    models = team(
        math=["17 * 23 = 381"],
        lead=["17 * 23 = 389"],
        senior=["17 * 23 = 390", "17 * 23 = 391"],
        principal=["I cannot."],
    )
    graph = build_graph(settings=settings, models=models, checkpointer=checkpointer)
    config = {"configurable": {"thread_id": "h"}}
    result = graph.invoke({"messages": [("user", MATH_TASK)]}, config, context={"human_escalation": True})
    return graph, config, models, result


def test_the_graph_pauses_with_the_best_attempt_and_every_failure(paused):
    graph, config, _, result = paused
    [pause] = result["__interrupt__"]
    request = pause.value
    assert request["question"].startswith("No tier passed review")
    assert request["best_attempt"]["answer"].startswith("17 * 23 = 3")
    assert [f["tier"] for f in request["failures"]] == [
        "math_specialist",
        "lead_developer",
        "senior_developer",
        "principal_architect",
    ]
    assert graph.get_state(config).next == ("ask_human",)


def test_a_hint_and_retry_reaches_the_chosen_tier(paused):
    graph, config, models, _ = paused
    result = graph.invoke(
        Command(
            resume={
                "action": "retry",
                "hint": "Multiply 17 by 20, then add 17 * 3.",
                "tier": "senior_developer",
            }
        ),
        config,
    )
    assert result["outcome"] == "passed"
    assert result["final_answer"] == "17 * 23 = 391"
    assert "Multiply 17 by 20, then add 17 * 3." in models["senior"].calls[1][-1].content
    assert [a["tier"] for a in result["attempts"]][-1] == "senior_developer"


def test_accepting_the_best_attempt_says_it_did_not_pass(paused):
    graph, config, _, _ = paused
    result = graph.invoke(Command(resume="accept"), config)
    assert result["outcome"] == "accepted_by_human"
    assert "Accepted by you" in result["final_answer"]
    assert "did not pass review" in result["final_answer"]


def test_stopping_ends_the_request_with_the_reasons(paused):
    graph, config, _, _ = paused
    result = graph.invoke(Command(resume={"action": "stop"}), config)
    assert result["outcome"] == "stopped_by_human"
    assert result["final_answer"].startswith("Stopped at your request.")
    assert "17 * 23 = 381 is wrong" in result["final_answer"]


def test_without_human_escalation_the_graph_does_not_pause(settings):
    models = team(math=["17 * 23 = 381"], lead=["no"], senior=["no"], principal=["no"])
    result = build_graph(settings=settings, models=models, checkpointer=None).invoke(
        {"messages": [("user", MATH_TASK)]}
    )
    assert "__interrupt__" not in result
    assert result["outcome"] == "no_tier_passed"
