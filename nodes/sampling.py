"""Sampling: a tier draws up to k answers and keeps the one execution-based selection chooses.

The first draw is the tier's usual one (its own temperature and seed); later draws use
<ROLE>_SAMPLE_TEMPERATURE, each with its own seed. Drawing stops as soon as the sandbox shows a
candidate that passes the task's examples and another that agrees with it. Candidates are not
streamed: the user sees the chosen one, and the attempt records how it was chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import RunnableConfig
from langchain_core.runnables.config import merge_configs
from langgraph.constants import TAG_NOSTREAM

from coding_director.core.services import Services
from coding_director.core.team import FIRST_TIER, TIER_ROLE, TIERS, Role
from coding_director.nodes.selection import Selection

#: Candidates per role when <ROLE>_SAMPLES is unset and the role runs on the embedded team: its last
#: tier samples (a small model's failure is often fixed by another draw that the sandbox can tell apart;
#: 8 rather than 4 by a rule written before the run, on HumanEval's even half: 61 against 60 of 74
#: problems, at 1.3x the graph's model time there), and the math tier votes among 3 final answers (on
#: the math benchmark's tuning seed: 5/5 against 4/5 for one draw, at about twice the model time).
EMBEDDED_SAMPLES: dict[Role, int] = {TIER_ROLE[TIERS[-1]]: 8, TIER_ROLE[FIRST_TIER["math"]]: 3}


class Drawn(Protocol):
    text: str
    error: str | None
    done_reason: str | None
    usage: dict[str, Any]
    retries: int
    load_s: float
    selection: str | None


R = TypeVar("R", bound=Drawn)


def samples_for(services: Services, role: Role) -> int:
    """How many candidates the role draws: <ROLE>_SAMPLES, else the embedded team's default, else 1."""
    configured = services.settings.role(role).samples
    if configured is not None:
        return configured
    try:
        embedded = services.models.choice(role).backend == "embedded"
    except KeyError:
        return 1
    return EMBEDDED_SAMPLES.get(role, 1) if embedded else 1


def with_sampling(model: BaseChatModel, temperature: float, seed: int) -> BaseChatModel:
    """The same model drawing at `temperature` with its own seed (fields it lacks are left alone)."""
    fields = type(model).model_fields
    update = {k: v for k, v in {"temperature": temperature, "seed": seed}.items() if k in fields}
    return model.model_copy(update=update) if update else model


def draw_and_choose(
    ask: Callable[[BaseChatModel, RunnableConfig], R],
    selection: Selection,
    model: BaseChatModel,
    config: RunnableConfig,
    *,
    k: int,
    temperature: float,
) -> R:
    """Up to k replies from `ask`; the chosen one, carrying every draw's tokens and how it was chosen."""
    quiet = merge_configs(config, {"tags": [TAG_NOSTREAM]})
    replies: list[R] = []
    for draw in range(k):
        reply = ask(model if draw == 0 else with_sampling(model, temperature, seed=draw), quiet)
        replies.append(reply)
        if reply.error:
            break  # transient faults were retried already: the model is not answering
        selection.add(reply.text, reply.done_reason)
        if selection.settled:
            break
    answered = [r for r in replies if not r.error]
    if not answered:
        return replies[-1]
    chosen, how = selection.choose()
    best = answered[chosen.index]
    for key in ("input_tokens", "output_tokens", "total_tokens"):
        best.usage[key] = sum(r.usage.get(key) or 0 for r in replies)
    best.retries = sum(r.retries for r in replies)
    best.load_s = sum(r.load_s for r in replies)
    best.selection = f"{how} ({len(replies)} of up to {k} drawn)"
    return best
