"""The finishing node: picks what the user sees, says plainly when no tier passed, logs the run."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from langchain_core.messages import AIMessage
from langchain_core.runnables import RunnableConfig

from coding_director.services import Services
from nodes.tiers import tier_title
from state import Attempt, DirectorState

EMPTY_REQUEST = "Nothing to answer: the request is empty. Type a question or a task."


def attempt_rank(attempt: Attempt) -> tuple[int, int, int, int]:
    """Higher is better: passed, then answered at all, then fewer failed checks, then longer."""
    verdict = attempt["verdict"] or {"passed": False, "reasons": ["unjudged"]}
    return (
        int(verdict["passed"]),
        int(not attempt["error"] and bool(attempt["answer"].strip())),
        -len(verdict["reasons"]),
        len(attempt["answer"]),
    )


def best_attempt(attempts: list[Attempt]) -> Attempt:
    return max(reversed(attempts), key=attempt_rank)  # ties go to the later (stronger) tier


def _failure_summary(attempts: list[Attempt], stopped_by_cap: bool) -> str:
    lines = []
    for attempt in attempts:
        reasons = (attempt["verdict"] or {}).get("reasons") or [attempt["error"] or "failed"]
        lines.append(f"- {tier_title(attempt['tier'])} ({attempt['model']}): {'; '.join(reasons)}")
    why = "the attempt cap was reached" if stopped_by_cap else "every tier was tried"
    return f"No tier passed validation ({why}).\n" + "\n".join(lines)


def compose_final(attempts: list[Attempt], max_attempts: int, human_decision: str = "") -> tuple[str, str]:
    """(final answer, outcome) for the attempts of one request."""
    if not attempts:
        return EMPTY_REQUEST, "no_tier_passed"
    best = best_attempt(attempts)
    if best["verdict"] and best["verdict"]["passed"]:
        return best["answer"], "passed"
    stopped_by_cap = len(attempts) >= max_attempts and attempts[-1]["tier"] != "principal_architect"
    summary = _failure_summary(attempts, stopped_by_cap)
    if human_decision == "stop":
        return f"Stopped at your request.\n\n{summary}", "stopped_by_human"
    if human_decision == "accept" and best["answer"].strip():
        who = f"{tier_title(best['tier'])} ({best['model']})"
        note = f"Accepted by you, from the {who}, though it did not pass review."
        return f"{best['answer']}\n\n---\n{note}\n{summary}", "accepted_by_human"
    outcome = "attempt_cap" if stopped_by_cap else "no_tier_passed"
    if best["error"] or not best["answer"].strip():
        return f"Sorry — no model could answer this request.\n\n{summary}", outcome
    who = f"{tier_title(best['tier'])} ({best['model']})"
    note = f"⚠ Best attempt shown, from the {who}; it did not pass review."
    return f"{best['answer']}\n\n---\n{note}\n{summary}", outcome


def run_record(state: DirectorState, config: RunnableConfig, outcome: str) -> dict[str, Any]:
    attempts = state.get("attempts", [])
    return {
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "thread_id": (config or {}).get("configurable", {}).get("thread_id"),
        "request_id": state.get("request_id"),
        "route": state.get("route"),
        "attempts": [
            {
                "tier": a["tier"],
                "role": a["role"],
                "model": a["model"],
                "duration_s": a["duration_s"],
                "input_tokens": a["input_tokens"],
                "output_tokens": a["output_tokens"],
                "passed": bool(a["verdict"] and a["verdict"]["passed"]),
                "reasons": (a["verdict"] or {}).get("reasons", []),
                "error": a["error"],
            }
            for a in attempts
        ],
        "outcome": outcome,
        "duration_s": round(time.time() - state.get("started_at", time.time()), 3),
    }


def make_finish_node(services: Services) -> Callable[[DirectorState, RunnableConfig], dict]:
    def finish(state: DirectorState, config: RunnableConfig) -> dict[str, Any]:
        max_attempts = int((config or {}).get("configurable", {}).get("max_attempts", services.settings.max_attempts))
        attempts = state.get("attempts", [])
        final, outcome = compose_final(attempts, max_attempts, state.get("human_decision", ""))
        notices = sorted({a["notice"] for a in attempts if a.get("notice")})
        if notices:
            final += "\n\n" + "\n".join(f"Note: {n}." for n in notices)
        if services.run_log is not None:
            services.run_log.append(run_record(state, config, outcome))
        answered_by = best_attempt(attempts)["tier"] if attempts else None
        return {
            "final_answer": final,
            "outcome": outcome,
            "messages": [AIMessage(final, name=answered_by)],
        }

    return finish
