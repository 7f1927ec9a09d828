"""The graph's `validate` node: judges the newest attempt, records the verdict on it, and records
what the escalation policy decides next."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.runnables import RunnableConfig
from langgraph.runtime import Runtime

from coding_director.core.context import Context, Options
from coding_director.core.services import Services
from coding_director.core.team import TIER_ROLE
from coding_director.nodes.policy import decide, make_skip_test
from coding_director.nodes.sampling import samples_for
from coding_director.nodes.validation import Verdict, validate_answer
from coding_director.prompts import load_prompt
from coding_director.state import Attempt, DirectorState, FailureKind, VerdictInfo

_JUDGE_REPLY = re.compile(r"^\W*(PASS|FAIL)\b\W*(.*)", re.IGNORECASE | re.DOTALL)
#: Checks that decide on evidence; with any of them run, the judge is not consulted.
DECISIVE_CHECKS = {"runs in the sandbox"}


def ask_judge(model, task: str, answer: str, config: RunnableConfig | None = None) -> tuple[bool, str] | None:
    """(passed, reason) from the judge model, or None when its reply cannot be read or it fails."""
    messages = [
        SystemMessage(load_prompt("judge")),
        HumanMessage(f"Request:\n{task}\n\nAnswer:\n{answer}"),
    ]
    try:
        reply = model.invoke(messages, config).text
    except Exception:
        return None
    match = _JUDGE_REPLY.match(reply.strip())
    if not match:
        return None
    passed = match.group(1).upper() == "PASS"
    return passed, match.group(2).strip().splitlines()[0][:200] if match.group(2).strip() else ""


def model_gave_no_answer(error: str) -> VerdictInfo:
    """The verdict on an attempt whose model could not be reached or failed: nothing was reviewed."""
    return {
        "passed": False,
        "failures": [{"kind": FailureKind.MODEL.value, "message": error}],
        "reasons": [error],
        "checks": ["model answered"],
        "notes": [],
        "strength": "static",
        "evidence": "nothing to review: the model gave no answer",
    }


def make_validate_node(services: Services) -> Callable[..., dict[str, Any]]:
    settings = services.settings

    def judge(state: DirectorState, attempt: Attempt, config: RunnableConfig) -> VerdictInfo:
        if attempt["error"]:
            return model_gave_no_answer(attempt["error"])
        verdict: Verdict = validate_answer(
            state["task"],
            attempt["answer"],
            state["route"]["category"],
            done_reason=attempt["done_reason"],
            sandbox=settings.sandbox,
        )
        undecided = not DECISIVE_CHECKS & set(verdict.checks)
        if settings.validator_judge and verdict.passed and undecided:
            # the judge may only fail what the deterministic checks could not decide
            judged = ask_judge(services.models.get(settings.judge_role), state["task"], attempt["answer"], config)
            verdict.checks.append("model judge")
            if judged is None:
                verdict.notes.append("model judge gave no readable verdict")
            elif not judged[0]:
                verdict.fail(FailureKind.JUDGE, judged[1] or "the reviewing model rejected the answer")
        if attempt.get("selection"):  # a sampling tier: how this answer was chosen among its candidates
            verdict.notes.append(f"chosen by selection: {attempt['selection']}")
        return verdict.to_info()

    def validate(state: DirectorState, config: RunnableConfig, runtime: Runtime[Context]) -> dict:
        attempt: Attempt = {**state["attempts"][-1], "verdict": judge(state, state["attempts"][-1], config)}
        judged: DirectorState = {**state, "attempts": [*state["attempts"][:-1], attempt]}
        options = Options.resolve(runtime.context, settings, config.get("configurable"))
        decision = decide(
            judged,
            options,
            make_skip_test(services, state["route"]["category"]),
            samples=lambda tier: samples_for(services, TIER_ROLE[tier]),
        )
        return {
            "attempts": [attempt],
            "decision": decision,
            "skipped": [*state.get("skipped", []), *decision["skipped"]],
        }

    return validate
