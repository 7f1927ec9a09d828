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


def _examples(task: str) -> list[tuple[str, str]]:
    return [(e.expression, e.expected) for e in parse_task(task).examples]


def test_examples_written_as_inputs_and_an_output_are_runnable():
    for_style = '''def digit_sum(lst):
    """Sum the digits of the largest number.
    For lst = [3, 21, 5] the output should be 3
    For lst = [0, 19], the output should be 10.
    """
'''
    assert _examples(for_style) == [("digit_sum([3, 21, 5])", "3"), ("digit_sum([0, 19])", "10")]
    two_inputs = '''def strip_chars(s, c):
    """Delete the characters of c from s.
    For s = "abcde", c = "ae", the result should be ('bcd',False)
    """
'''
    assert _examples(two_inputs) == [("strip_chars('abcde', 'ae')", "('bcd',False)")]
    input_output = '''def top_k(arr, k):
    """The k largest values, sorted.
    Example 1:

        Input: arr = [-3, -4, 5], k = 3
        Output: [-4, -3, 5]

    Example 2:
        Input: arr = [4, -4, 4], k = 2
        Output: [4, 4]
    """
'''
    assert _examples(input_output) == [("top_k([-3, -4, 5], 3)", "[-4, -3, 5]"), ("top_k([4, -4, 4], 2)", "[4, 4]")]


def test_prose_examples_with_other_arrows_and_lowercase_booleans():
    task = '''def is_power(x, n):
    """Whether x is a power of n.
    is_power(8, 2) => true
    is_power(3, 2) ==> false
    """
'''
    assert _examples(task) == [("is_power(8, 2)", "True"), ("is_power(3, 2)", "False")]


def test_equations_that_show_results_are_examples():
    """`choose_num(12, 15) = 14`: with nothing else shown, a lone "=" between a call and a value is a result."""
    task = '''def choose_num(x, y):
    """The biggest even integer in [x, y], or -1 if there is none. For example:
    choose_num(12, 15) = 14
    choose_num(13, 12) = -1
    """
'''
    assert _examples(task) == [("choose_num(12, 15)", "14"), ("choose_num(13, 12)", "-1")]
    both = 'def f(x):\n    """f(1) == 2, and f(2) = 3."""\n'
    assert _examples(both) == [("f(1)", "2")]  # the lone "=" only where no other example is shown


def test_an_equation_that_defines_is_not_taken_for_an_example():
    """ "tri(1) = 3" in a recurrence defines the sequence; the function returns a list."""
    task = '''def tri(n):
    """The first n + 1 Tribonacci numbers. tri(1) = 3, tri(n) = 1 + n / 2 if n is even.
    """
'''
    assert _examples(task) == []
    # nor when the equations' values differ in kind (a recurrence's terms, then the list the function returns)
    mixed = 'def tri(n):\n    """tri(1) = 3, tri(4) = 3.\n    tri(3) = [1, 3, 2, 8]\n    """\n'
    assert _examples(mixed) == []
    # nor an equation that goes on with its working
    assert _examples('def tri(n):\n    """tri(2) = 1 + (2 / 2) = 2"""\n') == []
    # an input named other than the function's parameters is not guessed at
    assert _examples('def f(values):\n    """For lst = [1] the output should be 1"""\n') == []


MBPP_STYLE = """Write a function to find the shared elements from the given two lists.
Your code should pass these tests:
assert similar_elements((3, 4, 5, 6), (5, 7, 4, 10)) == (4, 5), "the shared ones, in order"
assert set(similar_elements((1, 2), (2, 1))) == {1, 2}
assert not similar_elements((1,), (2,))
assert math.isclose(similar_elements((1.5,), (1.5,))[0], 1.5)
"""


def test_assert_lines_name_the_function_and_are_its_examples():
    """MBPP-style tasks name the function only in their tests; each assert on plain values is an example."""
    spec = parse_task(MBPP_STYLE)
    assert spec.function is not None and spec.function.name == "similar_elements"
    assert [(e.expression, e.expected) for e in spec.examples] == [
        ("similar_elements((3, 4, 5, 6), (5, 7, 4, 10))", "(4, 5)"),  # the assert's message is not the value
        ("set(similar_elements((1, 2), (2, 1))) == {1, 2}", "True"),
        ("not similar_elements((1,), (2,))", "True"),
        # `math.isclose` is left out: the answer need not import math, so a right one would fail
    ]


def test_prose_examples_in_backticks_or_with_is():
    assert _examples("Write a function `double(x)`. For example `double(3)` should return `6`.") == [("double(3)", "6")]
    assert _examples('Write `count_vowels(s)`; e.g. `count_vowels("hello")` → `2`.') == [('count_vowels("hello")', "2")]
    assert _examples("Write a function max_of(a, b). For instance, max_of(2, 5) is 5.") == [("max_of(2, 5)", "5")]
    assert _examples("Write a function max_of(a, b). max_of(x, y) is the larger one.") == []


def test_a_doctest_in_a_fence_does_not_expect_the_fence():
    spec = parse_task("Implement fizz(n):\n```python\n>>> fizz(3)\n'Fizz'\n```")
    assert spec.function is not None and spec.function.name == "fizz"
    assert [(e.expression, e.expected) for e in spec.examples] == [("fizz(3)", "'Fizz'")]


def test_an_expected_value_that_is_costly_to_build_is_not_an_example():
    """Expected values are computed before any example runs: `9**9**9**9` stalled every check for 20 s,
    and then the answer passed unchecked. Nor is `9**9`, the prefix cut inside that expression."""
    assert _examples("Write a function f(x). f(1) == 9**9**9**9") == []
    assert _examples("Write a function f(x). f(1) == [0] * 10**9") == []
    assert _examples("Write a function f(x). f(1) == 'a' * 100") == []
    assert _examples("Write a function f(x). f(10) == 2**10, and f(3) returns 3 (three).") == [
        ("f(10)", "2**10"),
        ("f(3)", "3"),
    ]
