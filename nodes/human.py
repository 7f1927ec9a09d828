"""Human escalation: when every tier has failed, pause and let the person decide."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langgraph.types import Command, interrupt

from coding_director.core.team import DEFAULT_RETRY_TIER, RETRY_TIERS, tier_of
from coding_director.nodes.finish import best_attempt, reasons_of
from coding_director.state import DirectorState, Tier

QUESTION = "No tier passed review. Accept the best attempt, give a hint and retry from a tier, or stop?"


def escalation_request(state: DirectorState) -> dict[str, Any]:
    """What the person is shown: the best attempt, every failure, and how to answer."""
    attempts = state["attempts"]
    best = best_attempt(attempts)
    return {
        "question": QUESTION,
        "best_attempt": {
            "tier": best["tier"],
            "model": best["model"],
            "answer": best["answer"],
            "reasons": reasons_of(best) if not (best["verdict"] and best["verdict"]["passed"]) else [],
        },
        "why": state["decision"]["why"] if state.get("decision") else "",
        "failures": [{"tier": a["tier"], "reasons": reasons_of(a)} for a in attempts],
        "resume_with": [
            {"action": "accept"},
            {"action": "retry", "hint": "what to do differently", "tier": "|".join(RETRY_TIERS)},
            {"action": "stop"},
        ],
    }


def parse_decision(decision: Any) -> tuple[str, str, Tier]:
    """(action, hint, tier) from a resume value: a dict, or a bare word such as "accept"."""
    if isinstance(decision, str):
        decision = {"action": decision}
    if not isinstance(decision, dict):
        return "accept", "", DEFAULT_RETRY_TIER
    action = str(decision.get("action", "accept")).lower()
    if action not in ("accept", "retry", "stop"):
        action = "accept"
    tier = tier_of(str(decision.get("tier") or ""))
    if tier not in RETRY_TIERS:
        tier = DEFAULT_RETRY_TIER
    return action, str(decision.get("hint") or "").strip(), tier


def make_ask_human_node() -> Callable[..., Command]:
    def ask_human(state: DirectorState) -> Command:
        action, hint, tier = parse_decision(interrupt(escalation_request(state)))
        if action == "retry":
            return Command(
                goto=tier,
                update={"human_hint": hint, "human_retries": state.get("human_retries", 0) + 1},
            )
        return Command(goto="finish", update={"human_decision": action})

    return ask_human
