"""The finishing node: picks what the user sees, says plainly when no tier passed, logs the run."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from langchain_core.messages import AIMessage
from langchain_core.runnables import RunnableConfig

from coding_director.core.services import Services
from coding_director.core.team import tier_title
from coding_director.state import Attempt, CachedAnswer, Decision, DirectorState, Outcome

log = logging.getLogger(__name__)

EMPTY_REQUEST = "Nothing to answer: the request is empty. Type a question or a task."


def attempt_rank(attempt: Attempt) -> tuple[int, int, int, int]:
    """Higher is better: passed, then answered at all, then fewer failed checks, then longer."""
    verdict = attempt["verdict"]
    return (
        int(verdict is not None and verdict["passed"]),
        int(not attempt["error"] and bool(attempt["answer"].strip())),
        -len(verdict["failures"]) if verdict is not None else -1,
        len(attempt["answer"]),
    )


def best_attempt(attempts: list[Attempt]) -> Attempt:
    """The latest attempt that passed review (a pass goes on only to be confirmed by a stronger tier);
    else the best ranked, ties to the later (stronger) tier."""
    passed = [a for a in attempts if a["verdict"] is not None and a["verdict"]["passed"]]
    return passed[-1] if passed else max(reversed(attempts), key=attempt_rank)


def reasons_of(attempt: Attempt) -> list[str]:
    """Why an attempt failed, as the user reads it."""
    if attempt["verdict"] is not None and attempt["verdict"]["reasons"]:
        return attempt["verdict"]["reasons"]
    return [attempt["error"] or "failed"]


def _failure_summary(attempts: list[Attempt], why: str) -> str:
    lines = [f"- {tier_title(a['tier'])} ({a['model']}): {'; '.join(reasons_of(a))}" for a in attempts]
    return f"No tier passed validation ({why}).\n" + "\n".join(lines)


def compose_final(attempts: list[Attempt], why: str, outcome: Outcome, human_decision: str = "") -> tuple[str, Outcome]:
    """(final answer, outcome) for the attempts of one request, given why escalation stopped."""
    if not attempts:
        return (EMPTY_REQUEST if why == "the request is empty" else f"No tier was asked: {why}."), outcome
    best = best_attempt(attempts)
    if best["verdict"] is not None and best["verdict"]["passed"]:
        return best["answer"], "passed"
    summary = _failure_summary(attempts, why)
    if human_decision == "stop":
        return f"Stopped at your request.\n\n{summary}", "stopped_by_human"
    if human_decision == "accept" and best["answer"].strip():
        who = f"{tier_title(best['tier'])} ({best['model']})"
        note = f"Accepted by you, from the {who}, though it did not pass review."
        return f"{best['answer']}\n\n---\n{note}\n{summary}", "accepted_by_human"
    if best["error"] or not best["answer"].strip():
        return f"Sorry — no model could answer this request.\n\n{summary}", outcome
    who = f"{tier_title(best['tier'])} ({best['model']})"
    note = f"⚠ Best attempt shown, from the {who}; it did not pass review."
    return f"{best['answer']}\n\n---\n{note}\n{summary}", outcome


def run_record(state: DirectorState, config: RunnableConfig, outcome: str) -> dict[str, Any]:
    attempts = state.get("attempts", [])
    decision = state.get("decision")
    cached = state.get("cached")
    return {
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "thread_id": (config or {}).get("configurable", {}).get("thread_id"),
        "request_id": state.get("request_id"),
        # the request itself, so `coding-director router retrain` can learn from its outcome
        "task": state.get("task", ""),
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
                "retries": a.get("retries", 0),
                "passed": bool(a["verdict"] and a["verdict"]["passed"]),
                "reasons": a["verdict"]["reasons"] if a["verdict"] else [],
                "strength": a["verdict"]["strength"] if a["verdict"] else None,
                "error": a["error"],
                "selection": a.get("selection"),
            }
            for a in attempts
        ],
        "skipped": state.get("skipped", []),
        "cached": {"tier": cached["tier"], "model": cached["model"], "age_s": cached["age_s"]} if cached else None,
        "why": decision["why"] if decision else "",
        "outcome": outcome,
        "duration_s": round(time.time() - state.get("started_at", time.time()), 3),
    }


def _age(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 60:.0f} min" if seconds >= 60 else f"{seconds:.0f} s"


def _cached_final(cached: CachedAnswer) -> str:
    return (
        f"{cached['answer']}\n\n---\n(From the cache: this answer passed review {_age(cached['age_s'])} ago, from "
        f"the {tier_title(cached['tier'])} ({cached['model']}). Ask with --no-cache for a fresh one.)"
    )


def _remember(services: Services, state: DirectorState, outcome: str) -> None:
    """Cache a validated answer; count every verdict per model for the negative record."""
    cache = services.cache
    if cache is None:
        return
    category = state["route"]["category"] if state.get("route") else "general"
    try:
        for attempt in state.get("attempts", []):
            verdict = attempt["verdict"]
            if attempt["error"] or verdict is None:
                continue  # a model fault says nothing about the kind of task
            kinds = ["passed"] if verdict["passed"] else sorted({f["kind"] for f in verdict["failures"]}) or ["failed"]
            for kind in kinds:
                cache.record(attempt["model"], category, kind)
        if outcome == "passed" and state.get("cache_key"):
            best = best_attempt(state["attempts"])
            cache.put(state["cache_key"], best["answer"], best["tier"], best["model"])
    except Exception:  # the cache is an optimisation: never let it break an answer
        log.warning("could not update the answer cache", exc_info=True)


def make_finish_node(services: Services) -> Callable[..., dict[str, Any]]:
    def finish(state: DirectorState, config: RunnableConfig) -> dict[str, Any]:
        attempts = state.get("attempts", [])
        decision: Decision = state.get("decision") or {
            "next": "finish", "why": "every tier was tried", "outcome": "no_tier_passed", "skipped": []
        }  # fmt: skip
        cached = state.get("cached")
        if cached and state.get("task"):
            final, outcome = _cached_final(cached), "cached"
        else:
            final, outcome = compose_final(
                attempts, decision["why"], decision["outcome"] or "no_tier_passed", state.get("human_decision", "")
            )
            _remember(services, state, outcome)
        notices = sorted({a["notice"] for a in attempts if a["notice"]})
        if notices:
            final += "\n\n" + "\n".join(f"Note: {n}." for n in notices)
        if services.run_log is not None:
            services.run_log.append(run_record(state, config, outcome))
        answered_by = cached["tier"] if cached else best_attempt(attempts)["tier"] if attempts else None
        return {
            "final_answer": final,
            "outcome": outcome,
            "messages": [AIMessage(final, name=answered_by)],
        }

    return finish
