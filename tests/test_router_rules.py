"""`classify`: deterministic routes, overrides and complexity, with no model call."""

from __future__ import annotations

import pytest

from coding_director.core.settings import Settings
from coding_director.nodes.router import classify
from coding_director.nodes.router.model_fallback import parse_category

#: At or above the default ROUTER_CONFIDENCE a route is decided without asking the router model.
CONFIDENT = Settings().router_confidence


@pytest.mark.parametrize(
    ("prompt", "category"),
    [
        ("Compute 37 * 48 and show the steps.", "math"),
        ("What is the expected value of the sum of two dice?", "math"),
        (
            "What is the time complexity of this function?\n```python\nfor i in x:\n  for j in x: pass\n```",
            "math",
        ),
        ("Write a Python function that computes the factorial of n.", "general"),
        ("Use pandas to compute the mean and standard deviation of a column.", "general"),
        ("Fix this error: KeyError: 'id' in app.py line 12", "general"),
        ("How do I configure nginx as a reverse proxy?", "general"),
    ],
)
def test_obvious_requests_are_routed_confidently(prompt, category):
    route = classify(prompt)
    assert route.category == category
    assert route.source == "rules"
    assert route.confidence >= CONFIDENT


@pytest.mark.parametrize("prompt", ["What do you reckon about it?", "Where were we?"])
def test_requests_without_evidence_are_left_for_the_model(prompt):
    route = classify(prompt)
    assert route.confidence < CONFIDENT


@pytest.mark.parametrize(
    ("prefix", "category", "tier"),
    [
        ("/math", "math", None),
        ("/principal", "general", "principal_architect"),
        ("/senior", "general", "senior_developer"),
    ],
)
def test_prefix_overrides(prefix, category, tier):
    route = classify(f"{prefix} Write a Python function add(a, b).")
    assert route.source == "override"
    assert route.category == category
    assert route.forced_tier == tier


def test_complexity_tiers():
    assert classify("Write a Python function add(a, b).").complexity == "simple"
    assert classify("Design a distributed rate limiter for our microservices.").complexity == "complex"


@pytest.mark.parametrize(
    ("reply", "category"),
    [
        ("math", "math"),
        ("The task is math.", "math"),
        ("**General**", "general"),
        ("general, not math", "general"),
    ],
)
def test_router_replies_are_parsed_tolerantly(reply, category):
    assert parse_category(reply) == category


def test_an_unreadable_router_reply_is_none():
    assert parse_category("I think it is about cooking.") is None


def test_a_task_with_its_tests_as_assert_lines_is_code_not_math():
    """MBPP-style: the assert lines are code the request carries, not numbers to compute with."""
    prompt = (
        "Write a function to find the shared elements from the given two lists.\n"
        "assert similar_elements((3, 4, 5, 6),(5, 7, 4, 10)) == (4, 5)\n"
        "assert similar_elements((1, 2, 3, 4),(5, 4, 3, 7)) == (3, 4)\n"
        "assert similar_elements((11, 12, 14, 13),(17, 15, 14, 13)) == (13, 14)"
    )
    route = classify(prompt)
    assert route.category == "general" and route.confidence >= 0.9
