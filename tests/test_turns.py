"""A request retried after its run was cut off resumes that run: the question is never asked twice."""

from __future__ import annotations

import pytest

from coding_director import build_graph
from coding_director.graph.turns import turn_input
from tests.fakes import team

GOOD_CODE = "```python\ndef add(a, b):\n    return a + b\n```"
TASK = "Write a Python function add(a, b) that returns the sum."


class WorkerKilled(BaseException):
    """Stands for the process dying mid-call: not an Exception, so nothing in the graph handles it."""


def test_a_retry_after_a_cut_off_run_resumes_it_and_a_new_question_starts_a_new_turn(settings, tmp_path):
    graph = build_graph(
        settings=settings,
        models=team(lead=[WorkerKilled(), GOOD_CODE, GOOD_CODE]),
        memory_path=tmp_path / "memory.sqlite",
        run_log=False,
        cache=False,
    )
    config = {"configurable": {"thread_id": "t"}}
    with pytest.raises(WorkerKilled):
        graph.invoke(turn_input(graph, config, TASK), config)
    assert graph.get_state(config).next  # the run was cut off mid-way

    assert turn_input(graph, config, TASK) is None  # the same question again: resume
    assert graph.invoke(turn_input(graph, config, TASK), config)["outcome"] == "passed"
    assert [m.type for m in graph.get_state(config).values["messages"]] == ["human", "ai"]

    follow_up = "Now make it add three numbers."
    assert turn_input(graph, config, follow_up) == {"messages": [("user", follow_up)]}
    graph.invoke(turn_input(graph, config, follow_up), config)
    assert [m.type for m in graph.get_state(config).values["messages"]] == ["human", "ai", "human", "ai"]


def test_without_memory_every_request_is_a_new_turn(settings):
    graph = build_graph(settings=settings, models=team(), checkpointer=None, run_log=False, cache=False)
    assert turn_input(graph, {}, TASK) == {"messages": [("user", TASK)]}
