"""The graph's `route` node: rules first, the router model only below the confidence setting."""

from __future__ import annotations

import dataclasses
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from langchain_core.runnables import RunnableConfig

from coding_director.core.cache import cache_key
from coding_director.core.services import Services
from coding_director.core.team import ANSWERING_ROLES, FIRST_TIER, TIER_ALIASES, TIER_ROLE, TIERS
from coding_director.nodes.router import Route, classify, split_override
from coding_director.nodes.router.model_fallback import ask_router_model
from coding_director.state import DirectorState, Tier

#: Control characters other than tab and newline (terminal escapes, NUL) carry nothing a model needs.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def latest_request(state: DirectorState) -> str:
    for message in reversed(state.get("messages", [])):
        if message.type == "human":
            return message.text
    return ""


def first_tier(route: Route, complex_start: str, is_loaded: Callable[[str], bool | None] | None = None) -> Tier:
    """Where answering starts. With COMPLEX_START=loaded, a complex request may start at the senior or
    the principal, and starts at whichever is already in memory (a model swap can cost more than an answer)."""
    if route.forced_tier:
        return route.forced_tier
    if route.category == "math" or route.complexity != "complex":
        return FIRST_TIER[route.category]
    if complex_start != "loaded":
        return TIER_ALIASES[complex_start]
    # the developer tiers above the first, strongest last: start at the first one in memory
    above = [t for t in TIERS if t not in FIRST_TIER.values()]
    loaded = [t for t in above if is_loaded is not None and is_loaded(TIER_ROLE[t])]
    return loaded[0] if loaded else above[0]


def _cache_lookup(
    services: Services, state: DirectorState, task: str, route: dict, configurable: dict
) -> tuple[str, dict]:
    """(key, cached answer) for a first-turn request; a follow-up depends on its thread, so is not cached."""
    if services.cache is None or configurable.get("no_cache") or not task:
        return "", {}
    if sum(1 for m in state.get("messages", []) if m.type == "human") != 1:
        return "", {}
    try:
        models = [services.models.label(role) for role in ANSWERING_ROLES]
        key = cache_key(task, route["category"], models)
        hit = services.cache.get(key)
    except Exception:  # a broken cache must never stop an answer
        return "", {}
    return key, ({"answer": hit.answer, "tier": hit.tier, "model": hit.model, "age_s": hit.age_s} if hit else {})


def make_route_node(services: Services) -> Callable[[DirectorState, RunnableConfig], dict]:
    settings = services.settings

    def route(state: DirectorState, config: RunnableConfig) -> dict[str, Any]:
        configurable = (config or {}).get("configurable", {})
        request = _CONTROL.sub("", latest_request(state))
        _, task = split_override(request)
        decision = classify(request)
        forced = configurable.get("force_route")
        threshold = float(configurable.get("router_confidence", settings.router_confidence))
        if forced in ("math", "general"):
            decision = dataclasses.replace(
                decision,
                category=forced,
                confidence=1.0,
                source="override",
                reasons=["forced by config"],
            )
        elif decision.source == "rules" and decision.confidence < threshold and task.strip():
            try:
                category = ask_router_model(services.models.get("router"), task, config)
                decision = dataclasses.replace(
                    decision,
                    category=category,
                    source="model",
                    reasons=[
                        *decision.reasons,
                        f"router model ({services.models.label('router')}) chose {category}",
                    ],
                )
            except Exception as exc:  # the rules' answer stands when the router model fails
                decision = dataclasses.replace(
                    decision,
                    reasons=[
                        *decision.reasons,
                        f"router model failed ({type(exc).__name__}); kept rules",
                    ],
                )
        route_info = decision.to_dict()
        route_info["first_tier"] = configurable.get("start_tier") or first_tier(
            decision, settings.complex_start, services.models.is_loaded
        )
        key, cached = _cache_lookup(services, state, task.strip(), route_info, configurable)
        return {
            "cache_key": key,
            "cached": cached,
            "request_id": uuid.uuid4().hex[:12],
            "task": task.strip(),
            "route": route_info,
            "tier": route_info["first_tier"],
            "started_at": time.time(),
            "attempts": [],  # a new request starts with no attempts
            "final_answer": "",
            "human_hint": "",
            "human_retries": 0,
            "human_decision": "",
        }

    return route
