"""The model names the server answers to: the whole graph, and variants that force a route or a starting
tier, all derived from the team table (core/team.py). `+provisional` on any name streams tokens as the
tiers write them instead of only after validation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, get_args

from coding_director.core.team import FIRST_TIER, NEXT_TIER, TIER_ALIASES, Category, Tier, tier_title

BASE_NAME = "coding-director"
PROVISIONAL_SUFFIX = "+provisional"
#: Ollama clients add `:latest` to a name without a tag.
_DEFAULT_TAG = ":latest"


@dataclass(frozen=True)
class Variant:
    name: str
    description: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ModelChoice:
    """What a client's model name asks for."""

    variant: Variant
    provisional: bool


def _chain(tier: Tier) -> str:
    """`lead developer → senior developer → principal architect`: who may answer, from `tier` on."""
    names: list[str] = []
    current: Tier | None = tier
    while current is not None:
        names.append(tier_title(current))
        current = NEXT_TIER[current]
    return " → ".join(names)


def _variants() -> dict[str, Variant]:
    found = {
        BASE_NAME: Variant(
            BASE_NAME,
            "The whole Coding Director graph: routes each request, validates every answer (running the code "
            "in a sandbox) and escalates to a stronger tier until one passes.",
        )
    }
    categories: tuple[Category, ...] = get_args(Category)
    for category in categories:
        name = f"{BASE_NAME}:{category}"
        found[name] = Variant(
            name,
            f"Routed as a {category} request without asking the router; answered by {_chain(FIRST_TIER[category])}.",
            {"force_route": category},
        )
    for alias, tier in TIER_ALIASES.items():
        name = f"{BASE_NAME}:{alias}"
        if name in found:
            continue
        found[name] = Variant(
            name, f"Starts at the {tier_title(tier)}: answered by {_chain(tier)}.", {"start_tier": tier}
        )
    return found


VARIANTS: dict[str, Variant] = _variants()


def choose_model(name: str) -> ModelChoice | None:
    """The variant a client's model name asks for, and whether it wants provisional streaming; None if unknown."""
    name = name.strip()
    provisional = name.endswith(PROVISIONAL_SUFFIX)
    if provisional:
        name = name[: -len(PROVISIONAL_SUFFIX)]
    if name.endswith(_DEFAULT_TAG):
        name = name[: -len(_DEFAULT_TAG)]
    variant = VARIANTS.get(name)
    return ModelChoice(variant, provisional) if variant is not None else None


def known_names() -> str:
    return ", ".join(VARIANTS)
