"""The graph's `validate` node: judges the newest attempt and records the verdict on it."""

from __future__ import annotations

import re
from collections.abc import Callable

from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.runnables import RunnableConfig

from coding_director.core.services import Services
from coding_director.nodes.validation import Verdict, validate_answer
from coding_director.prompts import load_prompt
from coding_director.state import DirectorState

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


def make_validate_node(services: Services) -> Callable[[DirectorState, RunnableConfig], dict]:
    settings = services.settings

    def validate(state: DirectorState, config: RunnableConfig) -> dict:
        attempt = dict(state["attempts"][-1])
        if attempt["error"]:
            verdict = Verdict(passed=False, reasons=[attempt["error"]], checks=["model answered"])
            verdict.failed_checks = [attempt["error"].split(":", 1)[0]]
        else:
            verdict = validate_answer(
                state["task"],
                attempt["answer"],
                state["route"]["category"],
                done_reason=attempt["done_reason"],
            )
            undecided = not DECISIVE_CHECKS & set(verdict.checks)
            if settings.validator_judge and verdict.passed and undecided:
                # the judge may only fail what the deterministic checks could not decide
                judged = ask_judge(services.models.get(settings.judge_role), state["task"], attempt["answer"], config)
                verdict.checks.append("model judge")
                if judged is None:
                    verdict.notes.append("model judge gave no readable verdict")
                elif not judged[0]:
                    verdict.passed = False
                    verdict.reasons.append(f"judge: {judged[1] or 'the reviewing model rejected the answer'}")
                    verdict.failed_checks.append("judge")
        attempt["verdict"] = verdict.to_dict()
        return {"attempts": [attempt]}

    return validate
