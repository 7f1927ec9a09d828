"""The Coding Director graph, wired like the seed's diagram:

    route ─┬─> math_specialist ─┐
           ├─> lead_developer ──┼─> validate ─┬─> finish        (passed, a budget spent, stopped early, last tier)
           └─> finish (empty    │             ├─> next tier     (math → lead → senior → principal)
               or cached)       │             └─> ask_human     (every tier failed, human escalation on)
                                                    ├─> a tier, with the person's hint
                                                    └─> finish  (accept or stop)

`build_graph()` is for Python, the CLI and notebooks (SQLite memory by default);
`graph.studio:graph` is the same graph without a checkpointer, for `langgraph dev`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from coding_director.core.backends.registry import ModelRegistry
from coding_director.core.cache import AnswerCache
from coding_director.core.memory import sqlite_checkpointer
from coding_director.core.runlog import RunLog
from coding_director.core.services import Services
from coding_director.core.settings import Settings, load_settings
from coding_director.core.team import NEXT_TIER, RETRY_TIERS, TIER_ROLE, TIERS, Role
from coding_director.nodes.developers import make_tier_node
from coding_director.nodes.finish import make_finish_node
from coding_director.nodes.human import make_ask_human_node
from coding_director.nodes.policy import Budgets, escalation_stop
from coding_director.nodes.router.node import make_route_node
from coding_director.nodes.validation.node import make_validate_node
from coding_director.state import DirectorState, InputState

GRAPH_NAME = "Coding Director"


def start_or_finish(state: DirectorState) -> str:
    """An empty request needs no model, a cached one no new answer: finish says so."""
    if not state.get("task") or state.get("cached"):
        return "finish"
    return state["route"]["first_tier"]


def next_step(
    state: DirectorState,
    budgets: Budgets,
    *,
    ask_human: bool = False,
    early_stop: bool = True,
    skip: Callable[[str], bool] | None = None,
) -> str:
    """Finish on a pass; escalate to the next tier; when none is left, a budget is spent, or two
    tiers failed the same way, finish — or ask the human, where human escalation is on."""
    attempts = state["attempts"]
    last = attempts[-1]
    if last["verdict"] and last["verdict"]["passed"]:
        return "finish"
    next_tier = NEXT_TIER[last["tier"]]
    while next_tier is not None and skip is not None and skip(next_tier):
        next_tier = NEXT_TIER[next_tier]  # this tier keeps failing this kind of request
    if next_tier is None or escalation_stop(state, budgets, early_stop):
        return "ask_human" if ask_human else "finish"
    return next_tier


def make_escalate_or_finish(
    services: Services,
) -> Callable[[DirectorState, RunnableConfig], str]:
    settings = services.settings

    def keeps_failing(state: DirectorState) -> Callable[[str], bool] | None:
        """SKIP_FAILING_TIERS=N: skip a tier whose model failed N requests of this kind and passed none."""
        if not settings.skip_failing_tiers or services.cache is None:
            return None
        category = state["route"]["category"]

        def skip(tier: str) -> bool:
            failures, passes = services.cache.failures(services.models.label(TIER_ROLE[tier]), category)
            return passes == 0 and failures >= settings.skip_failing_tiers

        return skip

    def escalate_or_finish(state: DirectorState, config: RunnableConfig) -> str:
        configurable = (config or {}).get("configurable", {})
        return next_step(
            state,
            Budgets.resolve(settings, configurable),
            ask_human=bool(configurable.get("human_escalation", settings.human_escalation)),
            early_stop=bool(configurable.get("early_stop", settings.early_stop)),
            skip=keeps_failing(state),
        )

    return escalate_or_finish


def build_builder(services: Services) -> StateGraph:
    """The uncompiled graph, for callers who bring their own compile options."""
    builder = StateGraph(DirectorState, input_schema=InputState)
    builder.add_node("route", make_route_node(services))
    for tier in TIERS:
        builder.add_node(tier, make_tier_node(services, tier))
        builder.add_edge(tier, "validate")
    builder.add_node("validate", make_validate_node(services))
    builder.add_node("ask_human", make_ask_human_node(), destinations=(*RETRY_TIERS, "finish"))
    builder.add_node("finish", make_finish_node(services))

    builder.add_edge(START, "route")
    builder.add_conditional_edges("route", start_or_finish, [*TIERS, "finish"])
    escalation_targets = [t for t in TIERS if t in NEXT_TIER.values()]
    builder.add_conditional_edges(
        "validate", make_escalate_or_finish(services), [*escalation_targets, "ask_human", "finish"]
    )
    builder.add_edge("finish", END)
    return builder


CheckpointerArg = BaseCheckpointSaver | Literal["sqlite"] | None


def build_graph(
    *,
    settings: Settings | None = None,
    models: Mapping[Role, BaseChatModel] | None = None,
    checkpointer: CheckpointerArg = "sqlite",
    memory_path: str | Path | None = None,
    run_log: bool = True,
    cache: bool = True,
) -> CompiledStateGraph:
    """The compiled graph.

    settings: defaults to `.env` + environment. models: chat models by role, replacing
    the configured backend (tests, notebooks). checkpointer: "sqlite" (the default file
    in the data dir, or `memory_path`), any LangGraph saver, or None for no memory.
    """
    settings = settings or load_settings()
    registry = ModelRegistry.from_models(settings, models) if models is not None else ModelRegistry(settings)
    services = Services(
        settings=settings,
        models=registry,
        run_log=RunLog(settings.run_log_file, settings.secrets) if run_log else None,
        cache=AnswerCache(settings.cache_file, settings.cache_ttl_s) if cache and settings.cache else None,
    )
    if checkpointer == "sqlite":
        checkpointer = sqlite_checkpointer(Path(memory_path) if memory_path else settings.memory_file)
    graph = build_builder(services).compile(checkpointer=checkpointer, name=GRAPH_NAME)
    graph.services = services  # type: ignore[attr-defined]  # for the CLI's trace
    return graph


__all__ = ["GRAPH_NAME", "build_builder", "build_graph", "next_step"]
