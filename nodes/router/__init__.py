"""Routing: rules first, the router model only where the rules are unsure.

`classify(prompt)` is deterministic and never calls a model; the graph's `route`
node (in `nodes.router.node`) uses it and consults the router model below the
configured confidence.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Literal

from coding_director.core.team import MEMBER, TIER_ALIASES, TIER_ROLE, Category, Complexity, Tier
from coding_director.nodes.router.rules import apply_rules

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


def classify(prompt: str) -> Route:
    """Route a request by rules alone: deterministic, no model call, microseconds."""
    override, text = split_override(prompt)
    verdict = apply_rules(text)
    if override is not None:
        category, tier = OVERRIDE_PREFIXES[override]
        return Route(
            category=category,
            complexity=verdict.complexity,
            confidence=1.0,
            source="override",
            reasons=[f"forced by /{override}"],
            forced_tier=tier,
        )
    return Route(
        category=verdict.category,
        complexity=verdict.complexity,
        confidence=verdict.confidence,
        source="rules",
        reasons=verdict.reasons,
    )


__all__ = ["OVERRIDE_PREFIXES", "Route", "classify", "split_override"]
