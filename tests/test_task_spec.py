"""The task is parsed once, into one TaskSpec that validation and selection both read."""

from __future__ import annotations

from coding_director.nodes.validation import examples as examples_module
from coding_director.nodes.validation import validate_answer
from coding_director.nodes.validation.task import parse_task

HUMANEVAL_STYLE = '''from typing import List


def below_zero(operations: List[int]) -> bool:
    """ Return True if the balance ever falls below zero.
    >>> below_zero([1, 2, 3])
    False
    >>> below_zero([1, 2, -4, 5])
    True
    """
'''


def test_a_python_task_gives_its_function_signature_stub_and_examples():
    spec = parse_task(HUMANEVAL_STYLE)
    assert spec.function is not None and spec.function.name == "below_zero"
    assert spec.function.params == ["operations"]
    assert [(e.expression, e.expected) for e in spec.examples] == [
        ("below_zero([1, 2, 3])", "False"),
        ("below_zero([1, 2, -4, 5])", "True"),
    ]
    assert "from typing import List" in spec.prelude
    assert spec.languages == ()  # the task is itself Python: that is the language asked


def test_a_prose_task_gives_what_it_asks_for():
    spec = parse_task("Write a JavaScript function `isEven(n)` that returns true for even numbers: isEven(4) == true")
    assert spec.asks_for_code and spec.languages == ("javascript",)
    assert spec.function is not None and spec.function.name == "isEven"
    assert parse_task("Explain what a mutex is.").asks_for_code is False


def test_a_task_too_odd_to_read_asks_for_nothing_and_never_raises():
    spec = parse_task("f(" * 100_000 + " == 1")
    assert spec.examples == () and spec.prelude == ""


def test_validation_parses_the_task_once(monkeypatch):
    calls = []
    real = examples_module._code_of

    def counting(task):
        calls.append(task)
        return real(task)

    monkeypatch.setattr(examples_module, "_code_of", counting)
    answer = (
        "```python\ndef below_zero(operations):\n    total = 0\n    for op in operations:\n"
        "        total += op\n        if total < 0:\n            return True\n    return False\n```"
    )
    verdict = validate_answer(HUMANEVAL_STYLE, answer)
    assert verdict.passed and verdict.examples_run == 2
    assert len(calls) == 1
