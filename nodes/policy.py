"""The escalation policy: where a request goes after each verdict, and why.

`decide` is a pure function of the state, the request's options and a "keeps failing" test; the
validate node records its `Decision` in the state once, and the graph's edge and the finish node
only read it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from coding_director.core.context import Budgets, Options
from coding_director.core.services import Services
from coding_director.core.team import NEXT_TIER, TIER_ROLE, Tier, tier_title
from coding_director.state import Attempt, Decision, DirectorState, FailureKind, Outcome, SkippedTier

#: Whether a tier should be passed over (SKIP_FAILING_TIERS), and why; None to ask it.
SkipTest = Callable[[Tier], str | None]
#: How many candidates a tier draws (1: one greedy answer; more: sampling with selection).
SamplesOf = Callable[[Tier], int]


def _plural(count: float, word: str) -> str:
    return f"{count:g} {word}" + ("" if count == 1 else "s")


@dataclass(frozen=True, slots=True)
class BudgetSpent:
    budget: Literal["attempts", "tiers", "model time", "wall clock"]
    text: str
    """Said the way the user reads it: "the attempt budget (1 attempt)"."""

    @property
    def outcome(self) -> Outcome:
        return "attempt_cap" if self.budget == "attempts" else "budget_exhausted"


def budget_spent(state: DirectorState, budgets: Budgets, now: float | None = None) -> BudgetSpent | None:
    """Which budget, if any, forbids another attempt."""
    attempts = state.get("attempts", [])
    extra = state.get("human_retries", 0)
    if len(attempts) >= budgets.max_attempts + extra:
        return BudgetSpent("attempts", f"the attempt budget ({_plural(budgets.max_attempts, 'attempt')})")
    if len({a["tier"] for a in attempts}) >= budgets.max_tiers + extra:
        return BudgetSpent("tiers", f"the tier budget ({_plural(budgets.max_tiers, 'tier')})")
    model_s = sum(a["duration_s"] for a in attempts)
    if budgets.max_model_s is not None and model_s >= budgets.max_model_s:
        return BudgetSpent("model time", f"the model-time budget ({budgets.max_model_s:g} s; {model_s:.1f} s used)")
    now = now or time.time()
    wall_s = now - state.get("started_at", now)
    if budgets.max_wall_s is not None and wall_s >= budgets.max_wall_s:
        return BudgetSpent("wall clock", f"the wall-clock budget ({budgets.max_wall_s:g} s; {wall_s:.1f} s used)")
    return None


def _task_failures(attempt: Attempt) -> set[str]:
    verdict = attempt["verdict"]
    if verdict is None:
        return set()
    return {f"{f['kind']}: {f['message']}" for f in verdict["failures"] if FailureKind(f["kind"]).task_bound}


def same_failure_twice(attempts: list[Attempt]) -> str | None:
    """Two tiers failing one deterministic task check in exactly the same way: no stronger tier will do better.

    Typical causes: an example in the task that contradicts itself, a package the task needs that is
    not installed. A generic reason ("the answer never states the result") can repeat for two weak
    models and does not count. Returns the shared reason.
    """
    if len(attempts) < 2:
        return None
    last, before = attempts[-1], attempts[-2]
    if last["tier"] == before["tier"]:
        return None
    shared = _task_failures(last) & _task_failures(before)
    return sorted(shared)[0] if shared else None


def next_tier_to_ask(tier: Tier | None, skip: SkipTest | None) -> tuple[Tier | None, list[SkippedTier]]:
    """`tier`, or the first tier above it that is not to be skipped; with the tiers passed over."""
    skipped: list[SkippedTier] = []
    while tier is not None and skip is not None and (why := skip(tier)):
        skipped.append({"tier": tier, "why": why})
        tier = NEXT_TIER[tier]
    return tier, skipped


def decide(
    state: DirectorState, options: Options, skip: SkipTest | None = None, samples: SamplesOf | None = None
) -> Decision:
    """After a verdict: finish on a pass; otherwise escalate, unless no tier is left, a budget is spent
    or two tiers failed the same way before a tier that draws one answer — then finish, or ask a person
    where human escalation is on."""
    last = state["attempts"][-1]
    if last["verdict"] is not None and last["verdict"]["passed"]:
        confirm = _confirmation(state, options, skip, samples)
        if confirm is not None:
            return confirm
        return {"next": "finish", "why": "", "outcome": "passed", "skipped": []}
    following, skipped = next_tier_to_ask(NEXT_TIER[last["tier"]], skip)
    stop = _stop(state, options, following, samples)
    if stop is None and following is not None:
        return {"next": following, "why": "", "outcome": None, "skipped": skipped}
    why, outcome = stop or ("every tier was tried", "no_tier_passed")
    if any(a["verdict"] is not None and a["verdict"]["passed"] for a in state["attempts"]):
        # a pass that went on to be confirmed stands when the confirming tiers could not do better
        return {"next": "finish", "why": "", "outcome": "passed", "skipped": skipped}
    if options.human_escalation:  # the outcome stands unless the person accepts, retries or stops
        return {"next": "ask_human", "why": why, "outcome": outcome, "skipped": skipped}
    return {"next": "finish", "why": why, "outcome": outcome, "skipped": skipped}


def _confirmation(
    state: DirectorState, options: Options, skip: SkipTest | None, samples: SamplesOf | None
) -> Decision | None:
    """Where a pass that nothing ran goes: on to the next tier while a tier that samples lies ahead.

    With no example of the task to run, review can only say the code is well formed; a tier that draws
    several answers can compare them by running them on inputs like the task's, and agreement between
    independent samples is evidence one answer alone cannot give (CONFIRM_UNCHECKED). None: the pass stands.
    """
    last = state["attempts"][-1]
    function = last["verdict"].get("unchecked_function") if last["verdict"] is not None else None
    if not options.confirm_unchecked or not function or samples is None or samples(last["tier"]) > 1:
        return None
    following, skipped = next_tier_to_ask(NEXT_TIER[last["tier"]], skip)
    ahead, sampling_ahead = following, False
    while ahead is not None and not sampling_ahead:
        sampling_ahead, ahead = samples(ahead) > 1, NEXT_TIER[ahead]
    if following is None or not sampling_ahead or state.get("human_retries") or budget_spent(state, options.budgets):
        return None
    then = (
        "who draws several answers and compares them by running them"
        if samples(following) > 1
        else "on the way to a tier that draws several answers and compares them by running them"
    )
    why = (
        f"the {tier_title(last['tier'])}'s answer passed review, but the task shows no example to run "
        f"`{function}` on: asking the {tier_title(following)}, {then}"
    )
    return {"next": following, "why": why, "outcome": None, "skipped": skipped}


def _stop(
    state: DirectorState, options: Options, following: Tier | None, samples: SamplesOf | None = None
) -> tuple[str, Outcome] | None:
    """(why, outcome) when the policy stops escalation while a tier is still left.

    A shared failure does not stop escalation before a sampling tier: drawing several candidates and
    keeping one that passes is the one way past a failure that two greedy answers had in common."""
    if following is None:
        return None
    sampling_next = samples is not None and samples(following) > 1
    shared = (
        options.early_stop
        and not sampling_next
        and not state.get("human_retries")
        and same_failure_twice(state["attempts"])
    )
    if shared:
        return (
            f"stopped early: two tiers failed the same check the same way ({shared}); a stronger tier is "
            "unlikely to do better — check the task itself, e.g. an example that contradicts it or a "
            "package that is not installed",
            "early_stop",
        )
    spent = budget_spent(state, options.budgets)
    if spent is not None:
        return f"stopped by {spent.text}", spent.outcome
    return None


def make_skip_test(services: Services, category: str) -> SkipTest | None:
    """SKIP_FAILING_TIERS=N: pass over a tier whose model failed N requests of this kind and passed none."""
    threshold = services.settings.skip_failing_tiers
    cache = services.cache
    if not threshold or cache is None:
        return None

    def keeps_failing(tier: Tier) -> str | None:
        model = services.models.label(TIER_ROLE[tier])
        failures, passes = cache.failures(model, category)
        if passes == 0 and failures >= threshold:
            return f"{model} failed review {_plural(failures, 'time')} on {category} requests and never passed"
        return None

    return keeps_failing
