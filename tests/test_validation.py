"""`validate_answer`: what fails an answer, and the reason the next tier is given."""

from __future__ import annotations

from coding_director.nodes.validation import validate_answer


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


def test_a_chain_of_equalities_is_checked_link_by_link_not_read_as_its_first_step():
    """Right answers on the tuning seed failed: `2^3 = 2 \\times 2 \\times 2 = 8` was read as `2^3 = 2`."""
    for right in (
        "2^3 = 2 \\times 2 \\times 2 = 8, so \\(\\boxed{8}\\)",
        "8! = 8 × 7 × 6 × 5 × 4 × 3 × 2 × 1 = 40320",
        "5! = 5 \\cdot 4 \\cdot 3 \\cdot 2 \\cdot 1 = 120",
        "\\frac{7 + 3}{10} = \\frac{10}{10} = 1 and (7 + 3) / 10 = 10 / 10 = 1",
        "\\frac{4}{11} = \\frac{4 \\times 7}{11 \\times 7} = \\frac{28}{77}, and 3/4 = 75%",
    ):
        assert validate_answer("a counting question", right, "math").passed, right
    assert validate_answer("q", "2^3 = 2 × 2 × 2 = 9", "math").reasons == [
        "arithmetic: 2 × 2 × 2 = 9 is wrong; it is 8"
    ]
    assert validate_answer("q", "8! = 8 \\times 7 = 56", "math").reasons == [
        "arithmetic: 8! = 8 × 7 is wrong; it is 40320, not 56"
    ]
    assert validate_answer("q", "3/4 = 70%", "math").reasons == ["arithmetic: 3/4 = 70% is wrong; it is 75%"]


def test_a_wrong_claim_inside_latex_math_delimiters_is_caught():
    """On the tuning seed `\\(434 - 39 = 405\\)` and `\\(890 \\times 53 = 50840\\)` passed: the claim was
    read with the delimiter's bracket, `(434 - 39`, which is not an expression, and never judged."""
    answer = "1. \\(21 \\times 20 = 420\\)\n2. \\(14 + 420 = 434\\)\n3. \\(434 - 39 = 405\\).\nAnswer: 405"
    assert validate_answer("Compute 14 + 21 * 20 - 39.", answer, "math").reasons == [
        "arithmetic: 434 - 39 = 405 is wrong; it is 395"
    ]
    assert validate_answer("q", "So, \\(890 \\times 53 = 50840\\).", "math").reasons == [
        "arithmetic: 890 × 53 = 50840 is wrong; it is 47170"
    ]
    assert validate_answer("q", "Both (434 - 39 = 395) and \\[ (2 + 3) \\times 4 = 20 \\] hold.", "math").passed


def test_a_result_stated_as_a_fraction_or_in_latex_counts_as_stated():
    task = "What is 4/11 + 2/7? Give the answer as a fraction in lowest terms."
    assert validate_answer(task, "The sum is \\(\\boxed{\\frac{50}{77}}\\).", "math").passed
    assert validate_answer(task, "The sum is 50/77.", "math").passed
    assert validate_answer(task, "The sum is \\(\\boxed{\\frac{50}{78}}\\).", "math").reasons == [
        "result: 4/11 + 2/7 is 50/77 (≈ 0.649351), and the answer never states it"
    ]


def test_a_one_expression_answer_that_ends_on_another_value_fails():
    """Seen on seed 2 of the math benchmark: answers dropped the `- 8` and gave 1489, and passed, because
    the task was read as `7 + 39 * 38` (the full stop ended the expression early)."""
    task = "Compute 7 + 39 * 38 - 8."
    assert validate_answer(task, "7 + 39 × 38 = 7 + 1482 = 1489.\nAnswer: 1489", "math").reasons == [
        "result: 7 + 39 * 38 - 8 is 1481, and the answer never states it"
    ]
    working = "39 × 38 = 1482, then 7 + 1482 - 8 = 1481.\n"
    assert validate_answer(task, working + "Answer: 1489", "math").reasons == [
        "result: 7 + 39 * 38 - 8 is 1481, but the answer's result is '1489'"
    ]
    assert not validate_answer(task, working + "So the result is 1489.", "math").passed
    code = "```python\nprint(7 + 39 * 38 - 8)\n```"
    for right in ("Answer: 1481", "So the result is **1,481**.", "\\boxed{1481}", code):
        assert validate_answer(task, working + right, "math").passed, right


def test_a_probability_outside_zero_to_one_fails():
    """Seen on seed 2 of the math benchmark: `14/3`, `7/3` and `11` passed as probabilities."""
    task = "A fair coin is tossed 5 times. What is the probability of getting exactly 2 heads?"
    assert validate_answer(task, "There are 10 ways in 32 outcomes.\nAnswer: 14/3", "math").reasons == [
        "result: the task asks for a probability, and the answer's result '14/3' is not between 0 and 1"
    ]
    assert not validate_answer(task, "The probability is 125%.", "math").passed
    for right in ("Answer: 5/16", "Answer: 31.25%", "The probability is 5 out of 16.", "\\boxed{\\frac{5}{16}}"):
        assert validate_answer(task, "There are 10 ways in 32 outcomes.\n" + right, "math").passed, right
    spanish = "Se lanza una moneda justa 5 veces. ¿Cuál es la probabilidad de obtener exactamente 2 caras?"
    assert not validate_answer(spanish, "Respuesta: 10", "math").passed
    assert validate_answer(spanish, "Respuesta: 0,3125", "math").passed
    expected = "A fair coin is tossed 10 times, each head with probability 1/2. What is the expected number of heads?"
    assert validate_answer(expected, "Answer: 5", "math").passed


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
    assert "no code" in validate_answer("Write a Python script that lists files.", "Use os.listdir.").reasons[0]


def test_other_languages_are_not_parsed_as_python():
    answer = "```javascript\nconst clone = (o) => structuredClone(o);\n```"
    assert validate_answer("Write a JavaScript function that deep-clones an object.", answer).passed


PRIME_TASK = """Write a function is_prime(n) that says whether n is prime.
For example: is_prime(7) returns True
is_prime(1) ➞ False
is_prime(9) -> False
"""


def test_the_tasks_examples_are_run_and_a_wrong_one_is_named():
    wrong = "```python\ndef is_prime(n):\n    return all(n % d for d in range(2, n))\n```"
    verdict = validate_answer(PRIME_TASK, wrong)
    assert not verdict.passed
    assert verdict.reasons == ["example: example 2 `is_prime(1)` expected False, got True"]
    assert "runs in the sandbox" in verdict.checks


def test_a_correct_answer_passes_the_tasks_examples():
    right = "```python\ndef is_prime(n):\n    return n > 1 and all(n % d for d in range(2, int(n**0.5) + 1))\n```"
    assert validate_answer(PRIME_TASK, right).passed


def test_doctest_examples_in_a_python_task_are_run():
    task = 'def inc(x):\n    """Add one.\n    >>> inc(1)\n    2\n    >>> inc(-1) == 0\n    """\n'
    assert validate_answer(task, "```python\ndef inc(x):\n    return x + 1\n```").passed
    verdict = validate_answer(task, "```python\ndef inc(x):\n    return x + 2\n```")
    assert verdict.reasons == [
        "example: example 1 `inc(1)` expected 2, got 3",
        "example: example 2 `inc(-1) == 0` expected True, got False",
    ]


def test_a_later_block_redefining_the_function_wins():
    answer = (
        "First try:\n```python\ndef is_prime(n):\n    return True\n```\nFixed:\n"
        "```python\ndef is_prime(n):\n    return n > 1 and all(n % d for d in range(2, n))\n```"
    )
    assert validate_answer(PRIME_TASK, answer).passed


def test_the_answers_own_asserts_and_tests_are_run():
    answer = "```python\ndef f(x):\n    return x + 1\n\ndef test_f():\n    assert f(1) == 3\n```"
    verdict = validate_answer("Write a function f.", answer)
    assert verdict.reasons == ["own test: test_f failed: AssertionError: "]


def test_an_exception_names_the_example_and_the_error():
    answer = "```python\ndef is_prime(n):\n    return 1 / 0\n```"
    verdict = validate_answer(PRIME_TASK, answer)
    assert verdict.reasons[0] == ("example: example 1 `is_prime(7)` raised ZeroDivisionError: division by zero")


def test_a_hanging_example_is_named():
    answer = "```python\ndef is_prime(n):\n    while n > 1:\n        pass\n    return False\n```"
    verdict = validate_answer(PRIME_TASK, answer)
    assert len(verdict.reasons) == 1
    assert verdict.reasons[0].startswith("run: the code timed out")
    assert "in example 1 `is_prime(7)`" in verdict.reasons[0]


def test_missing_function_wrong_signature_and_missing_imports_are_static_failures():
    assert validate_answer(PRIME_TASK, "```python\ndef prime(n):\n    return True\n```").reasons == [
        "missing: the task asks for the function `is_prime`; the answer defines prime"
    ]
    task = "def add(a, b):\n    pass\n"
    assert "signature" in validate_answer(task, "```python\ndef add(a):\n    return a\n```").reasons[0]
    code = "```python\nimport leftpad_for_python\ndef add(a, b):\n    return a + b\n```"
    assert validate_answer(task, code).reasons == [
        "import: the answer imports `leftpad_for_python`, which is not installed"
    ]


def test_a_script_with_nothing_to_check_is_not_run():
    script = "```python\nimport time\nwhile True:\n    time.sleep(1)\n```"
    verdict = validate_answer("Write a Python script that watches a folder.", script)
    assert verdict.passed
    assert "runs in the sandbox" not in verdict.checks


def test_code_in_another_language_than_asked_fails():
    verdict = validate_answer(
        "Write a JavaScript function that deep-clones an object.",
        "```python\ndef clone(o):\n    return o\n```",
    )
    assert verdict.reasons == ["language: the task asks for javascript, the answer's code is python"]


def test_function_and_factorial_claims_are_recomputed():
    assert validate_answer("gcd", "By Euclid, gcd(1071, 462) = 21.", "math").passed
    assert validate_answer("gcd", "gcd(1071, 462) = 20", "math").reasons == [
        "arithmetic: gcd(1071, 462) = 20 is wrong; it is 21"
    ]
    assert validate_answer("count", "C(10, 4) = 200 ways", "math").reasons == [
        "arithmetic: C(10, 4) = 200 is wrong; it is 210"
    ]
    assert validate_answer("What is gcd(1071, 462)?", "It is 7.", "math").reasons == [
        "result: gcd(1071, 462) is 21, and the answer never states it"
    ]
    assert not validate_answer("What is 5!?", "5! = 100", "math").passed


def test_other_languages_are_parsed_by_the_machines_tools_never_run():
    import shutil

    broken_json = '```json\n{"name": "app", "version": 1,}\n```'
    assert (
        validate_answer("Write a package.json.", broken_json)
        .reasons[0]
        .startswith("syntax: json block 1 does not parse")
    )
    assert not validate_answer("Write a docker-compose file.", "```yaml\nservices:\n  web: [unclosed\n```").passed
    if shutil.which("node"):
        marker = "/tmp/cd-never-run-marker"
        js = f"```javascript\nrequire('fs').writeFileSync('{marker}', 'ran');\nfunction f( {{\n```"
        verdict = validate_answer("Write a JavaScript function.", js)
        assert verdict.reasons[0].startswith("syntax: javascript block 1 does not parse")
        ok = "```javascript\nrequire('fs').writeFileSync('" + marker + "', 'ran');\n```"
        assert validate_answer("Write a JavaScript function.", ok).passed
        import os

        assert not os.path.exists(marker)  # parsed only: never executed
    if shutil.which("bash"):
        verdict = validate_answer("Write a bash script.", "```bash\nif [ -f x ]; then\n  echo hi\n```")
        assert verdict.reasons[0].startswith("syntax: bash block 1 does not parse")


def test_illustrative_snippets_are_not_failed_for_their_placeholders():
    jsx = "```javascript\nexport default function List() {\n  return <ul><li>One</li></ul>;\n}\n```"
    shell = "```bash\nssh <user>@<host>\nscp file.txt <user>@<host>:~/\n```"
    elided = '```json\n{"name": "app", ...}\n```'
    for task, answer in [
        ("Write a React component.", jsx),
        ("How do I copy a file with scp?", shell),
        ("Show a package.json.", elided),
    ]:
        assert validate_answer(task, answer).passed, answer


# --- 12.13: a hostile answer is that check's failure, never a crash ---------------------------------


def _could_not_check(verdict) -> list[str]:
    return [r for r in verdict.reasons if r.startswith("could not check:")]


def test_deeply_nested_json_and_yaml_fail_their_check_without_crashing():
    for language in ("json", "yaml"):
        deep = "[" * 50_000 + "]" * 50_000
        verdict = validate_answer(f"Give me the config as {language}.", f"```{language}\n{deep}\n```")
        assert not verdict.passed
        assert _could_not_check(verdict) == [
            f"could not check: other languages parse (ValueError: {language.upper()} nested too deeply to check)"
        ]


def test_a_long_unary_expression_fails_the_parse_check_without_crashing():
    verdict = validate_answer("Write a function f(x).", "```python\nx = " + "-" * 200_000 + "1\n```")
    assert not verdict.passed
    assert _could_not_check(verdict)[0].startswith("could not check: python parses (MemoryError")
    assert "arithmetic" in verdict.checks  # the checks after it still ran


def test_a_lone_surrogate_is_replaced_and_the_answer_still_checked():
    task = "Write a function f(x) that returns x.\nf(1) == 1\n"
    verdict = validate_answer(task, "```python\ndef f(x):\n    return x  # \ud800\n```")
    assert verdict.passed and verdict.examples_run == 1
    assert validate_answer("Write JavaScript", "```javascript\nconst a = '\ud800';\n```").passed


def test_a_huge_factorial_claim_is_judged_and_shown_by_its_size():
    verdict = validate_answer("What is 100000!?", "100000! = 1", "math")
    assert verdict.reasons == ["arithmetic: 100000! = 1 is wrong; it is a number of about 456,574 digits"]


def test_an_oversized_answer_is_not_checked_and_says_so():
    verdict = validate_answer("Say hi", "hi " * 400_000)
    assert verdict.reasons == ["could not check: the answer is too long to check (1,199,999 characters)"]


def test_an_exception_inside_a_check_becomes_that_checks_failure(monkeypatch):
    import coding_director.nodes.validation as validation

    def broken(_text):
        raise RuntimeError("checker bug")

    monkeypatch.setattr(validation, "wrong_claims", broken)
    verdict = validate_answer("What is 2 + 2?", "2 + 2 = 4", "math")
    assert verdict.reasons == ["could not check: arithmetic (RuntimeError: checker bug)"]


def test_an_answer_full_of_fences_that_never_close_is_judged_promptly():
    """The fenced-block regex used to backtrack for minutes on this (80 KB took 52 s); the scan is linear."""
    import subprocess
    import sys

    hostile = "".join("`" * (3 + i) + "\n" for i in range(1200))  # 724 KB, no fence ever closes
    code = (
        "import sys\nfrom coding_director.nodes.validation import validate_answer\n"
        "print(validate_answer('Write a function f(x).', sys.stdin.read()).reasons)"
    )
    done = subprocess.run([sys.executable, "-c", code], input=hostile, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-500:]
    assert "no code: the request asks for code" in done.stdout  # judged: text without code blocks


def test_a_hostile_arithmetic_answer_is_judged_promptly():
    """`1+1+…` lines made the claim pattern backtrack quadratically (10 KB took 6 s, 1 MB hours)."""
    import subprocess
    import sys

    hostile = ("1+" * 5000 + "x\n") * 90  # 900 KB, no claim in it
    code = (
        "import sys\nfrom coding_director.nodes.validation import validate_answer\n"
        "print(validate_answer('What is 1+1?', sys.stdin.read() + '\\n1 + 1 = 3', 'math').reasons)"
    )
    done = subprocess.run([sys.executable, "-c", code], input=hostile, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-500:]
    assert "1 + 1 = 3 is wrong; it is 2" in done.stdout  # the short claim is still checked


def test_spaced_products_that_end_in_no_claim_are_judged_promptly():
    """With spaces around the operators the claim pattern gave each space two readings: a 75-character
    line `1/2 × 1/2 × … × = 3` (12 terms) took 22 s, a 200-character one would never finish."""
    import subprocess
    import sys

    hostile = ("1/2 × " * 32 + "= 3\n") * 240 + ("\\frac{1}{2} \\times " * 11 + "= 3\n") * 240
    code = (
        "import sys\nfrom coding_director.nodes.validation import validate_answer\n"
        "print(validate_answer('What is 1+1?', sys.stdin.read() + '\\n1 + 1 = 3', 'math').reasons)"
    )
    done = subprocess.run([sys.executable, "-c", code], input=hostile, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-500:]
    assert "1 + 1 = 3 is wrong; it is 2" in done.stdout


def test_a_long_task_without_a_question_mark_is_judged_promptly():
    """Finding the task's question with `[^.?!]*\\?` was quadratic: an 80 KB task without punctuation took 20 s."""
    import subprocess
    import sys

    long_task = "a " * 80_000 + "compute the probability"  # 160 KB: about 80 s before
    code = (
        "import sys\nfrom coding_director.nodes.validation import validate_answer\n"
        "print(validate_answer(sys.stdin.read(), 'Answer: 7/3', 'math').reasons)"
    )
    done = subprocess.run([sys.executable, "-c", code], input=long_task, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr[-500:]
    assert "is not between 0 and 1" in done.stdout  # still judged: the whole task is what it asks


def test_the_not_equal_operator_is_not_read_as_a_factorial_claim():
    """HumanEval/151's correct answer failed: `i%2!=0` was read as the claim `2! = 0`."""
    answer = "```python\ndef odd(i):\n    return i%2!=0\n```"
    assert validate_answer("Write a function odd(i).", answer).passed
    assert validate_answer("What is 4!?", "4! = 25", "math").reasons == ["arithmetic: 4! = 25 is wrong; it is 24"]


def test_a_one_item_tuple_written_in_parentheses_matches_the_tuple():
    """Task prose writes the 1-tuple ('Venus',) as ("Venus"); a right answer is not failed for it."""
    task = '''def inner(a, b):
    """The planets between a and b, as a tuple.
    inner("Earth", "Mercury") ==> ("Venus")
    inner("Mars", "Earth") ==> ()
    """
'''
    right = (
        "```python\ndef inner(a, b):\n    names = ['Mercury', 'Venus', 'Earth', 'Mars']\n"
        "    i, j = sorted((names.index(a), names.index(b)))\n    return tuple(names[i + 1 : j])\n```"
    )
    assert validate_answer(task, right, "general").passed
    wrong = right.replace("tuple(names[i + 1 : j])", "tuple(names[i:j])")
    assert not validate_answer(task, wrong, "general").passed
