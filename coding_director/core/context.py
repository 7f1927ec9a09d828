"""Per-call options: the graph's typed runtime context.

Pass them as `graph.invoke(input, config, context={"max_attempts": 2, "start_tier": "senior"})`.
LangGraph validates a dict against `Context` before the first node runs, so a bad value fails at
once with an error naming the option; LangGraph Studio renders the fields as a form. An option
left unset takes its setting from `.env` (`Options` is the resolved view the nodes read).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from coding_director.core.settings import Settings
from coding_director.core.team import TIERS, Category, Tier, tier_of


class OptionError(TypeError):
    """A per-call option has a wrong name or value; the message names it and what it accepts.

    A TypeError, not a ValueError, so that pydantic passes it through unchanged.
    """


class Context(BaseModel):
    """Options for one request; unset options come from the settings (`.env`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_attempts: int | None = Field(
        default=None, ge=1, le=20, description="Budget: attempts at this request (default MAX_ATTEMPTS)."
    )
    max_tiers: int | None = Field(
        default=None, ge=1, le=len(TIERS), description="Budget: distinct tiers that may answer (default MAX_TIERS)."
    )
    max_model_s: float | None = Field(
        default=None, gt=0, allow_inf_nan=False, description="Budget: model seconds (default MAX_MODEL_SECONDS)."
    )
    max_wall_s: float | None = Field(
        default=None, gt=0, allow_inf_nan=False, description="Budget: wall-clock seconds (default MAX_WALL_SECONDS)."
    )
    early_stop: bool | None = Field(
        default=None, description="Stop when two tiers fail the same task check the same way (default EARLY_STOP)."
    )
    human_escalation: bool | None = Field(
        default=None,
        description="When every tier fails, pause and ask a person (needs a checkpointer; default HUMAN_ESCALATION).",
    )
    force_route: Category | None = Field(default=None, description="Route as `math` or `general`, skipping the router.")
    start_tier: Tier | None = Field(
        default=None, description="Start answering at this tier (a tier or its alias: lead, senior, principal, …)."
    )
    router_confidence: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="Ask the router model below this rules confidence (default ROUTER_CONFIDENCE).",
    )
    no_cache: bool = Field(default=False, description="Answer anew rather than from the answer cache.")

    @field_validator("start_tier", mode="before")
    @classmethod
    def _tier_or_alias(cls, value: Any) -> Any:
        return tier_of(value) or value if isinstance(value, str) else value

    @model_validator(mode="wrap")
    @classmethod
    def _one_clear_error(cls, data: Any, handler: Any) -> Context:
        if data is not None and not isinstance(data, dict | Context):
            raise OptionError(f"the context must be a dict of options, not {type(data).__name__}")
        try:
            return handler(data)
        except ValidationError as exc:
            problems = [f"{'.'.join(map(str, e['loc'])) or '?'}={e.get('input')!r}: {e['msg']}" for e in exc.errors()]
            raise OptionError("invalid per-call option: " + "; ".join(problems)) from None


@dataclass(frozen=True, slots=True)
class Budgets:
    max_attempts: int
    max_tiers: int
    max_model_s: float | None
    max_wall_s: float | None


@dataclass(frozen=True, slots=True)
class Options:
    """The options in force for one request: the context's, else the settings'."""

    budgets: Budgets
    early_stop: bool
    confirm_unchecked: bool
    human_escalation: bool
    force_route: Category | None
    start_tier: Tier | None
    router_confidence: float
    no_cache: bool

    @classmethod
    def resolve(
        cls, context: Context | dict | None, settings: Settings, configurable: dict[str, Any] | None = None
    ) -> Options:
        """The options for one request. Options found in `config["configurable"]` (where they lived before
        the typed context) still count, under any the context sets."""
        given = context.model_dump(exclude_unset=True) if isinstance(context, Context) else dict(context or {})
        legacy = {k: v for k, v in (configurable or {}).items() if k in Context.model_fields}
        context = Context.model_validate({**legacy, **given})

        def pick(value: Any, default: Any) -> Any:
            return default if value is None else value

        return cls(
            budgets=Budgets(
                max_attempts=pick(context.max_attempts, settings.max_attempts),
                max_tiers=pick(context.max_tiers, settings.max_tiers),
                max_model_s=pick(context.max_model_s, settings.max_model_s),
                max_wall_s=pick(context.max_wall_s, settings.max_wall_s),
            ),
            early_stop=pick(context.early_stop, settings.early_stop),
            confirm_unchecked=settings.confirm_unchecked,
            human_escalation=pick(context.human_escalation, settings.human_escalation),
            force_route=context.force_route,
            start_tier=context.start_tier,
            router_confidence=pick(context.router_confidence, settings.router_confidence),
            no_cache=context.no_cache,
        )


__all__ = ["Budgets", "Context", "OptionError", "Options"]
