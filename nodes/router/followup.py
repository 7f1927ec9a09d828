"""Follow-ups ("now prove it", "make it faster", "and the variance?") routed with the conversation in view.

A short request that points back at the conversation ("it", "that", "and …", "what about …") is
not a fresh request: its own evidence is weighed together with the previous turn's route, in log
odds. One that only names a topic ("and the variance?") inherits the conversation's kind of work:
after "write a function for the mean" it stays with the developers, after "what is the mean of 4,
8, 15" with the math specialist. One that asks for a different kind of work — a word the rules read
as an action: prove, derive, compute, implement, fix — is routed on its own words as much as on
the conversation ("now prove it" after a function goes to the math specialist).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

MAX_WORDS = 15
#: Log-odds weights: a follow-up's own words are few, so the classifier's probability for them alone
#: is overconfident (it never saw a three-word request without its context); the previous turn counts fully.
OWN_WEIGHT = 0.35
ACTION_WEIGHT = 1.0
PREVIOUS_WEIGHT = 1.0
#: The rules' signals that name a kind of work rather than a topic.
ACTIONS = frozenset(
    {
        "proof",
        "derivation",
        "complexity analysis",
        "quantitative ask",
        "code deliverable",
        "code work",
        "code with a named tool",
    }
)
_POINTS_BACK = re.compile(
    r"^\s*(?:and|also|now|then|ok(?:ay)?|so|but|what about|how about|what if|same|still|why|instead|again|"
    r"thanks|great|cool|next|plus|can you|could you|please)\b|"
    r"\b(?:it|its|this|that|these|those|them|the same|above|previous|each step|instead|too|again|"
    r"as well|the rest|the other|one more)\b",
    re.IGNORECASE,
)


def is_follow_up(request: str) -> bool:
    """Short, no pasted code, and pointing back at what came before."""
    if "```" in request or "\n" in request.strip():
        return False
    words = request.split()
    return 0 < len(words) <= MAX_WORDS and bool(_POINTS_BACK.search(request))


def previous_p_math(route: Mapping[str, Any]) -> float | None:
    """The previous turn's route as a probability of math, kept away from 0 and 1."""
    category, confidence = route.get("category"), route.get("confidence")
    if category not in ("math", "general") or not isinstance(confidence, int | float):
        return None
    p = float(confidence) if category == "math" else 1.0 - float(confidence)
    return min(0.97, max(0.03, p))


def with_previous(p_math: float, p_previous: float, asks_for_action: bool) -> float:
    """Combine the follow-up's own probability with the previous turn's, in log odds."""

    def logit(p: float) -> float:
        p = min(1 - 1e-6, max(1e-6, p))
        return math.log(p / (1 - p))

    own = ACTION_WEIGHT if asks_for_action else OWN_WEIGHT
    z = own * logit(p_math) + PREVIOUS_WEIGHT * logit(p_previous)
    return 1.0 / (1.0 + math.exp(-z))
