"""Lazily created, cached chat models per role, each from the backend chosen for it.

The registry knows backends only through the `Backend` protocol and the `BACKENDS` table; it never
names one. With `BACKEND=auto` a role takes the first backend in the table that can serve it here
(the last entry is the fallback), and the choice, with its reason, is recorded so the CLI, `doctor`
and the run log say the same thing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass

from langchain_core.language_models import BaseChatModel

from coding_director.core.backends.base import Backend, BackendFactory
from coding_director.core.backends.cancel import Cancellation, GenerationCancelled
from coding_director.core.backends.embedded import EmbeddedBackend
from coding_director.core.backends.errors import describe_any_error
from coding_director.core.backends.ollama import OllamaBackend, is_connect_failure
from coding_director.core.redaction import redact_urls
from coding_director.core.settings import ROLES, Role, Settings

log = logging.getLogger(__name__)

#: Every backend, in the order BACKEND=auto prefers them; the last one is the fallback.
BACKENDS: dict[str, BackendFactory] = {
    "ollama": OllamaBackend,
    "embedded": EmbeddedBackend,
}
GIVEN = "given"


@dataclass(frozen=True, slots=True)
class BackendChoice:
    backend: str  # a BACKENDS key, or "given" for models supplied in code
    reason: str


class ModelRegistry:
    """Hands each role its chat model, creating it only when a request first needs it.

    A backend whose server refused a connection is remembered for that request (`request_id`):
    the remaining tiers on the same server fail at once, or under BACKEND=auto use the fallback.
    """

    def __init__(
        self,
        settings: Settings,
        models: Mapping[Role, BaseChatModel] | None = None,
        *,
        only_given: bool = False,
    ):
        self.settings = settings
        self.cancellation = Cancellation()
        self.backends: dict[str, Backend] = {
            name: factory(settings, self.cancellation)  # type: ignore[call-arg]
            for name, factory in BACKENDS.items()
        }
        self._given = dict(models or {})
        self._given_only = only_given
        self._models: dict[tuple[Role, str], BaseChatModel] = {}
        self._choices: dict[Role, BackendChoice] = {}
        self._refused: dict[str, tuple[str, str]] = {}  # server URL → (request id, backend name)
        self._lock = threading.Lock()

    @classmethod
    def from_models(cls, settings: Settings, models: Mapping[Role, BaseChatModel]) -> ModelRegistry:
        """A registry over ready-made models (tests, notebooks); roles not given are an error."""
        return cls(settings, models, only_given=True)

    # -- choosing ---------------------------------------------------------------------------------

    def _refused_here(self, role: Role, backend: str, request_id: str | None) -> bool:
        if request_id is None:
            return False
        refused = self._refused.get(self.settings.base_url_for(role))
        return refused == (request_id, backend)

    def choice(self, role: Role, request_id: str | None = None) -> BackendChoice:
        if role in self._given:
            return BackendChoice(GIVEN, "model supplied in code")
        if self._given_only:
            raise KeyError(f"no model was given for role {role!r}")
        if role not in self._choices:
            self._choices[role] = self._choose(role)
        chosen = self._choices[role]
        fallback = list(self.backends)[-1]
        refused = self._refused_here(role, chosen.backend, request_id)
        if refused and self.settings.backend == "auto" and chosen.backend != fallback:
            url = redact_urls(self.settings.base_url_for(role))
            return BackendChoice(fallback, f"{url} refused the connection earlier in this request; using {fallback}")
        return chosen

    def _choose(self, role: Role) -> BackendChoice:
        forced = self.settings.backend
        if forced != "auto":
            return BackendChoice(forced, f"BACKEND={forced}")
        names = list(self.backends)
        reasons = []
        for name in names[:-1]:
            found = self.backends[name].probe(role)
            if found.ok:
                return BackendChoice(name, found.why)
            reasons.append(found.why)
        fallback = names[-1]
        return BackendChoice(fallback, "; ".join([*reasons, f"using the {fallback} model"]))

    def _backend(self, role: Role, request_id: str | None) -> Backend | None:
        choice = self.choice(role, request_id)
        return None if choice.backend == GIVEN else self.backends[choice.backend]

    # -- what the nodes ask -----------------------------------------------------------------------

    def get(self, role: Role, request_id: str | None = None) -> BaseChatModel:
        if role in self._given:
            return self._given[role]
        choice = self.choice(role, request_id)
        with self._lock:
            key = (role, choice.backend)
            if key not in self._models:
                log.info("role %s uses %s (%s)", role, choice.backend, choice.reason)
                self._models[key] = self.backends[choice.backend].chat_model(role)
            return self._models[key]

    def label(self, role: Role, request_id: str | None = None) -> str:
        """The model's name as users know it: the Ollama tag, or the embedded model's name."""
        if role in self._given:
            model = self._given[role]
            return str(getattr(model, "model", None) or getattr(model, "model_name", None) or type(model).__name__)
        if self._given_only:
            return "?"
        backend = self._backend(role, request_id)
        return backend.label(role) if backend else "?"

    def cannot_chat(self, role: Role, request_id: str | None = None) -> str | None:
        """Why the role's model cannot answer at all, or None: fails the tier at once, with the reason."""
        try:
            choice = self.choice(role, request_id)
        except KeyError:
            return None
        if choice.backend == GIVEN:
            return None
        if self._refused_here(role, choice.backend, request_id):
            url = redact_urls(self.settings.base_url_for(role))
            return f"skipped: {url} refused the connection earlier in this request"
        return self.backends[choice.backend].cannot_chat(role)

    def is_loaded(self, role: Role) -> bool | None:
        """Whether the role's model is in memory now; None when unknown."""
        try:
            backend = self._backend(role, None)
        except KeyError:
            return None
        return backend.is_loaded(role) if backend else None

    def context_size(self, role: Role, request_id: str | None = None) -> int:
        """Tokens the role's model can read; history is trimmed to fit."""
        try:
            backend = self._backend(role, request_id)
        except KeyError:
            backend = None
        return backend.context_size(role) if backend else self.settings.num_ctx

    def describe_error(self, role: Role, exc: BaseException, request_id: str | None = None) -> str:
        """One line a user can act on (passwords in URLs redacted: it is shown, logged and stored)."""
        return redact_urls(self._describe_error(role, exc, request_id))

    def _describe_error(self, role: Role, exc: BaseException, request_id: str | None) -> str:
        """A connection refused by a server is remembered for the request."""
        if isinstance(exc, GenerationCancelled):
            return "cancelled: the request was stopped before this tier finished"
        try:
            choice = self.choice(role, request_id)
        except KeyError:
            choice = BackendChoice(GIVEN, "")
        if choice.backend != GIVEN and is_connect_failure(exc) and request_id is not None:
            url = self.settings.base_url_for(role)
            self._refused[url] = (request_id, choice.backend)
            described = self.backends[choice.backend].describe_error(role, exc) or describe_any_error(exc)
            fallback = list(self.backends)[-1]
            if self.settings.backend == "auto" and choice.backend != fallback:
                return f"{described} The remaining tiers use the {fallback} model."
            return f"{described} The remaining tiers on it are skipped."
        names = [choice.backend] if choice.backend != GIVEN else list(self.backends)
        for name in names:
            worded = self.backends[name].describe_error(role, exc)
            if worded:
                return worded
        return describe_any_error(exc)

    def cancel(self) -> None:
        """Stop every model call under way (Ctrl-C): each ends at its next token or chunk."""
        self.cancellation.cancel()

    def describe(self) -> dict[Role, str]:
        """Role → 'backend: model (reason)' for the roles' current choices."""
        out: dict[Role, str] = {}
        for role in ROLES:
            try:
                choice = self.choice(role)
            except KeyError:
                continue
            out[role] = f"{choice.backend}: {self.label(role)} ({choice.reason})"
        return out
