"""Coding Director: a local, multi-model coding assistant on one LangGraph graph.

`from coding_director import build_graph` is the one import a Python user needs. The package is
layered, and imports run one way (checked by import-linter in CI):

    coding_director.app      the shell: CLI, console, doctor, stats
    coding_director.graph    the StateGraph wiring
    coding_director.nodes    route, the tiers, validate, policy, ask_human, finish
    coding_director.state, coding_director.prompts
    coding_director.core     settings, backends, memory, cache, run log
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coding_director.graph import build_graph

__all__ = ["build_graph"]


def __getattr__(name: str) -> Any:
    # Lazy, so `import coding_director.core.settings` (the CLI's start-up) does not pull in LangGraph.
    if name == "build_graph":
        from coding_director.graph import build_graph

        return build_graph
    raise AttributeError(f"module 'coding_director' has no attribute {name!r}")
