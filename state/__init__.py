"""The graph's typed state.

Callers only send `messages` (InputState); everything else is the director's
bookkeeping, kept as plain JSON-able dicts so it survives the SQLite checkpointer,
shows up in LangGraph Studio, and can be inspected after `invoke()`.
"""

from __future__ import annotations

from typing import Annotated, Literal, NotRequired, TypedDict

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages

Category = Literal["math", "general"]
Complexity = Literal["simple", "moderate", "complex"]
Tier = Literal["math_specialist", "lead_developer", "senior_developer", "principal_architect"]
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


class RouteInfo(TypedDict):
    category: Category
    complexity: Complexity
    confidence: float
    source: Literal["rules", "model", "override"]
    reasons: list[str]
    first_tier: NotRequired[Tier]


class VerdictInfo(TypedDict):
    passed: bool
    reasons: list[str]
    checks: list[str]


class Attempt(TypedDict):
    id: str
    request_id: str
    tier: Tier
    role: str
    model: str
    answer: str
    verdict: VerdictInfo | None
    error: str | None
    duration_s: float
    input_tokens: int | None
    output_tokens: int | None
    done_reason: str | None
    retries: int
    notice: str | None
    load_s: float
    """Of duration_s, the time the server spent loading the model (Ollama's load_duration)."""


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
    messages: Annotated[list[AnyMessage], add_messages]
    """The conversation; `add_messages` appends new turns and updates by id."""


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
    cached: dict
    """A validated answer served from the cache: answer, tier, model, age_s (empty when none)."""
