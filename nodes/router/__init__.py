"""Routing: a learned classifier beside the rules, the router model only where it is unsure.

`classify(prompt)` is deterministic and never calls a model: the rules' signals and the prompt's
character n-grams, words and word pairs go into a calibrated linear model (`classifier.py`), whose probability is the
route's confidence. The graph's `route` node (in `nodes.router.node`) uses it and consults the
router model below `ROUTER_CONFIDENCE`. `source` is "rules" for every route decided in-process
(rules and classifier), "model" when the router model chose, "override" for a `/prefix`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from coding_director.core.team import MEMBER, TIER_ALIASES, TIER_ROLE, Category, Complexity, Tier
from coding_director.nodes.router.classifier import RouterModel, active_model
from coding_director.nodes.router.features import request_part, tokens
from coding_director.nodes.router.followup import ACTIONS, is_follow_up, previous_p_math, with_previous
from coding_director.nodes.router.rules import apply_rules, assess_complexity, fired_signals

Source = Literal["rules", "model", "override"]

#: `/math`, `/general` force a category; a tier's alias (`/lead`, `/senior`, …) forces where answering starts.
OVERRIDE_PREFIXES: dict[str, tuple[Category, Tier | None]] = {
    "math": ("math", None),
    "general": ("general", None),
    **{alias: (MEMBER[TIER_ROLE[tier]].category or "general", tier) for alias, tier in TIER_ALIASES.items()},
}
_PREFIX = re.compile(r"^\s*/(\w+)\b\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Route:
    category: Category
    complexity: Complexity
    confidence: float
    source: Source
    reasons: list[str] = field(default_factory=list)
    forced_tier: Tier | None = None

    def to_dict(self) -> dict:
        data = asdict(self)
        if data["forced_tier"] is None:
            del data["forced_tier"]
        return data


def split_override(prompt: str) -> tuple[str | None, str]:
    """(`override`, rest) for a prompt starting with a known `/prefix`, else (None, prompt)."""
    match = _PREFIX.match(prompt)
    if match and match.group(1).lower() in OVERRIDE_PREFIXES:
        return match.group(1).lower(), prompt[match.end() :]
    return None, prompt


def classify(prompt: str, model: RouterModel | None = None, previous: Mapping[str, Any] | None = None) -> Route:
    """Route a request without a model call; `previous` is the thread's last route, for follow-ups."""
    override, text = split_override(prompt)
    complexity = assess_complexity(text)
    if override is not None:
        forced, tier = OVERRIDE_PREFIXES[override]
        return Route(forced, complexity, 1.0, "override", [f"forced by /{override}"], tier)
    prose, summary = request_part(text)
    verdict = apply_rules(prose, fired_signals(prose))
    p_math = (model or active_model()).probability_of(tokens(prose, summary, verdict.fired))
    reasons = [f"classifier: P(math) {p_math:.2f}"]
    p_previous = previous_p_math(previous) if previous else None
    if previous and p_previous is not None and is_follow_up(text):
        acts = any(signal.name in ACTIONS for signal in verdict.fired)
        p_math = with_previous(p_math, p_previous, acts)
        reasons.append(f"follow-up: with the previous route ({previous.get('category')}), P(math) {p_math:.2f}")
    category: Category = "math" if p_math >= 0.5 else "general"
    confidence = round(max(p_math, 1.0 - p_math), 3)
    return Route(category, complexity, confidence, "rules", [*reasons, *verdict.reasons])


__all__ = ["OVERRIDE_PREFIXES", "Route", "classify", "split_override"]
