"""The answering tiers and the order they escalate in."""

from __future__ import annotations

from typing import Literal

from coding_director.core.settings import Role
from coding_director.state import Tier

TIER_ROLE: dict[Tier, Role] = {
    "math_specialist": "math",
    "lead_developer": "lead",
    "senior_developer": "senior",
    "principal_architect": "principal",
}
ROLE_TIER: dict[Role, Tier] = {role: tier for tier, role in TIER_ROLE.items()}

#: The seed's hierarchy: a failed math answer goes to the developer chain.
NEXT_TIER: dict[Tier, Tier | None] = {
    "math_specialist": "lead_developer",
    "lead_developer": "senior_developer",
    "senior_developer": "principal_architect",
    "principal_architect": None,
}

#: Where the router may send a request (an empty one goes straight to finish).
StartOrFinish = Literal["math_specialist", "lead_developer", "senior_developer", "principal_architect", "finish"]
#: Where a failed answer may go: never back to the math specialist.
EscalateOrFinish = Literal["lead_developer", "senior_developer", "principal_architect", "ask_human", "finish"]


def tier_title(tier: Tier) -> str:
    return tier.replace("_", " ")
