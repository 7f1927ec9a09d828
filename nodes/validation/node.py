"""The graph's `validate` node: judges the newest attempt and records the verdict on it."""

from __future__ import annotations

from langchain_core.runnables import RunnableConfig

from nodes.validation import Verdict, validate_answer
from state import DirectorState


def validate(state: DirectorState, config: RunnableConfig) -> dict:
    attempt = dict(state["attempts"][-1])
    if attempt["error"]:
        verdict = Verdict(passed=False, reasons=[attempt["error"]], checks=["model answered"])
    else:
        verdict = validate_answer(
            state["task"],
            attempt["answer"],
            state["route"]["category"],
            done_reason=attempt["done_reason"],
        )
    attempt["verdict"] = verdict.to_dict()
    return {"attempts": [attempt]}
