"""A pass that nothing ran is not the last word while a tier that samples lies ahead (CONFIRM_UNCHECKED),
and what can make a task without examples checkable: its signature, and its own encoder."""

from __future__ import annotations

from coding_director.nodes.extra_inputs import signature_arguments
from coding_director.nodes.selection import Selection
from coding_director.nodes.validation import validate_answer
from coding_director.nodes.validation.task import parse_task
from tests.fakes import team
from tests.test_selection import fenced, sampled_graph

# a task that names a function and shows no example of it: review can only say the code is well formed
TASK = '''Write this function in Python.
```python
def swap_halves(s: str) -> str:
    """The second half of the string, then the first (the middle character of an odd length stays first)."""
```'''


RIGHT = fenced("def swap_halves(s):\n    half = (len(s) + 1) // 2\n    return s[half:] + s[:half]")
RIGHT_TOO = fenced("def swap_halves(s):\n    k = len(s) - len(s) // 2\n    return ''.join([s[k:], s[:k]])")
WRONG = fenced("def swap_halves(s):\n    return s[::-1]")
WRONG_TOO = fenced("def swap_halves(s):\n    return s[len(s) // 2:] + s[:len(s) // 2]")  # odd lengths wrong
BROKEN = fenced("def swap_halves(s)\n    return s")


def ask(graph, task=TASK):
    return graph.invoke({"messages": [("user", task)]}, {"configurable": {"thread_id": "t"}})


def tiers(result) -> list[str]:
    return [a["tier"] for a in result["attempts"]]


def test_a_verdict_says_when_the_asked_function_never_ran():
    verdict = validate_answer(TASK, WRONG)
    assert verdict.passed and verdict.strength == "static"
    assert verdict.to_info()["unchecked_function"] == "swap_halves"
    with_example = TASK.replace('first)."""', 'first).\n    >>> swap_halves("abcd")\n    \'cdab\'\n    """')
    checked = validate_answer(with_example, RIGHT)
    assert checked.passed and checked.strength == "examples"
    assert checked.to_info()["unchecked_function"] is None


def test_an_unchecked_pass_goes_on_to_the_sampling_tier_which_chooses_by_agreement(tmp_path):
    models = team(lead=[WRONG], senior=[WRONG_TOO], principal=[WRONG, RIGHT, RIGHT_TOO, "never drawn"])
    result = ask(sampled_graph(tmp_path, models, PRINCIPAL_SAMPLES="4"))
    assert tiers(result) == ["lead_developer", "senior_developer", "principal_architect"]
    assert result["outcome"] == "passed"
    assert result["final_answer"] in (RIGHT, RIGHT_TOO)  # the later tier's pass is the answer
    assert models["principal"].script == ["never drawn"]  # two agreeing candidates settle it
    selection = result["attempts"][-1]["selection"]
    assert "the task shows no runnable examples" in selection and "1 other agrees" in selection


def test_an_unchecked_pass_stands_where_no_tier_ahead_samples_or_the_setting_is_off(tmp_path):
    for env in ({"PRINCIPAL_SAMPLES": "1"}, {"PRINCIPAL_SAMPLES": "4", "CONFIRM_UNCHECKED": "false"}):
        models = team(lead=[WRONG], senior=[RIGHT], principal=[RIGHT, RIGHT_TOO])
        result = ask(sampled_graph(tmp_path, models, **env))
        assert tiers(result) == ["lead_developer"], env
        assert result["final_answer"] == WRONG


def test_a_pass_on_the_tasks_examples_is_final_even_with_a_sampling_tier_ahead(tmp_path):
    task = TASK.replace('first)."""', 'first).\n    >>> swap_halves("abcd")\n    \'cdab\'\n    """')
    models = team(lead=[RIGHT], principal=[RIGHT_TOO, RIGHT])
    result = ask(sampled_graph(tmp_path, models, PRINCIPAL_SAMPLES="4"), task)
    assert tiers(result) == ["lead_developer"]


def test_a_budget_ends_the_confirmation_with_the_latest_pass(tmp_path):
    models = team(lead=[WRONG], senior=[RIGHT], principal=[RIGHT_TOO, RIGHT])
    result = ask(sampled_graph(tmp_path, models, PRINCIPAL_SAMPLES="4", MAX_TIERS="2"))
    assert tiers(result) == ["lead_developer", "senior_developer"]
    assert result["outcome"] == "passed" and result["final_answer"] == RIGHT


def test_when_the_confirming_tiers_fail_review_the_earlier_pass_stands_and_nobody_is_asked(tmp_path):
    models = team(lead=[WRONG], senior=[BROKEN], principal=[BROKEN, BROKEN])
    from langgraph.checkpoint.memory import InMemorySaver

    graph = sampled_graph(tmp_path, models, InMemorySaver(), PRINCIPAL_SAMPLES="2", HUMAN_ESCALATION="true")
    result = ask(graph)
    assert tiers(result) == ["lead_developer", "senior_developer", "principal_architect"]
    assert result["outcome"] == "passed"
    assert result["final_answer"] == WRONG
    assert "__interrupt__" not in result


def test_the_cli_prints_the_confirmed_answer_after_the_streamed_one(tmp_path, capsys, monkeypatch):
    import sys

    from langgraph.checkpoint.memory import InMemorySaver

    from coding_director.app.console import answer

    models = team(lead=[WRONG], senior=[WRONG_TOO], principal=[RIGHT, RIGHT_TOO])
    graph = sampled_graph(tmp_path, models, InMemorySaver(), PRINCIPAL_SAMPLES="2")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)  # on a terminal, the lead's answer streams to stdout
    answer(graph, TASK, {"configurable": {"thread_id": "c"}}, stream=True, quiet=False)
    out, err = capsys.readouterr()
    assert "the task shows no example to run `swap_halves` on" in err
    assert out.rstrip().endswith(RIGHT.rstrip())  # the final answer, not only the streamed lead's


def test_inputs_come_from_the_signature_when_the_task_shows_no_call():
    assert signature_arguments(TASK, "swap_halves") == ("hello world",)
    assert signature_arguments("def f(xs: List[int], k: int) -> int:", "f") == ([3, 1, 2], 7)
    assert signature_arguments("def f(xs, k: int):", "f") is None  # an unannotated parameter: no guess
    inputs = Selection(TASK).inputs
    assert inputs[0] == "('hello world',)" and len(inputs) > 3
    assert all(isinstance(eval(source)[0], str) for source in inputs)  # reprs we made


DECODE_TASK = '''```python
def encode_shift(s: str):
    """returns encoded string by shifting every character by 5 in the alphabet."""
    return "".join([chr(((ord(ch) + 5 - ord("a")) % 26) + ord("a")) for ch in s])


def decode_shift(s: str):
    """takes as input string encoded with encode_shift function. Returns decoded string."""
```'''


def test_a_decoder_is_checked_by_a_round_trip_through_the_tasks_own_encoder():
    spec = parse_task(DECODE_TASK)
    assert spec.function is not None and spec.function.name == "decode_shift"
    assert spec.examples and spec.examples[0].expression == "decode_shift(encode_shift('abc'))"
    right = fenced('def decode_shift(s):\n    return "".join(chr((ord(c) - 5 - ord("a")) % 26 + ord("a")) for c in s)')
    shifts_the_wrong_way = right.replace("- 5", "+ 5")
    assert validate_answer(DECODE_TASK, right).strength == "examples"
    assert validate_answer(DECODE_TASK, right).passed
    failed = validate_answer(DECODE_TASK, shifts_the_wrong_way)
    assert not failed.passed
    assert "decode_shift(encode_shift('abc'))` expected 'abc', got 'kl" in failed.reasons[0]


def test_no_round_trip_without_the_encoder_or_its_annotation():
    unannotated = DECODE_TASK.replace("def encode_shift(s: str)", "def encode_shift(s)")
    assert parse_task(unannotated).examples == ()
    no_encoder = DECODE_TASK.replace("encode_shift(s: str)", "shift_forward(s: str)")
    assert parse_task(no_encoder).examples == ()
