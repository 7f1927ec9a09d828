"""The answering nodes: the math specialist and the developer chain, one factory for all four."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from langchain_core.runnables import RunnableConfig

from coding_director.core.backends.errors import describe_model_error, is_transient
from coding_director.core.services import Services
from coding_director.core.team import TIER_ROLE
from coding_director.nodes.prompting import prompt_for
from coding_director.state import Attempt, DirectorState, Tier

log = logging.getLogger(__name__)


def make_tier_node(services: Services, tier: Tier) -> Callable[[DirectorState, RunnableConfig], dict]:
    """A node that asks the tier's model, records the attempt, and never raises on a model error."""
    role = TIER_ROLE[tier]
    settings = services.settings

    def answer(state: DirectorState, config: RunnableConfig) -> dict[str, Any]:
        attempts = state.get("attempts", [])
        failed = [a for a in attempts if not (a["verdict"] and a["verdict"]["passed"])]
        started = time.perf_counter()
        text, error, usage, done_reason, notice, load_s = "", None, {}, None, None, 0.0
        label = "?"
        retries = 0
        while True:
            try:
                label = services.models.label(role)
                unable = services.models.cannot_chat(role)
                if unable:
                    error = unable
                    break
                model = services.models.get(role)
                messages, notice = prompt_for(
                    tier,
                    state["messages"],
                    failed,
                    services.models.context_size(role),
                    hint=state.get("human_hint", ""),
                )
                reply = model.invoke(messages, config)
                text = reply.text
                usage = reply.usage_metadata or {}
                done_reason = reply.response_metadata.get("done_reason")
                load_s = (reply.response_metadata.get("load_duration") or 0) / 1e9
                error = None
                break
            except Exception as exc:  # a model failure is a failed attempt, not a crash
                error = describe_model_error(
                    exc,
                    model=label,
                    base_url=settings.base_url_for(role),
                    timeout_s=settings.timeout_for(role),
                )
                if retries >= settings.retries or not is_transient(exc):
                    break
                time.sleep(settings.retry_backoff_s * 2**retries)
                retries += 1
                log.info("%s: %s; retry %d of %d", tier, error, retries, settings.retries)
        attempt: Attempt = {
            "id": f"{state['request_id']}:{len(attempts) + 1}",
            "request_id": state["request_id"],
            "tier": tier,
            "role": role,
            "model": label,
            "answer": text,
            "verdict": None,
            "error": error,
            "duration_s": round(time.perf_counter() - started, 3),
            "input_tokens": usage.get("input_tokens"),
            "output_tokens": usage.get("output_tokens"),
            "done_reason": done_reason,
            "retries": retries,
            "notice": notice,
            "load_s": round(load_s, 3),
        }
        return {"attempts": [attempt], "tier": tier}

    answer.__name__ = tier
    return answer
