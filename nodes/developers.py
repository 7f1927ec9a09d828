"""The answering nodes: the math specialist and the developer chain, one factory for all four.

A model failure is a failed attempt with its reason, never a crash: transient faults (a dropped
connection, a full queue, an empty reply) are retried with backoff by tenacity, which is already
installed with LangChain and says in one expression what the hand-written loop said in twenty lines.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from langchain_core.runnables import RunnableConfig
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from coding_director.core.backends.errors import is_transient
from coding_director.core.services import Services
from coding_director.core.team import TIER_ROLE, Role
from coding_director.nodes.prompting import prompt_for
from coding_director.nodes.sampling import draw_and_choose, samples_for
from coding_director.nodes.selection import Selection
from coding_director.state import Attempt, DirectorState, Tier

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Reply:
    """What one tier's model call produced: an answer, or the reason it gave none."""

    text: str = ""
    error: str | None = None
    usage: dict[str, Any] = field(default_factory=dict)
    done_reason: str | None = None
    notice: str | None = None
    load_s: float = 0.0
    retries: int = 0
    selection: str | None = None
    """How the answer was chosen among sampled candidates; None when one was drawn."""


def ask_model(
    services: Services,
    role: Role,
    messages: list[BaseMessage],
    config: RunnableConfig,
    request_id: str | None = None,
    model: BaseChatModel | None = None,
) -> Reply:
    """Call the role's model (or `model`), retrying transient faults (RETRIES, RETRY_BACKOFF); never raises."""
    settings = services.settings
    chat = model or services.models.get(role, request_id)
    reply = Reply()

    def note_retry(state: RetryCallState) -> None:
        reply.retries = state.attempt_number
        log.info("%s: %s; retry %d of %d", role, state.outcome.exception() if state.outcome else "?",
                 reply.retries, settings.retries)  # fmt: skip

    retrying = Retrying(
        stop=stop_after_attempt(settings.retries + 1),
        wait=wait_exponential(multiplier=settings.retry_backoff_s, min=settings.retry_backoff_s),
        retry=retry_if_exception(is_transient),
        before_sleep=note_retry,
        reraise=True,
    )
    try:
        answer = retrying(chat.invoke, messages, config)
    except Exception as exc:  # a model failure is a failed attempt, not a crash
        reply.error = services.models.describe_error(role, exc, request_id)
        return reply
    reply.text = answer.text
    reply.usage = dict(answer.usage_metadata or {})
    reply.done_reason = answer.response_metadata.get("done_reason")
    reply.load_s = (answer.response_metadata.get("load_duration") or 0) / 1e9
    return reply


def attempt_record(state: DirectorState, tier: Tier, model: str, reply: Reply, seconds: float) -> Attempt:
    """The attempt as the state, the trace and the run log keep it (its verdict comes next)."""
    number = len(state.get("attempts", [])) + 1
    return {
        "id": f"{state['request_id']}:{number}",
        "request_id": state["request_id"],
        "tier": tier,
        "role": TIER_ROLE[tier],
        "model": model,
        "answer": reply.text,
        "verdict": None,
        "error": reply.error,
        "duration_s": round(seconds, 3),
        "input_tokens": reply.usage.get("input_tokens"),
        "output_tokens": reply.usage.get("output_tokens"),
        "done_reason": reply.done_reason,
        "retries": reply.retries,
        "notice": reply.notice,
        "load_s": round(reply.load_s, 3),
        "selection": reply.selection,
    }


def make_tier_node(services: Services, tier: Tier) -> Callable[..., dict[str, Any]]:
    """A node that asks the tier's model, with the reasons earlier attempts failed, and records the attempt."""
    role = TIER_ROLE[tier]

    def answer(state: DirectorState, config: RunnableConfig) -> dict[str, Any]:
        started = time.perf_counter()
        failed = [a for a in state.get("attempts", []) if not (a["verdict"] and a["verdict"]["passed"])]
        try:
            model = services.models.label(role, state["request_id"])
            unable = services.models.cannot_chat(role, state["request_id"])
            context_size = services.models.context_size(role, state["request_id"])
        except Exception as exc:  # the backend could not even be chosen (e.g. no embedded model installed)
            model, unable, context_size = "?", services.models.describe_error(role, exc), 0
        if unable:
            reply = Reply(error=unable)
        else:
            messages, notice = prompt_for(
                tier,
                state["messages"],
                failed,
                context_size,
                hint=state.get("human_hint", ""),
                show_answer=services.settings.feedback_answer,
            )
            k = samples_for(services, role)
            if k > 1:
                route = state.get("route")
                reply = draw_and_choose(
                    lambda model, quiet: ask_model(services, role, messages, quiet, state["request_id"], model),
                    Selection(
                        state.get("task", ""),
                        route["category"] if route else "general",
                        sandbox=services.settings.sandbox,
                    ),
                    services.models.get(role, state["request_id"]),
                    config,
                    k=k,
                    temperature=services.settings.sample_temperature_for(role),
                )
            else:
                reply = ask_model(services, role, messages, config, state["request_id"])
            reply.notice = notice
        return {"attempts": [attempt_record(state, tier, model, reply, time.perf_counter() - started)], "tier": tier}

    answer.__name__ = tier
    return answer
