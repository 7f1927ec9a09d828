"""The finishing node: picks what the user sees, says plainly when no tier passed, logs the run."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from langchain_core.messages import AIMessage
from langchain_core.runnables import RunnableConfig

from coding_director.core.services import Services
from coding_director.core.team import NEXT_TIER, tier_title
from coding_director.nodes.policy import Budgets, escalation_stop
from coding_director.state import Attempt, DirectorState

log = logging.getLogger(__name__)

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


def _failure_summary(attempts: list[Attempt], why: str) -> str:
    lines = []
    for attempt in attempts:
        reasons = (attempt["verdict"] or {}).get("reasons") or [attempt["error"] or "failed"]
        lines.append(f"- {tier_title(attempt['tier'])} ({attempt['model']}): {'; '.join(reasons)}")
    return f"No tier passed validation ({why}).\n" + "\n".join(lines)


def why_stopped(state: DirectorState, budgets: Budgets, early_stop: bool) -> tuple[str, str]:
    """(why, outcome) for a request no tier passed: early stop, a budget, or every tier tried."""
    attempts = state.get("attempts", [])
    stopped = escalation_stop(state, budgets, early_stop)
    if stopped and NEXT_TIER[attempts[-1]["tier"]] is not None:
        return stopped
    return "every tier was tried", "no_tier_passed"


def compose_final(
    attempts: list[Attempt], why: tuple[str, str] = ("every tier was tried", "no_tier_passed"), human_decision: str = ""
) -> tuple[str, str]:
    """(final answer, outcome) for the attempts of one request."""
    if not attempts:
        return EMPTY_REQUEST, "no_tier_passed"
    best = best_attempt(attempts)
    if best["verdict"] and best["verdict"]["passed"]:
        return best["answer"], "passed"
    summary = _failure_summary(attempts, why[0])
    if human_decision == "stop":
        return f"Stopped at your request.\n\n{summary}", "stopped_by_human"
    if human_decision == "accept" and best["answer"].strip():
        who = f"{tier_title(best['tier'])} ({best['model']})"
        note = f"Accepted by you, from the {who}, though it did not pass review."
        return f"{best['answer']}\n\n---\n{note}\n{summary}", "accepted_by_human"
    outcome = why[1]
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
                "load_s": a.get("load_s", 0.0),
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


def _cached_final(cached: dict) -> str:
    age = cached["age_s"]
    when = f"{age / 3600:.1f} h" if age >= 3600 else f"{age / 60:.0f} min" if age >= 60 else f"{age:.0f} s"
    return (
        f"{cached['answer']}\n\n---\n(From the cache: this answer passed review {when} ago, from the "
        f"{tier_title(cached['tier'])} ({cached['model']}). Ask with --no-cache for a fresh one.)"
    )


def _remember(services: Services, state: DirectorState, outcome: str) -> None:
    """Cache a validated answer; count every verdict per model for the negative record."""
    cache = services.cache
    category = (state.get("route") or {}).get("category", "general")
    try:
        for attempt in state.get("attempts", []):
            verdict = attempt["verdict"] or {}
            if attempt["error"]:
                continue  # a model fault says nothing about the kind of task
            kinds = ["passed"] if verdict.get("passed") else verdict.get("failed_checks") or ["failed"]
            for kind in kinds:
                cache.record(attempt["model"], category, kind)
        if outcome == "passed" and state.get("cache_key"):
            best = best_attempt(state["attempts"])
            cache.put(state["cache_key"], best["answer"], best["tier"], best["model"])
    except Exception:  # the cache is an optimisation: never let it break an answer
        log.warning("could not update the answer cache", exc_info=True)


def make_finish_node(services: Services) -> Callable[[DirectorState, RunnableConfig], dict]:
    def finish(state: DirectorState, config: RunnableConfig) -> dict[str, Any]:
        configurable = (config or {}).get("configurable", {})
        attempts = state.get("attempts", [])
        budgets = Budgets.resolve(services.settings, configurable)
        early_stop = bool(configurable.get("early_stop", services.settings.early_stop))
        why = why_stopped(state, budgets, early_stop) if attempts else ("", "no_tier_passed")
        final, outcome = compose_final(attempts, why, state.get("human_decision", ""))
        cached = state.get("cached")
        if cached and state.get("task"):
            final, outcome = _cached_final(cached), "cached"
        elif services.cache is not None:
            _remember(services, state, outcome)
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
