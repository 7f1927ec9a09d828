"""Asking the router model when the rules are unsure, and reading its reply tolerantly."""

from __future__ import annotations

import re
from typing import Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.runnables import RunnableConfig
from pydantic import BaseModel

from coding_director.nodes.router.rules import Category
from coding_director.prompts import load_prompt

_MATH = re.compile(r"\b(?:math|mathematics|mathematical|quantitative)\b", re.IGNORECASE)
_GENERAL = re.compile(r"\b(?:general|coding|code|programming)\b", re.IGNORECASE)


class RouterChoice(BaseModel):
    category: Literal["math", "general"]


def parse_category(reply: str) -> Category | None:
    """'math', 'The task is math.', '**General**' → the category; None when it names neither or both."""
    math_at = _MATH.search(reply)
    general_at = _GENERAL.search(reply)
    if math_at and general_at:
        # "math, not general" — take whichever the reply states first
        return "math" if math_at.start() < general_at.start() else "general"
    if math_at:
        return "math"
    if general_at:
        return "general"
    return None


#: The router model reads the request part; a pasted file would only cost prompt time.
MAX_REQUEST_CHARS = 1500


def router_messages(request: str, previous: str = "") -> list[BaseMessage]:
    """The system prompt, a few answered examples as turns (small models follow turns better than
    instructions), then the request, with the previous request for a follow-up."""
    if len(request) > MAX_REQUEST_CHARS:
        request = request[: MAX_REQUEST_CHARS - 300] + "\n…\n" + request[-300:]
    messages: list[BaseMessage] = [SystemMessage(load_prompt("router"))]
    for line in load_prompt("router_examples").splitlines():
        label, _, example = line.partition("|")
        if example.strip():
            messages += [HumanMessage(f"Request: {example.strip()}\nKind?"), AIMessage(label.strip())]
    context = f"Previous request: {previous[:500]}\n" if previous else ""
    messages.append(HumanMessage(f"{context}Request: {request}\nKind?"))
    return messages


def ask_router_model(
    model: BaseChatModel, request: str, config: RunnableConfig | None = None, previous: str = ""
) -> Category:
    """The router model's category; raises ValueError when its reply cannot be read.

    `previous` is the thread's previous request when this one is a follow-up ("and the variance?")."""
    messages = router_messages(request, previous)
    if type(model).__name__ == "ChatOllama":  # Ollama enforces a JSON schema through `format`
        choice = model.with_structured_output(RouterChoice).invoke(messages, config)
        if isinstance(choice, RouterChoice):
            return choice.category
    reply = model.invoke(messages, config).text
    category = parse_category(reply)
    if category is None:
        raise ValueError(f"unreadable router reply: {reply[:80]!r}")
    return category
