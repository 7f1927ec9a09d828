"""The Coding Director graph, wired like the seed's diagram: route → the first tier → validate →
finish, or the next tier (math → lead → senior → principal), or ask_human when every tier failed.

The route and validate nodes record the policy's `decision` in the state; the edges only follow it.
The team (tiers, escalation order) is the table in coding_director/core/team.py; the drawing is
tests/snapshots/graph.mmd, the README shows it, and a test keeps both current.

`build_graph()` is for Python, the CLI and notebooks (SQLite memory by default);
`graph.studio:graph` is the same graph without a checkpointer, for `langgraph dev`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from langchain_core.language_models import BaseChatModel
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from coding_director.core.backends.registry import ModelRegistry
from coding_director.core.context import Context
from coding_director.core.memory import sqlite_checkpointer
from coding_director.core.services import Services
from coding_director.core.settings import Settings, load_settings
from coding_director.core.store import open_store
from coding_director.core.team import NEXT_TIER, RETRY_TIERS, TIERS, Role
from coding_director.nodes.developers import make_tier_node
from coding_director.nodes.finish import make_finish_node
from coding_director.nodes.human import make_ask_human_node
from coding_director.nodes.router.node import make_route_node
from coding_director.nodes.validation.node import make_validate_node
from coding_director.state import DirectorState, InputState, OutputState, Step

GRAPH_NAME = "Coding Director"


def follow_decision(state: DirectorState) -> Step:
    """Go where the route or validate node decided (see nodes/policy.py)."""
    return state["decision"]["next"]


Builder = StateGraph[DirectorState, Context, InputState, OutputState]


def build_builder(services: Services) -> Builder:
    """The uncompiled graph, for callers who bring their own compile options."""
    builder: Builder = StateGraph(
        DirectorState, input_schema=InputState, output_schema=OutputState, context_schema=Context
    )
    builder.add_node("route", make_route_node(services))
    for tier in TIERS:
        builder.add_node(tier, make_tier_node(services, tier))
        builder.add_edge(tier, "validate")
    builder.add_node("validate", make_validate_node(services))
    builder.add_node("ask_human", make_ask_human_node(), destinations=(*RETRY_TIERS, "finish"))
    builder.add_node("finish", make_finish_node(services))

    builder.add_edge(START, "route")
    builder.add_conditional_edges("route", follow_decision, [*TIERS, "finish"])
    escalation_targets = [t for t in TIERS if t in NEXT_TIER.values()]
    builder.add_conditional_edges("validate", follow_decision, [*escalation_targets, "ask_human", "finish"])
    builder.add_edge("finish", END)
    return builder


CheckpointerArg = BaseCheckpointSaver | Literal["default", "sqlite"] | None


def build_graph(
    *,
    settings: Settings | None = None,
    models: Mapping[Role, BaseChatModel] | None = None,
    checkpointer: CheckpointerArg = "default",
    memory_path: str | Path | None = None,
    run_log: bool = True,
    cache: bool = True,
) -> CompiledStateGraph[DirectorState, Context, InputState, OutputState]:
    """The compiled graph.

    settings: defaults to `.env` + environment. models: chat models by role, replacing
    the configured backend (tests, notebooks). checkpointer: "default" (the configured store:
    PostgreSQL with DATABASE_URL, else the SQLite file in the data dir), "sqlite" (that file, or
    `memory_path`), any LangGraph saver, or None for no memory.
    Per-call options go in `context=` (see coding_director.core.context.Context).
    """
    settings = settings or load_settings()
    registry = ModelRegistry.from_models(settings, models) if models is not None else ModelRegistry(settings)
    store = open_store(settings)
    services = Services(
        settings=settings,
        models=registry,
        run_log=store.run_log if run_log else None,
        cache=store.cache if cache and settings.cache else None,
        store=store,
    )
    if checkpointer == "default":
        checkpointer = store.checkpointer(Path(memory_path) if memory_path else None)
    elif checkpointer == "sqlite":
        checkpointer = sqlite_checkpointer(Path(memory_path) if memory_path else settings.memory_file)
    graph = build_builder(services).compile(checkpointer=checkpointer, name=GRAPH_NAME)
    graph.services = services  # type: ignore[attr-defined]  # for the CLI's trace
    return graph


__all__ = ["GRAPH_NAME", "build_builder", "build_graph", "follow_decision"]
