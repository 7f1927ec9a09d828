"""The conversation's reducer: LangGraph's `add_messages`, with bad input refused clearly on the way in."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages

EXPECTED = (
    "`messages` must be a list of messages: (role, text) pairs such as ('user', 'What is 17 * 23?'), "
    "{'role': ..., 'content': ...} dicts, or LangChain messages"
)


class InvalidRequest(ValueError):
    """The graph's input has the wrong shape; the message says which shape is expected."""


def _clean_text(text: str) -> str:
    """A lone surrogate (from a bad decode upstream) cannot be encoded for any model: replace it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return text


def _clean(message: AnyMessage) -> AnyMessage:
    content = message.content
    if isinstance(content, str):
        cleaned = _clean_text(content)
        return message if cleaned is content else message.model_copy(update={"content": cleaned})
    if isinstance(content, list):
        parts = [
            {**p, "text": _clean_text(p["text"])} if isinstance(p, dict) and isinstance(p.get("text"), str) else p
            for p in content
        ]
        return message.model_copy(update={"content": parts})
    return message


def add_request_messages(left: Any, right: Any) -> list[AnyMessage]:
    """Append `right` to the conversation; a wrong shape raises InvalidRequest naming the shape expected."""
    if right is None or isinstance(right, int | float | bool | bytes):
        raise InvalidRequest(f"{EXPECTED}; got {type(right).__name__}")
    try:
        merged: list[AnyMessage] = add_messages(left or [], right)  # type: ignore[assignment]
    except (ValueError, NotImplementedError, TypeError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InvalidRequest(f"{EXPECTED}; {detail}") from None
    return [_clean(m) for m in merged]
