"""`validate_answer`: what fails an answer, and the reason the next tier is given."""

from __future__ import annotations

from nodes.validation import validate_answer


def test_a_wrong_product_fails_with_the_correct_value():
    verdict = validate_answer("What is 17 * 23?", "17 * 23 = 381", "math")
    assert not verdict.passed
    assert verdict.reasons == ["arithmetic: 17 * 23 = 381 is wrong; it is 391"]


def test_a_math_answer_that_never_states_the_tasks_value_fails():
    verdict = validate_answer("What is 17 * 23?", "The answer is 381.", "math")
    assert not verdict.passed
    assert "391" in verdict.reasons[0]
    assert validate_answer("What is 17 * 23?", "The answer is 391.", "math").passed


def test_correct_and_rounded_claims_pass():
    answer = "P = 1 - (5/6)^4 = 0.5177, and 2 * 9 - 21 + 3 = 0"
    assert validate_answer("probability of at least one six in four rolls", answer, "math").passed


def test_python_that_does_not_parse_fails_with_the_line():
    answer = "```python\ndef is_prime(n):\n    return all(n % d for d in range(2, int(n**0.5) + 1)))\n```"
    verdict = validate_answer("Write a function is_prime(n).", answer)
    assert not verdict.passed
    assert "line 2" in verdict.reasons[0]


def test_empty_refusal_truncation_and_missing_code_fail():
    assert validate_answer("x", "  ").reasons == ["empty: the answer is empty"]
    assert "declines" in validate_answer("x", "I'm sorry, but I can't help with that.").reasons[0]
    assert "never closed" in validate_answer("x", "```python\nprint(1)\n").reasons[0]
    assert "token limit" in validate_answer("x", "print(1)", done_reason="length").reasons[0]
    assert (
        "no code" in validate_answer("Write a Python script that lists files.", "Use os.listdir.").reasons[0]
    )


def test_other_languages_are_not_parsed_as_python():
    answer = "```javascript\nconst clone = (o) => structuredClone(o);\n```"
    assert validate_answer("Write a JavaScript function that deep-clones an object.", answer).passed
