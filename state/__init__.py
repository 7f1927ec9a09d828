"""The graph's typed state.

Callers only send `messages` (InputState) and read back `OutputState`; everything else is the
director's bookkeeping, kept as plain JSON-able dicts so it survives any checkpointer, shows up in
LangGraph Studio, and can be inspected after `invoke()`.
"""

from __future__ import annotations

from typing import Annotated, Literal, NotRequired, TypedDict

from langchain_core.messages import AnyMessage

from coding_director.core.team import Category, Complexity, Tier
from coding_director.state.messages import add_request_messages
from coding_director.state.verdicts import Failure, FailureKind, Strength, VerdictInfo

Outcome = Literal[
    "passed",
    "cached",
    "no_tier_passed",
    "attempt_cap",
    "budget_exhausted",
    "early_stop",
    "accepted_by_human",
    "stopped_by_human",
]
#: Where the graph goes after routing or after a verdict.
Step = Literal["math_specialist", "lead_developer", "senior_developer", "principal_architect", "ask_human", "finish"]


class RouteInfo(TypedDict):
    category: Category
    complexity: Complexity
    confidence: float
    source: Literal["rules", "model", "override"]
    reasons: list[str]
    forced_tier: NotRequired[Tier]
    """Set when a `/lead`-style prefix chose the starting tier."""
    first_tier: NotRequired[Tier]
    """Where answering started (after any skipped tier)."""


class Attempt(TypedDict):
    id: str
    request_id: str
    tier: Tier
    role: str
    model: str
    answer: str
    verdict: VerdictInfo | None
    error: str | None
    """Why the model gave no answer (unreachable, timeout, …); None when it answered."""
    duration_s: float
    input_tokens: int | None
    output_tokens: int | None
    done_reason: str | None
    retries: int
    notice: str | None
    load_s: float
    """Of duration_s, the time the server spent loading the model (Ollama's load_duration)."""
    selection: NotRequired[str | None]
    """How the answer was chosen when the tier sampled several (SAMPLES); None when it drew one."""


class SkippedTier(TypedDict):
    tier: Tier
    why: str


class Decision(TypedDict):
    """What the policy decided after routing or after a verdict, and why; the edges and finish read it."""

    next: Step
    why: str
    """Why escalation stopped or went on, in the user's words ("" while it simply goes on)."""
    outcome: Outcome | None
    """The request's outcome if it finishes now (for ask_human: unless the person decides otherwise);
    None while it escalates."""
    skipped: list[SkippedTier]
    """Tiers passed over on the way to `next` (SKIP_FAILING_TIERS), each with why."""


class CachedAnswer(TypedDict):
    """A validated answer served from the cache."""

    answer: str
    tier: Tier
    model: str
    age_s: float


def keep_current_request(existing: list[Attempt] | None, new: list[Attempt] | None) -> list[Attempt]:
    """Merge attempts by id, so a verdict updates its attempt; an empty list starts a new request.

    A thread lives across many requests, but `attempts` describes the one being
    answered now (earlier ones stay in the checkpoint history and the run log).
    """
    if new is not None and len(new) == 0:
        return []
    merged = list(existing or [])
    for attempt in new or []:
        ids = [a["id"] for a in merged]
        if attempt["id"] in ids:
            merged[ids.index(attempt["id"])] = attempt
        else:
            merged.append(attempt)
    return merged


class InputState(TypedDict):
    messages: Annotated[list[AnyMessage], add_request_messages]
    """The conversation; new turns are appended (checked, and lone surrogates replaced, on the way in)."""


class OutputState(TypedDict, total=False):
    """What `invoke()` returns."""

    messages: Annotated[list[AnyMessage], add_request_messages]
    task: str
    route: RouteInfo
    attempts: Annotated[list[Attempt], keep_current_request]
    final_answer: str
    outcome: Outcome
    decision: Decision
    skipped: list[SkippedTier]
    cached: CachedAnswer | None
    request_id: str


class DirectorState(InputState, total=False):
    request_id: str
    """Identifies the request being answered; set by the router."""
    task: str
    """The user's latest request, stripped of any routing prefix."""
    route: RouteInfo
    """Where the router sent the request, and why."""
    tier: Tier
    """The tier answering now (or that answered last)."""
    attempts: Annotated[list[Attempt], keep_current_request]
    """Every attempt at the current request, in order, with its verdict."""
    decision: Decision
    """The policy's latest decision: where next, why, and the outcome when it finishes."""
    skipped: list[SkippedTier]
    """Every tier skipped during the current request (SKIP_FAILING_TIERS), with why."""
    final_answer: str
    """What the user is shown."""
    outcome: Outcome
    """Whether some tier passed validation, or why the director stopped."""
    started_at: float
    """Wall-clock start of the current request (epoch seconds)."""
    human_hint: str
    """A hint the person gave when every tier had failed; the next tier sees it."""
    human_retries: int
    """Retries the person granted beyond the attempt cap."""
    human_decision: str
    """"accept" or "stop", when the person ended the request."""
    cache_key: str
    """Key of this request in the answer cache ("" when it is not cacheable: a follow-up)."""
    cached: CachedAnswer | None
    """A validated answer served from the cache (None when none)."""


__all__ = [
    "Attempt",
    "CachedAnswer",
    "Category",
    "Complexity",
    "Decision",
    "DirectorState",
    "Failure",
    "FailureKind",
    "InputState",
    "Outcome",
    "OutputState",
    "RouteInfo",
    "SkippedTier",
    "Step",
    "Strength",
    "Tier",
    "VerdictInfo",
    "keep_current_request",
]
