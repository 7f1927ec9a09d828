"""A turn's input, given what the thread already holds: a new question, or the retry of one cut off.

Every front end (the CLI, the server) asks here, so a request retried after its worker died —
on this process or another one sharing the database — resumes the cut-off run from its last
saved step instead of asking the same question twice.
"""

from __future__ import annotations

from typing import Any

from langchain_core.runnables import RunnableConfig


def turn_input(graph: Any, config: RunnableConfig | dict[str, Any], text: str) -> dict[str, Any] | None:
    """`{"messages": [("user", text)]}` for a new turn, or None (resume) for the retry of a cut-off one.

    A run is cut off when the thread's last checkpoint still has steps to run and no person was asked
    (a human-escalation pause is not a cut-off run); it is this request's retry when its last message
    is the same question.
    """
    new = {"messages": [("user", text)]}
    if graph.checkpointer is None:
        return new
    state = graph.get_state(config)
    if not state.next or state.interrupts:
        return new
    messages = state.values.get("messages") or []
    last = messages[-1] if messages else None
    if last is not None and last.type == "human" and str(last.content) == text:
        return None
    return new
