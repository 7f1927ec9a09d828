"""Chat model fakes for the graph's unit tests: scripted replies, recorded inputs, scripted errors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field


class ScriptedChatModel(BaseChatModel):
    """Replies from a script, one per call; an Exception in the script is raised instead.

    Every call's messages are kept in `calls`, so tests can assert what a tier was told.
    """

    model: str = "fake"
    script: list[Any] = Field(default_factory=list)
    calls: list[list[BaseMessage]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted-fake"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.calls.append(list(messages))
        if not self.script:
            raise AssertionError(f"{self.model} was called more often than scripted")
        step = self.script.pop(0)
        if isinstance(step, BaseException):
            raise step
        message = AIMessage(
            content=step,
            usage_metadata={"input_tokens": 10, "output_tokens": 5, "total_tokens": 15},
            response_metadata={"done_reason": "stop"},
        )
        return ChatResult(generations=[ChatGeneration(message=message)])


def scripted(name: str, *replies: Any) -> ScriptedChatModel:
    return ScriptedChatModel(model=name, script=list(replies))


def team(**replies: Sequence[Any]) -> dict[str, ScriptedChatModel]:
    """A model per role, each scripted with the replies given for it (none: must not be called)."""
    roles = ("router", "math", "lead", "senior", "principal")
    return {role: scripted(f"fake-{role}", *replies.get(role, ())) for role in roles}
