"""An answer that shows what its code prints is checked by running that code (issue 19 §2)."""

from __future__ import annotations

import shutil

import pytest

from coding_director.nodes.validation import validate_answer
from coding_director.nodes.validation.shown_output import shown_outputs

needs_sandbox = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")

TASK = "How many subsets does a set of 10 elements have? Use Python."
INVENTED = (
    "```python\nimport math\nprint(math.comb(10, 10))\n```\n\nOutput:\n```\n1048576\n```\n\n"
    "So a set of 10 elements has $\\boxed{1048576}$ subsets."
)
TRUE = "```python\nprint(2 ** 10)\n```\n\nThis prints:\n```\n1024\n```\n\nThe answer is 1024."


def test_an_output_block_is_paired_with_the_code_before_it():
    assert shown_outputs(INVENTED) == [("import math\nprint(math.comb(10, 10))", "1048576")]
    assert shown_outputs("```python\nx = 1\n```\n\n```python\ny = 2\n```") == []


@needs_sandbox
def test_an_invented_output_block_fails_and_a_true_one_passes():
    invented = validate_answer(TASK, INVENTED, "math")
    assert not invented.passed
    assert any("shows its code printing '1048576', but it prints '1'" in r for r in invented.reasons)
    assert validate_answer(TASK, TRUE, "math").passed


HANDSHAKES = "Twenty guests each shake hands once with every other guest. How many handshakes?"


@needs_sandbox
def test_a_stated_result_must_be_what_the_answers_code_prints():
    program = "Each pair shakes once:\n```python\nfrom math import comb\nprint(comb(20, 2))\n```\n"
    boxed_wrong = validate_answer(HANDSHAKES, program + "So there are \\boxed{380} handshakes.", "math")
    assert not boxed_wrong.passed
    assert any("states the result '380', but its code prints '190'" in r for r in boxed_wrong.reasons)
    assert validate_answer(HANDSHAKES, program + "So there are \\boxed{190} handshakes.", "math").passed
    # a stated line agrees with the printed value when rounded, or given as a percentage
    assert validate_answer("P(heads twice)?", "```python\nprint(1/4)\n```\nAnswer: 25%", "math").passed
    assert validate_answer("One in three?", "```python\nprint(1/3)\n```\nAnswer: 0.33", "math").passed


def test_a_block_both_checks_read_runs_once_in_the_sandbox(monkeypatch):
    from coding_director.nodes.validation import shown_output

    ran = []
    real = shown_output.run_python
    monkeypatch.setattr(shown_output, "run_python", lambda code, **kw: ran.append(code) or real(code, **kw))
    answer = "```python\nprint(6 * 7)\n```\n```output\n42\n```\n\\boxed{42}"
    verdict = validate_answer("What is 6 * 7?", answer, "math")
    assert verdict.passed, verdict.reasons
    assert len(ran) == 1  # not once per check
