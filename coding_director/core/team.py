"""The team, once: every role, the tier it answers as, where it escalates, and the names users type.

Everything else — the settings' roles and seed models, the graph's tier nodes and edges, the
escalation order, the tiers a person may retry from, the CLI's and the prefixes' aliases, the order
models are kept warm — is derived from `TEAM`. To add a tier, add a row (and its prompt, named after
the tier, in prompts/).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Role = Literal["router", "math", "lead", "senior", "principal"]
"""A settings prefix (`LEAD_MODEL`, `SENIOR_BASE_URL`, …): who the model works for."""
Tier = Literal["math_specialist", "lead_developer", "senior_developer", "principal_architect"]
"""A graph node that answers requests (its prompt is prompts/<tier>.md)."""
Category = Literal["math", "general"]
Complexity = Literal["simple", "moderate", "complex"]


@dataclass(frozen=True, slots=True)
class Member:
    role: Role
    seed_model: str
    """The Ollama tag the seed's design gives this role."""
    tier: Tier | None = None
    """The graph node this role answers as; None for the router, which only routes."""
    category: Category | None = None
    """The requests this tier answers first."""
    escalates_to: Tier | None = None
    """Where a failed answer goes next; None for the last tier."""
    human_may_retry: bool = False
    """Whether a person, when every tier failed, may retry from this tier with a hint."""
    alias: str | None = None
    """The short name users type: `/lead …` in a request, `retry lead …`, `COMPLEX_START=lead`."""
    warm_rank: int = 0
    """Order in which models are kept warm when not all fit (lowest first: asked most often)."""


#: The seed's team. `openhermes` rather than `openhermes:7b`: the latter tag may not resolve.
TEAM: tuple[Member, ...] = (
    Member("router", "openhermes", warm_rank=0),
    Member(
        "math",
        "mathstral:7b",
        tier="math_specialist",
        category="math",
        escalates_to="lead_developer",
        alias="specialist",
        warm_rank=2,
    ),
    Member(
        "lead",
        "deepseek-coder-v2:16b-lite-instruct-q4_0",
        tier="lead_developer",
        category="general",
        escalates_to="senior_developer",
        human_may_retry=True,
        alias="lead",
        warm_rank=1,
    ),
    Member(
        "senior",
        "codellama:13b",
        tier="senior_developer",
        escalates_to="principal_architect",
        human_may_retry=True,
        alias="senior",
        warm_rank=3,
    ),
    Member(
        "principal",
        "wizardcoder:13b-python",
        tier="principal_architect",
        human_may_retry=True,
        alias="principal",
        warm_rank=4,
    ),
)

ROLES: tuple[Role, ...] = tuple(m.role for m in TEAM)
MEMBER: dict[Role, Member] = {m.role: m for m in TEAM}
DEFAULT_MODELS: dict[Role, str] = {m.role: m.seed_model for m in TEAM}
#: Answering tiers, in escalation order.
TIERS: tuple[Tier, ...] = tuple(m.tier for m in TEAM if m.tier is not None)
TIER_ROLE: dict[Tier, Role] = {m.tier: m.role for m in TEAM if m.tier is not None}
ROLE_TIER: dict[Role, Tier] = {role: tier for tier, role in TIER_ROLE.items()}
ANSWERING_ROLES: tuple[Role, ...] = tuple(TIER_ROLE.values())
NEXT_TIER: dict[Tier, Tier | None] = {m.tier: m.escalates_to for m in TEAM if m.tier is not None}
#: Where answering starts for each category.
FIRST_TIER: dict[Category, Tier] = {m.category: m.tier for m in TEAM if m.category and m.tier}
RETRY_TIERS: tuple[Tier, ...] = tuple(m.tier for m in TEAM if m.human_may_retry and m.tier is not None)
#: `lead` → lead_developer, `specialist` → math_specialist, …
TIER_ALIASES: dict[str, Tier] = {m.alias: m.tier for m in TEAM if m.alias and m.tier}
#: A person's retry without a tier named starts above the general requests' first tier (which has
#: usually failed already).
DEFAULT_RETRY_TIER: Tier = NEXT_TIER[FIRST_TIER["general"]] or FIRST_TIER["general"]
WARM_ORDER: tuple[Role, ...] = tuple(m.role for m in sorted(TEAM, key=lambda m: m.warm_rank))


def tier_title(tier: str) -> str:
    """`lead_developer` → `lead developer`, as the user reads it."""
    return tier.replace("_", " ")


def tier_of(name: str) -> Tier | None:
    """A tier from its node name or its alias (`lead`, `lead_developer`); None when it is neither."""
    by_name: dict[str, Tier] = {tier: tier for tier in TIERS}
    return by_name.get(name) or TIER_ALIASES.get(name)


def _check() -> None:
    """The Literals above are spelled out for the type checker; they must say what the table says."""
    assert get_args(Role) == ROLES, "Role must list TEAM's roles in order"
    assert get_args(Tier) == TIERS, "Tier must list TEAM's tiers in order"
    reachable = {t for t in NEXT_TIER.values() if t} | set(FIRST_TIER.values())
    assert reachable == set(TIERS), "every tier is a first tier or the next tier of another"
    assert DEFAULT_RETRY_TIER in RETRY_TIERS


_check()
