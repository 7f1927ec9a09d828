"""The graph's routing, escalation, caps and memory, on scripted fake models."""

from __future__ import annotations

import json

import httpx
import pytest

from coding_director import build_graph
from tests.fakes import team
from tests.standin import GOOD_CODE as BARE_GOOD_CODE

GOOD_CODE = BARE_GOOD_CODE + "\nAdds two numbers."
BROKEN_CODE = "```python\ndef add(a, b)\n    return a + b\n```"
CODE_TASK = "Write a Python function add(a, b) that returns the sum."
MATH_TASK = "What is 17 * 23?"


SAVER = None


@pytest.fixture(autouse=True)
def _on_every_checkpointer(checkpointer, monkeypatch):
    """Every graph test here runs on each supported checkpointer."""
    monkeypatch.setitem(globals(), "SAVER", checkpointer)


def run(settings, models, prompt, thread="t1", **options):
    graph = build_graph(settings=settings, models=models, checkpointer=SAVER)
    return graph.invoke({"messages": [("user", prompt)]}, {"configurable": {"thread_id": thread}}, context=options)


def tiers(result) -> list[str]:
    return [a["tier"] for a in result["attempts"]]


def test_general_request_is_answered_by_the_lead_without_asking_the_router(settings):
    models = team(lead=[GOOD_CODE])
    result = run(settings, models, CODE_TASK)
    assert result["route"]["category"] == "general"
    assert result["route"]["source"] == "rules"
    assert tiers(result) == ["lead_developer"]
    assert result["outcome"] == "passed"
    assert result["final_answer"] == GOOD_CODE
    assert result["messages"][-1].content == GOOD_CODE
    assert models["router"].calls == []  # a confident route costs no model call


def test_math_request_goes_to_the_math_specialist(settings):
    result = run(settings, team(math=["17 * 23 = 391\nAnswer: 391"]), MATH_TASK)
    assert result["route"]["category"] == "math"
    assert tiers(result) == ["math_specialist"]
    assert result["outcome"] == "passed"
    attempt = result["attempts"][0]
    assert attempt["model"] == "fake-math"
    assert attempt["verdict"]["passed"] is True
    assert attempt["input_tokens"] == 10 and attempt["output_tokens"] == 5


def test_wrong_math_escalates_to_the_lead_with_the_reason(settings):
    models = team(math=["17 * 23 = 381"], lead=["17 * 23 = 391"])
    result = run(settings, models, MATH_TASK)
    assert tiers(result) == ["math_specialist", "lead_developer"]
    assert result["attempts"][0]["verdict"]["passed"] is False
    assert "it is 391" in result["attempts"][0]["verdict"]["reasons"][0]
    told = models["lead"].calls[0][-1].content
    assert "17 * 23 = 381 is wrong; it is 391" in told
    assert result["final_answer"] == "17 * 23 = 391"


def test_failed_lead_escalates_to_senior_then_principal(settings):
    models = team(lead=[BROKEN_CODE], senior=["I'm sorry, I cannot help with that."], principal=[GOOD_CODE])
    result = run(settings, models, CODE_TASK)
    assert tiers(result) == ["lead_developer", "senior_developer", "principal_architect"]
    assert result["outcome"] == "passed"
    assert result["final_answer"] == GOOD_CODE
    principal_prompt = models["principal"].calls[0][-1].content
    assert "does not parse" in principal_prompt  # the lead's failure
    assert "declines the request" in principal_prompt  # the senior's failure


def test_senior_can_rescue_the_lead(settings):
    models = team(lead=[BROKEN_CODE], senior=[GOOD_CODE])
    result = run(settings, models, CODE_TASK)
    assert tiers(result) == ["lead_developer", "senior_developer"]
    assert result["outcome"] == "passed"


def test_when_every_tier_fails_the_best_attempt_is_shown_and_the_failure_said_plainly(settings):
    models = team(
        math=["17 * 23 = 381"],
        lead=["17 * 23 = 389"],
        senior=[""],
        principal=["I cannot do arithmetic."],
    )
    result = run(settings, models, MATH_TASK)
    assert tiers(result) == ["math_specialist", "lead_developer", "senior_developer", "principal_architect"]
    assert result["outcome"] == "no_tier_passed"
    final = result["final_answer"]
    assert "No tier passed validation" in final
    assert "every tier was tried" in final
    assert final.startswith("17 * 23 = 38")  # an answer with one failed check beats empty and refusal


def test_attempt_cap_from_settings_stops_escalation(tmp_path):
    from coding_director.core.settings import settings_from_env

    capped = settings_from_env({"CODING_DIRECTOR_HOME": str(tmp_path), "MAX_ATTEMPTS": "2"})
    result = run(capped, team(lead=[BROKEN_CODE], senior=["I cannot help with that."]), CODE_TASK)
    assert tiers(result) == ["lead_developer", "senior_developer"]
    assert result["outcome"] == "attempt_cap"
    assert "stopped by the attempt budget (2 attempts)" in result["final_answer"]


def test_attempt_cap_can_be_set_per_call(settings):
    result = run(settings, team(lead=[BROKEN_CODE]), CODE_TASK, max_attempts=1)
    assert tiers(result) == ["lead_developer"]
    assert result["outcome"] == "attempt_cap"


def test_model_errors_become_failed_attempts_and_escalation_continues(settings):
    request = httpx.Request("POST", "http://127.0.0.1:11434/api/chat")
    refused = httpx.ConnectError("connection refused", request=request)
    models = team(
        lead=[refused] * 3,  # the first call and two retries
        senior=[httpx.ReadTimeout("timed out", request=request)],
        principal=[GOOD_CODE],
    )
    result = run(settings, models, CODE_TASK)
    assert tiers(result) == ["lead_developer", "senior_developer", "principal_architect"]
    lead, senior, _ = result["attempts"]
    assert lead["error"].startswith("unreachable: cannot connect to Ollama")
    assert lead["verdict"]["reasons"] == [lead["error"]]
    assert lead["retries"] == 2
    assert senior["error"].startswith("timeout:")
    assert result["outcome"] == "passed"


def test_a_transient_fault_is_retried_on_the_same_model_before_escalating(settings):
    request = httpx.Request("POST", "http://127.0.0.1:11434/api/chat")
    models = team(lead=[httpx.ConnectError("refused", request=request), GOOD_CODE])
    result = run(settings, models, CODE_TASK)
    assert tiers(result) == ["lead_developer"]
    assert result["attempts"][0]["retries"] == 1
    assert result["outcome"] == "passed"


def test_when_no_model_answers_at_all_the_user_gets_the_causes(settings):
    request = httpx.Request("POST", "http://127.0.0.1:11434/api/chat")
    down = httpx.ConnectError("connection refused", request=request)
    result = run(settings, team(lead=[down] * 3, senior=[down] * 3, principal=[down] * 3), CODE_TASK)
    assert result["outcome"] == "no_tier_passed"
    assert result["final_answer"].startswith("Sorry — no model could answer this request.")
    assert result["final_answer"].count("cannot connect to Ollama") == 3


def test_unsure_requests_ask_the_router_model_and_tolerate_a_sentence(settings):
    models = team(router=["The task is math."], math=["The answer is 42."])
    result = run(settings, models, "What do you reckon about it?")
    assert len(models["router"].calls) == 1
    assert result["route"]["source"] == "model"
    assert result["route"]["category"] == "math"
    assert tiers(result) == ["math_specialist"]


def test_a_failing_router_model_falls_back_to_the_rules(settings):
    models = team(router=[RuntimeError("router down")], lead=["Here is some help."])
    result = run(settings, models, "What do you reckon about it?")
    assert result["route"]["source"] == "rules"
    assert result["route"]["category"] == "general"
    assert any("router model failed" in r for r in result["route"]["reasons"])
    assert result["outcome"] == "passed"


def test_prefix_override_forces_the_starting_tier(settings):
    models = team(principal=[GOOD_CODE])
    result = run(settings, models, "/principal " + CODE_TASK)
    assert result["route"]["source"] == "override"
    assert tiers(result) == ["principal_architect"]
    assert models["principal"].calls[0][-1].content == "/principal " + CODE_TASK


def test_an_empty_request_gets_a_clear_message_and_no_model_call(settings):
    models = team()
    result = run(settings, models, "   ")
    assert result["attempts"] == []
    assert "the request is empty" in result["final_answer"]
    assert all(m.calls == [] for m in models.values())


def test_every_request_is_logged_with_route_models_verdicts_and_tokens(settings):
    run(settings, team(math=["17 * 23 = 381"], lead=["17 * 23 = 391"]), MATH_TASK, thread="logged")
    records = [json.loads(line) for line in settings.run_log_file.read_text().splitlines()]
    assert len(records) == 1
    record = records[0]
    assert record["thread_id"] == "logged"
    assert record["route"]["category"] == "math"
    assert [a["model"] for a in record["attempts"]] == ["fake-math", "fake-lead"]
    assert [a["passed"] for a in record["attempts"]] == [False, True]
    assert record["attempts"][0]["reasons"] == ["arithmetic: 17 * 23 = 381 is wrong; it is 391"]
    assert record["attempts"][0]["output_tokens"] == 5
    assert record["outcome"] == "passed"
    assert record["duration_s"] >= 0


def test_a_new_request_starts_with_fresh_attempts(settings, tmp_path):
    graph = build_graph(
        settings=settings,
        models=team(lead=[BROKEN_CODE, GOOD_CODE], senior=[GOOD_CODE]),
        memory_path=tmp_path / "m.sqlite",
    )
    config = {"configurable": {"thread_id": "fresh"}}
    first = graph.invoke({"messages": [("user", CODE_TASK)]}, config)
    second = graph.invoke({"messages": [("user", CODE_TASK)]}, config)
    assert tiers(first) == ["lead_developer", "senior_developer"]
    assert tiers(second) == ["lead_developer"]
    assert len(second["messages"]) == 4  # two questions, two final answers; attempts are not messages


def test_conversation_persists_across_graph_instances_on_one_sqlite_file(settings, tmp_path):
    memory = tmp_path / "memory.sqlite"
    config = {"configurable": {"thread_id": "resumable"}}
    first = build_graph(settings=settings, models=team(lead=["Use a virtual environment."]), memory_path=memory)
    first.invoke({"messages": [("user", "How should I isolate my project's packages?")]}, config)
    del first

    models = team(lead=["Run `python -m venv .venv`."])
    second = build_graph(settings=settings, models=models, memory_path=memory)
    restored = second.get_state(config).values["messages"]
    assert [m.content for m in restored] == [
        "How should I isolate my project's packages?",
        "Use a virtual environment.",
    ]
    second.invoke({"messages": [("user", "And how do I create one?")]}, config)
    seen = [m.content for m in models["lead"].calls[0]]
    assert seen[1:] == [
        "How should I isolate my project's packages?",
        "Use a virtual environment.",
        "And how do I create one?",
    ]
    other = second.get_state({"configurable": {"thread_id": "another"}}).values
    assert other.get("messages", []) == []


def test_history_is_trimmed_to_the_context_keeping_the_system_prompt_and_newest(tmp_path):
    from coding_director.core.settings import settings_from_env

    small = settings_from_env({"CODING_DIRECTOR_HOME": str(tmp_path), "NUM_CTX": "600"})
    models = team(lead=["ok " * 3, "ok"])
    graph = build_graph(settings=small, models=models, memory_path=tmp_path / "m.sqlite")
    config = {"configurable": {"thread_id": "long"}}
    graph.invoke({"messages": [("user", "Explain Python decorators. " + "filler " * 400)]}, config)
    graph.invoke({"messages": [("user", "Explain Python generators briefly.")]}, config)
    sent = models["lead"].calls[1]
    assert sent[0].type == "system"
    assert sent[-1].content == "Explain Python generators briefly."
    assert all("filler" not in m.content for m in sent)


@pytest.mark.parametrize(
    ("prompt", "first"),
    [
        ("Prove that there are infinitely many primes.", "math_specialist"),
        ("How can I undo my last git commit but keep the changes?", "lead_developer"),
    ],
)
def test_route_picks_the_first_tier(settings, prompt, first):
    result = run(settings, team(math=["Answer: see proof."], lead=["Use `git reset --soft HEAD~1`."]), prompt)
    assert tiers(result)[0] == first


def test_the_optional_judge_fails_what_checks_cannot_decide_and_feeds_the_next_tier(tmp_path):
    from coding_director.core.settings import settings_from_env

    judged = settings_from_env({"CODING_DIRECTOR_HOME": str(tmp_path), "VALIDATOR_JUDGE": "true"})
    models = team(
        lead=["Use a for loop."],
        router=["FAIL: it does not say how to make the request time out.", "PASS"],
        senior=["Pass `timeout=5` to `requests.post`."],
    )
    result = run(judged, models, "How do I make a POST request with the requests library and handle timeouts?")
    assert tiers(result) == ["lead_developer", "senior_developer"]
    assert result["attempts"][0]["verdict"]["reasons"] == ["judge: it does not say how to make the request time out."]
    assert "model judge" in result["attempts"][1]["verdict"]["checks"]
    assert "it does not say how to make the request time out" in models["senior"].calls[0][-1].content


def test_the_judge_never_overturns_a_failed_run(tmp_path):
    from coding_director.core.settings import settings_from_env

    judged = settings_from_env({"CODING_DIRECTOR_HOME": str(tmp_path), "VALIDATOR_JUDGE": "true", "MAX_ATTEMPTS": "1"})
    wrong = "```python\ndef is_prime(n):\n    return True\n```"
    models = team(lead=[wrong], router=["PASS"] * 3)
    result = run(judged, models, "Write a function is_prime(n). is_prime(4) -> False")
    assert result["attempts"][0]["verdict"]["passed"] is False
    assert models["router"].calls == []  # the run decided; the judge was not asked


def test_two_tiers_failing_the_same_check_the_same_way_stop_escalation(settings):
    task = "Write a function double(x). double(2) -> 5"  # the example contradicts the task
    code = "```python\ndef double(x):\n    return 2 * x\n```"
    models = team(lead=[code], senior=[code])
    result = run(settings, models, task)
    assert tiers(result) == ["lead_developer", "senior_developer"]  # the principal is spared
    assert result["outcome"] == "early_stop"
    assert "stopped early: two tiers failed the same check the same way" in result["final_answer"]
    assert "`double(2)` expected 5, got 4" in result["final_answer"]


def test_early_stop_can_be_turned_off_per_call(settings):
    task = "Write a function double(x). double(2) -> 5"
    code = "```python\ndef double(x):\n    return 2 * x\n```"
    result = run(settings, team(lead=[code], senior=[code], principal=[code]), task, early_stop=False)
    assert tiers(result) == ["lead_developer", "senior_developer", "principal_architect"]
    assert result["outcome"] == "no_tier_passed"


def test_tier_and_time_budgets_stop_with_the_best_attempt_and_say_which(settings):
    models = team(lead=[BROKEN_CODE], senior=["I cannot help with that."])
    result = run(settings, models, CODE_TASK, max_tiers=2)
    assert tiers(result) == ["lead_developer", "senior_developer"]
    assert result["outcome"] == "budget_exhausted"
    assert "stopped by the tier budget (2 tiers)" in result["final_answer"]
    assert result["final_answer"].startswith(BROKEN_CODE)  # best so far: an answer beats a refusal

    result = run(settings, team(lead=[BROKEN_CODE]), CODE_TASK, max_wall_s=1e-9)
    assert tiers(result) == ["lead_developer"]
    assert "stopped by the wall-clock budget" in result["final_answer"]

    result = run(settings, team(lead=[BROKEN_CODE]), CODE_TASK, max_model_s=1e-9)
    assert "stopped by the model-time budget" in result["final_answer"]


def test_a_validated_answer_is_served_from_the_cache_with_a_note(settings, tmp_path):
    models = team(lead=[GOOD_CODE])
    first = run(settings, models, CODE_TASK, thread="a")
    assert first["outcome"] == "passed"
    again = run(settings, team(), CODE_TASK + "  ", thread="b")  # no model may be called
    assert again["outcome"] == "cached"
    assert again["attempts"] == []
    assert again["final_answer"].startswith(GOOD_CODE)
    assert "From the cache: this answer passed review" in again["final_answer"]


def test_failed_answers_are_never_cached_and_the_cache_can_be_bypassed(settings):
    run(settings, team(lead=[BROKEN_CODE], senior=["I cannot."], principal=["No."]), CODE_TASK, thread="a")
    fresh = run(settings, team(lead=[GOOD_CODE]), CODE_TASK, thread="b")
    assert fresh["outcome"] == "passed"  # the failure was not served
    bypass = run(settings, team(lead=[GOOD_CODE]), CODE_TASK, thread="c", no_cache=True)
    assert bypass["outcome"] == "passed" and len(bypass["attempts"]) == 1


def test_follow_ups_are_not_served_from_the_cache(settings, tmp_path):
    graph = build_graph(
        settings=settings, models=team(lead=[GOOD_CODE, "Because it is short."]), memory_path=tmp_path / "m.sqlite"
    )
    config = {"configurable": {"thread_id": "f"}}
    graph.invoke({"messages": [("user", "Explain it.")]}, config)
    run(settings, team(lead=[GOOD_CODE]), "Explain it.", thread="other")  # a first turn: cacheable
    again = graph.invoke({"messages": [("user", "Explain it.")]}, config)  # a follow-up: answered anew
    assert again["outcome"] != "cached"


def test_the_negative_record_counts_failed_checks_per_model(settings):
    run(settings, team(lead=[BROKEN_CODE], senior=[GOOD_CODE]), CODE_TASK, thread="n")
    from coding_director.core.cache import AnswerCache

    record = AnswerCache(settings.cache_file, settings.cache_ttl_s).negative_record()
    assert ("fake-lead", "general", "syntax", 1) in record
    assert all(model != "fake-senior" for model, *_ in record)


def test_a_tier_that_keeps_failing_a_kind_of_request_is_skipped(tmp_path):
    from coding_director.core.settings import settings_from_env

    skipping = settings_from_env({"CODING_DIRECTOR_HOME": str(tmp_path), "SKIP_FAILING_TIERS": "2"})
    for n in range(2):
        run(skipping, team(lead=[BROKEN_CODE], senior=["I cannot."], principal=[GOOD_CODE]), f"{CODE_TASK} #{n}")
    result = run(skipping, team(principal=[GOOD_CODE]), f"{CODE_TASK} #3")
    assert tiers(result) == ["principal_architect"]  # the lead (the first tier) and the senior were skipped
    assert result["outcome"] == "passed"
    skipped = {s["tier"]: s["why"] for s in result["skipped"]}
    assert list(skipped) == ["lead_developer", "senior_developer"]
    assert "fake-lead failed review 2 times on general requests and never passed" in skipped["lead_developer"]
    logged = json.loads((tmp_path / "runs.jsonl").read_text().splitlines()[-1])
    assert [s["tier"] for s in logged["skipped"]] == ["lead_developer", "senior_developer"]


def test_skipping_applies_to_a_first_tier_that_keeps_failing(tmp_path):
    from coding_director.core.settings import settings_from_env

    skipping = settings_from_env({"CODING_DIRECTOR_HOME": str(tmp_path), "SKIP_FAILING_TIERS": "1"})
    run(skipping, team(math=["17 * 23 = 381"], lead=["17 * 23 = 391"]), MATH_TASK)
    result = run(skipping, team(lead=["18 * 23 = 414"]), "What is 18 * 23?")
    assert tiers(result) == ["lead_developer"]  # the math specialist is passed over
    assert result["route"]["first_tier"] == "lead_developer"
    assert result["skipped"][0]["tier"] == "math_specialist"


def test_the_callers_system_instructions_reach_the_model_even_when_history_is_trimmed(tmp_path):
    from coding_director.core.settings import settings_from_env

    small = settings_from_env({"CODING_DIRECTOR_HOME": str(tmp_path), "NUM_CTX": "512"})
    models = team(lead=[GOOD_CODE])
    history = [("system", "Answer in French, and name every function in snake_case.")]
    for turn in range(30):  # far more history than 512 tokens hold
        history += [("user", f"earlier question {turn} " * 8), ("assistant", f"earlier answer {turn} " * 8)]
    graph = build_graph(settings=small, models=models, checkpointer=SAVER)
    graph.invoke({"messages": [*history, ("user", CODE_TASK)]}, {"configurable": {"thread_id": "sys2"}})
    sent = models["lead"].calls[-1]
    assert sent[0].type == "system"
    assert "Answer in French, and name every function in snake_case." in sent[0].content
    assert sent[-1].content.startswith(CODE_TASK)
    assert "earlier question 0 " not in " ".join(m.content for m in sent)  # the old history was trimmed
