"""The graph's `route` node: rules first, the router model only below the confidence setting."""

from __future__ import annotations

import dataclasses
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.constants import CONFIG_KEY_CHECKPOINTER
from langgraph.runtime import Runtime

from coding_director.core.cache import cache_key
from coding_director.core.context import Context, OptionError, Options
from coding_director.core.services import Services
from coding_director.core.team import ANSWERING_ROLES, FIRST_TIER, TIER_ALIASES, TIER_ROLE, TIERS, Role, tier_of
from coding_director.nodes.policy import make_skip_test, next_tier_to_ask
from coding_director.nodes.router import Route, classify, split_override
from coding_director.nodes.router.classifier import active_model, user_model_path
from coding_director.nodes.router.features import request_part
from coding_director.nodes.router.followup import is_follow_up
from coding_director.nodes.router.model_fallback import ask_router_model
from coding_director.state import CachedAnswer, Decision, DirectorState, RouteInfo, Tier

#: Control characters other than tab and newline (terminal escapes, NUL) carry nothing a model needs.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
#: How much of a request is routed and checked against: more than any model here reads (the model gets
#: its own context-sized cut, with a note). Keeps a 5 MB paste from costing seconds in the patterns.
CHECKED_CHARS = 64_000
#: Below which confidence an embedded router model (the 0.5B) is asked, when ROUTER_MODEL_BELOW is unset.
#: Chosen on the seen routing sets (v3-v10 and the follow-ups, 1,111 prompts; rule written before the
#: run): as the graph routes, asking below 0.96 was right on 1,065, below 0.8 on 1,088, never on 1,086.
#: Above 0.8 the 0.5B is right on 82 of 114 unsure prompts where the classifier's own choice is right on 105.
#: (None of those 114 is all code: for such a request the model is still asked, see _ask_router_model.)
EMBEDDED_ROUTER_MODEL_BELOW = 0.8


def latest_request(state: DirectorState) -> str:
    for message in reversed(state.get("messages", [])):
        if message.type == "human":
            return message.text
    return ""


def previous_turn(state: DirectorState) -> tuple[str, RouteInfo | None]:
    """(the thread's previous request, its route) when this is not the thread's first request."""
    requests = [m.text for m in state.get("messages", []) if m.type == "human"]
    if len(requests) < 2:
        return "", None
    return _CONTROL.sub("", requests[-2]), state.get("route")


def first_tier(route: Route, complex_start: str, is_loaded: Callable[[Role], bool | None] | None = None) -> Tier:
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
    services: Services, state: DirectorState, task: str, route: RouteInfo, options: Options
) -> tuple[str, CachedAnswer | None]:
    """(key, cached answer) for a first-turn request; a follow-up depends on its thread, so is not cached."""
    if services.cache is None or options.no_cache or not task:
        return "", None
    if sum(1 for m in state.get("messages", []) if m.type == "human") != 1:
        return "", None
    try:
        models = [services.models.label(role) for role in ANSWERING_ROLES]
        key = cache_key(task, route["category"], models)
        hit = services.cache.get(key)
    except Exception:  # a broken cache must never stop an answer
        return "", None
    tier = tier_of(hit.tier) if hit is not None else None
    if hit is None or tier is None:
        return key, None
    return key, {"answer": hit.answer, "tier": tier, "model": hit.model, "age_s": hit.age_s}


def _refuse_unresumable_pause(options: Options, config: RunnableConfig) -> None:
    """Human escalation pauses the graph; without a checkpointer that pause could never be resumed."""
    if options.human_escalation and not (config.get("configurable") or {}).get(CONFIG_KEY_CHECKPOINTER):
        raise OptionError(
            "human_escalation needs a checkpointer to pause and resume: build the graph with one "
            "(build_graph() uses SQLite by default) or turn human_escalation off"
        )


def make_route_node(services: Services) -> Callable[..., dict[str, Any]]:
    settings = services.settings
    classifier = active_model(user_model_path(settings))

    def route(state: DirectorState, config: RunnableConfig, runtime: Runtime[Context]) -> dict[str, Any]:
        options = Options.resolve(runtime.context, settings, config.get("configurable"))
        _refuse_unresumable_pause(options, config)
        request = _CONTROL.sub("", latest_request(state)[:CHECKED_CHARS])
        _, task = split_override(request)
        previous_request, previous_route = previous_turn(state)
        decision = classify(request, classifier, previous_route)
        follow_up = previous_request if previous_route is not None and is_follow_up(task) else ""
        if options.force_route is not None:
            decision = dataclasses.replace(
                decision,
                category=options.force_route,
                confidence=1.0,
                source="override",
                reasons=["forced by the request's options"],
            )
        elif decision.source == "rules" and decision.confidence < options.router_confidence and task.strip():
            decision = _ask_router_model(services, decision, task, config, follow_up)
        route_info: RouteInfo = decision.to_dict()  # type: ignore[assignment]
        wanted = options.start_tier or first_tier(decision, settings.complex_start, services.models.is_loaded)
        start, skipped = next_tier_to_ask(wanted, make_skip_test(services, decision.category))
        route_info["first_tier"] = start or wanted
        key, cached = _cache_lookup(services, state, task.strip(), route_info, options)
        return {
            "cache_key": key,
            "cached": cached,
            "request_id": uuid.uuid4().hex[:12],
            "task": task.strip(),
            "route": route_info,
            "tier": route_info["first_tier"],
            "decision": _first_step(task.strip(), cached, start, skipped),
            "skipped": skipped,
            "started_at": time.time(),
            "attempts": [],  # a new request starts with no attempts
            "final_answer": "",
            "human_hint": "",
            "human_retries": 0,
            "human_decision": "",
        }

    return route


def _ask_router_model(services: Services, decision: Route, task: str, config: RunnableConfig, previous: str) -> Route:
    """The router model's choice for an unsure decision, when `asks_router_model`; else the rules'."""
    below = _router_model_below(services)
    if not asks_router_model(decision.confidence, task, below):
        note = f"unsure, but at or above {below}: the classifier's choice stands (ROUTER_MODEL_BELOW)"
        return dataclasses.replace(decision, reasons=[*decision.reasons, note])
    try:
        category = ask_router_model(services.models.get("router"), task, config, previous=previous)
    except Exception as exc:  # the rules' answer stands when the router model fails
        note = f"router model failed ({type(exc).__name__}); kept rules"
        return dataclasses.replace(decision, reasons=[*decision.reasons, note])
    note = f"router model ({services.models.label('router')}) chose {category}"
    return dataclasses.replace(decision, category=category, source="model", reasons=[*decision.reasons, note])


def asks_router_model(confidence: float, request: str, below: float) -> bool:
    """Whether an unsure route asks the router model: below its bar, or whatever the confidence when the
    request is all code (a stub and its docstring give the classifier summary tokens alone, no words;
    the model reads the code)."""
    return confidence < below or not request_part(request)[0].strip()


def _router_model_below(services: Services) -> float:
    """ROUTER_MODEL_BELOW, else the measured bar for an embedded router model, else no bar of its own."""
    configured = services.settings.router_model_below
    if configured is not None:
        return configured
    try:
        embedded = services.models.choice("router").backend == "embedded"
    except KeyError:
        return 1.0
    return EMBEDDED_ROUTER_MODEL_BELOW if embedded else 1.0


def _first_step(task: str, cached: CachedAnswer | None, start: Tier | None, skipped: list) -> Decision:
    """An empty request needs no model, a cached one no new answer; otherwise the first tier answers."""
    if not task:
        return {"next": "finish", "why": "the request is empty", "outcome": "no_tier_passed", "skipped": []}
    if cached:
        return {"next": "finish", "why": "answered from the cache", "outcome": "cached", "skipped": []}
    if start is None:
        why = "every tier was skipped: " + "; ".join(f"{s['tier']}: {s['why']}" for s in skipped)
        return {"next": "finish", "why": why, "outcome": "no_tier_passed", "skipped": skipped}
    return {"next": start, "why": "", "outcome": None, "skipped": skipped}
