"""The escalation policy: budgets, early stop, and when a tier is not worth asking.

Pure functions of the state and the settings, so the graph's edges and the finish node
reach the same conclusion about why escalation stopped.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from coding_director.core.settings import Settings
from coding_director.state import Attempt, DirectorState

#: Checks where two tiers failing identically points at the task (a self-contradicting example, a
#: package that is not installed) rather than at the models. A generic reason ("the answer never
#: states the result") can repeat for two weak models and does not count.
TASK_BOUND_CHECKS = ("example:", "import:")


@dataclass(frozen=True, slots=True)
class Budgets:
    max_attempts: int
    max_tiers: int
    max_model_s: float | None
    max_wall_s: float | None

    @classmethod
    def resolve(cls, settings: Settings, configurable: dict[str, Any] | None) -> Budgets:
        """Settings, overridden per call by `configurable` keys of the same names."""
        c = configurable or {}
        return cls(
            max_attempts=int(c.get("max_attempts", settings.max_attempts)),
            max_tiers=int(c.get("max_tiers", settings.max_tiers)),
            max_model_s=_optional_float(c.get("max_model_s", settings.max_model_s)),
            max_wall_s=_optional_float(c.get("max_wall_s", settings.max_wall_s)),
        )


def _optional_float(value: Any) -> float | None:
    return None if value in (None, "", 0, "0") else float(value)


def budget_exhausted(state: DirectorState, budgets: Budgets, now: float | None = None) -> str | None:
    """Which budget, if any, forbids another attempt, said the way the user will read it."""
    attempts = state.get("attempts", [])
    extra = state.get("human_retries", 0)
    if len(attempts) >= budgets.max_attempts + extra:
        return f"the attempt budget ({budgets.max_attempts} attempts)"
    if len({a["tier"] for a in attempts}) >= budgets.max_tiers + extra:
        return f"the tier budget ({budgets.max_tiers} tiers)"
    model_s = sum(a["duration_s"] for a in attempts)
    if budgets.max_model_s is not None and model_s >= budgets.max_model_s:
        return f"the model-time budget ({budgets.max_model_s:g} s; {model_s:.1f} s used)"
    wall_s = (now or time.time()) - state.get("started_at", now or time.time())
    if budgets.max_wall_s is not None and wall_s >= budgets.max_wall_s:
        return f"the wall-clock budget ({budgets.max_wall_s:g} s; {wall_s:.1f} s used)"
    return None


def escalation_stop(state: DirectorState, budgets: Budgets, early_stop: bool) -> tuple[str, str] | None:
    """(why, outcome) when the policy stops escalation before the last tier, else None.

    The graph's edge and the finish node both ask this, so they agree on why escalation stopped.
    """
    attempts = state.get("attempts", [])
    shared = early_stop and not state.get("human_retries") and same_failure_twice(attempts)
    if shared:
        return (
            f"stopped early: two tiers failed the same check the same way ({shared}); a stronger tier is "
            "unlikely to do better — check the task itself, e.g. an example that contradicts it or a "
            "package that is not installed",
            "early_stop",
        )
    spent = budget_exhausted(state, budgets)
    if spent:
        outcome = "attempt_cap" if spent.startswith("the attempt budget") else "budget_exhausted"
        return f"stopped by {spent}", outcome
    return None


def _task_failures(attempt: Attempt) -> set[str]:
    verdict = attempt["verdict"] or {}
    return {r for r in verdict.get("reasons", []) if r.startswith(TASK_BOUND_CHECKS)}


def same_failure_twice(attempts: list[Attempt]) -> str | None:
    """Two tiers failing one deterministic check in exactly the same way: no stronger tier will do better.

    Typical causes: an example in the task that contradicts itself, a package the task needs that is
    not installed. Returns the shared reason.
    """
    if len(attempts) < 2:
        return None
    last, before = attempts[-1], attempts[-2]
    if last["tier"] == before["tier"]:
        return None
    shared = _task_failures(last) & _task_failures(before)
    if not shared:
        return None
    return sorted(shared)[0]
