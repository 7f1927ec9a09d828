"""Validation is fair to real coder models: the task's examples run first, the answer's own checks are weaker."""

from __future__ import annotations

import shutil

import pytest

from coding_director.nodes.validation import validate_answer

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")

TASK = '''def decimal_to_binary(decimal):
    """Return the binary form of `decimal` between "db" markers.
    >>> decimal_to_binary(15)
    'db1111db'
    >>> decimal_to_binary(32)
    'db100000db'
    """
'''

CORRECT_WITH_A_WRONG_SELF_TEST = """```python
def decimal_to_binary(decimal):
    return "db" + bin(decimal)[2:] + "db"

# check
assert decimal_to_binary(0) == "db000000db"
print(decimal_to_binary(15))
```"""

WRONG_WITH_A_PASSING_SELF_TEST = """```python
def decimal_to_binary(decimal):
    return "db" + bin(decimal)[2:]

assert decimal_to_binary(0) == "db0"
```"""


def test_a_correct_answer_with_a_wrong_self_test_passes_on_the_tasks_examples():
    verdict = validate_answer(TASK, CORRECT_WITH_A_WRONG_SELF_TEST)
    assert verdict.passed, verdict.reasons
    assert verdict.examples_run == 2 and verdict.own_tests_run == 1
    assert any("own top-level checks failed" in note and "2 example(s) pass" in note for note in verdict.notes)


def test_a_wrong_answer_whose_self_test_passes_still_fails_on_the_examples():
    verdict = validate_answer(TASK, WRONG_WITH_A_PASSING_SELF_TEST)
    assert not verdict.passed
    assert any("expected 'db1111db'" in reason for reason in verdict.reasons)


def test_without_examples_a_failing_self_test_is_still_a_failure():
    task = "Write a Python function double(x) that returns twice x."
    answer = "```python\ndef double(x):\n    return x * 3\n\nassert double(2) == 4\n```"
    verdict = validate_answer(task, answer)
    assert not verdict.passed
    assert any("assert" in reason for reason in verdict.reasons)


PROD_SIGNS = '''def prod_signs(arr):
    """Sum of the magnitudes times the product of the signs; None for an empty arr.
    >>> prod_signs([1, 2, 2, -4]) == -9
    >>> prod_signs([0, 1]) == 0
    """
'''


def test_numpys_true_counts_as_true_in_an_example():
    """`np.prod(...) == -9` is numpy's True, which a test's assert accepts: a right answer passes."""
    numpy_answer = (
        "```python\nimport numpy as np\n\ndef prod_signs(arr):\n"
        "    return sum(map(abs, arr)) * np.prod(np.{}(arr))\n```"
    )
    verdict = validate_answer(PROD_SIGNS, numpy_answer.format("sign"))
    assert verdict.passed, verdict.reasons
    assert verdict.examples_run == 2
    assert not validate_answer(PROD_SIGNS, numpy_answer.format("abs")).passed  # a wrong one still fails


def test_an_mbpp_style_task_is_checked_on_its_assert_lines():
    """The asserts run in the sandbox: a right answer passes all three, a wrong one fails, named."""
    task = (
        "Write a function to find the shared elements from the given two lists.\n"
        "assert similar_elements((3, 4, 5, 6), (5, 7, 4, 10)) == (4, 5)\n"
        "assert set(similar_elements((1, 2), (2, 1))) == {1, 2}\n"
        "assert not similar_elements((1,), (2,))\n"
    )
    right = "```python\ndef similar_elements(a, b):\n    return tuple(sorted(set(a) & set(b)))\n```"
    verdict = validate_answer(task, right)
    assert verdict.passed, verdict.reasons
    assert verdict.examples_run == 3
    wrong = "```python\ndef similar_elements(a, b):\n    return tuple(set(a) | set(b))\n```"
    verdict = validate_answer(task, wrong)
    assert not verdict.passed
    assert any("similar_elements((3, 4, 5, 6), (5, 7, 4, 10))" in reason for reason in verdict.reasons)


def test_a_list_is_not_the_tuple_an_example_expects():
    """`[4, 5] == (4, 5)` is False in Python, so in the task's own tests: the list answer fails, named."""
    task = "Write a function to find the shared elements.\nassert similar_elements((3, 4, 5, 6), (5, 7, 4)) == (4, 5)\n"
    as_list = "```python\ndef similar_elements(a, b):\n    return sorted(set(a) & set(b))\n```"
    verdict = validate_answer(task, as_list)
    assert not verdict.passed
    assert any("expected (4, 5)" in reason and "[4, 5]" in reason for reason in verdict.reasons), verdict.reasons
    assert validate_answer(task, as_list.replace("sorted(", "tuple(sorted(").replace("b))", "b)))")).passed
