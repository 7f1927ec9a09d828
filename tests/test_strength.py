"""A verdict says how strong it is: what really ran, in the state, the trace and the run log."""

from __future__ import annotations

import json

from coding_director import build_graph
from coding_director.nodes.validation import validate_answer
from tests.fakes import team

BROKEN_PRIME = "```python\ndef is_prime(n):\n    return False\n```"
GOOD_PRIME = (
    "```python\ndef is_prime(n):\n    if n < 2:\n        return False\n"
    "    return all(n % d for d in range(2, int(n**0.5) + 1))\n```"
)
SELF_TESTED = GOOD_PRIME + "\n```python\nassert is_prime(7)\nassert not is_prime(9)\n```"


def test_a_task_without_examples_passes_on_static_checks_only_and_says_so():
    verdict = validate_answer("Write a Python function that checks for primes.", BROKEN_PRIME)
    assert verdict.passed  # nothing could run: the verdict must not claim more
    assert verdict.strength == "static"
    assert verdict.evidence == "static checks only"


def test_a_task_with_examples_is_checked_by_running_them():
    task = "Write a Python function is_prime(n). Examples: is_prime(7) == True, is_prime(9) == False."
    assert not validate_answer(task, BROKEN_PRIME).passed
    verdict = validate_answer(task, GOOD_PRIME)
    assert verdict.passed
    assert verdict.strength == "examples"
    assert verdict.evidence == "checked by running 2 examples"


def test_an_answer_with_its_own_tests_says_they_ran():
    verdict = validate_answer("Write a Python function that checks for primes.", SELF_TESTED)
    assert verdict.passed
    assert verdict.strength == "own tests"
    assert verdict.evidence == "the answer's own tests ran"


def test_the_strength_reaches_the_state_and_the_run_log(settings):
    graph = build_graph(settings=settings, models=team(lead=[BROKEN_PRIME]), checkpointer=None, cache=False)
    result = graph.invoke({"messages": [("user", "Write a Python function that checks for primes.")]})
    verdict = result["attempts"][0]["verdict"]
    assert (verdict["strength"], verdict["evidence"]) == ("static", "static checks only")
    logged = json.loads(settings.run_log_file.read_text().splitlines()[-1])
    assert logged["attempts"][0]["strength"] == "static"


def test_the_trace_and_stats_say_how_passing_answers_were_checked(settings):
    from coding_director.app.console import trace_line
    from coding_director.app.stats import render_table, summarise
    from coding_director.core.runlog import RunLog

    task = "Write a Python function is_prime(n). Examples: is_prime(7) == True, is_prime(9) == False."
    graph = build_graph(settings=settings, models=team(lead=[GOOD_PRIME, BROKEN_PRIME]), checkpointer=None, cache=False)
    checked = graph.invoke({"messages": [("user", task)]})
    assert "lead_developer [fake-lead] ✓ (checked by running 2 examples)" in trace_line(checked, 1.0)
    unchecked = graph.invoke({"messages": [("user", "Write a Python function that checks for primes.")]})
    assert "✓ (static checks only)" in trace_line(unchecked, 1.0)

    table = render_table(summarise(RunLog(settings.run_log_file).records()))
    assert "passed:   the task's examples ran 1, static checks only 1" in table
