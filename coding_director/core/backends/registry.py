"""Lazily created, cached chat models per role, with the backend chosen per Ollama URL."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass

from langchain_core.language_models import BaseChatModel

from coding_director.core.backends.embedded import EMBEDDED_LABEL, EmbeddedChatModel, default_model_path
from coding_director.core.backends.ollama import (
    has_model,
    loaded_models,
    model_capabilities,
    model_sizes,
    ollama_chat_model,
    probe_ollama,
)
from coding_director.core.memory_plan import GB, KNOWN_SIZES_GB, available_memory_bytes, keep_alive_plan
from coding_director.core.settings import ROLES, Role, Settings, as_keep_alive

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BackendChoice:
    backend: str  # "ollama" | "embedded" | "given"
    reason: str


class ModelRegistry:
    """Hands each role its chat model, creating it only when a request first needs it.

    With `backend=auto`, each distinct Ollama URL is probed once: roles whose URL
    answers use Ollama, the others fall back to the embedded model, and the choice
    (with its reason) is recorded so the CLI and the run log can say which it was.
    """

    def __init__(
        self,
        settings: Settings,
        models: Mapping[Role, BaseChatModel] | None = None,
        *,
        only_given: bool = False,
    ):
        self.settings = settings
        self._given = dict(models or {})
        self._given_only = only_given
        self._plan: dict[str, str] | None = None
        self._capabilities: dict[str, str | None] = {}
        self._models: dict[Role, BaseChatModel] = {}
        self._probes: dict[str, tuple[bool, str]] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_models(cls, settings: Settings, models: Mapping[Role, BaseChatModel]) -> ModelRegistry:
        """A registry over ready-made models (tests, notebooks); roles not given are an error."""
        return cls(settings, models, only_given=True)

    def _probe(self, url: str) -> tuple[bool, str]:
        if url not in self._probes:
            reachable, why, _ = probe_ollama(url)
            self._probes[url] = (reachable, why)
        return self._probes[url]

    def choice(self, role: Role) -> BackendChoice:
        if role in self._given:
            return BackendChoice("given", "model supplied in code")
        if self._given_only:
            raise KeyError(f"no model was given for role {role!r}")
        backend = self.settings.backend
        if backend == "ollama":
            return BackendChoice("ollama", "BACKEND=ollama")
        if backend == "embedded":
            return BackendChoice("embedded", "BACKEND=embedded")
        url = self.settings.base_url_for(role)
        reachable, why = self._probe(url)
        if reachable:
            return BackendChoice("ollama", why)
        return BackendChoice("embedded", f"{why}; using the embedded model")

    def get(self, role: Role) -> BaseChatModel:
        with self._lock:
            if role not in self._models:
                self._models[role] = self._create(role)
            return self._models[role]

    def _create(self, role: Role) -> BaseChatModel:
        if role in self._given:
            return self._given[role]
        choice = self.choice(role)
        log.info("role %s uses %s (%s)", role, choice.backend, choice.reason)
        if choice.backend == "ollama":
            return ollama_chat_model(self.settings, role, keep_alive=self.planned_keep_alive(role))
        path = self.settings.embedded_model_path or default_model_path()
        return EmbeddedChatModel(
            model_path=str(path),
            n_ctx=self.settings.embedded_n_ctx,
            max_tokens=self.settings.embedded_max_tokens,
            temperature=self.settings.temperature_for(role),
            n_threads=self.settings.embedded_threads,
        )

    def label(self, role: Role) -> str:
        """The model's name as users know it: the Ollama tag, or the embedded model's name."""
        if role in self._given:
            model = self._given[role]
            return str(getattr(model, "model", None) or getattr(model, "model_name", None) or type(model).__name__)
        if self._given_only:
            return "?"
        if self.choice(role).backend == "ollama":
            return self.settings.role(role).model
        return EMBEDDED_LABEL

    def planned_keep_alive(self, role: Role) -> str | int | None:
        """With KEEP_ALIVE_PLAN=auto and the server on this machine, keep-alive from the memory plan.

        A role's own <ROLE>_KEEP_ALIVE always wins; a remote server's memory is not ours to measure.
        """
        settings = self.settings
        url = settings.base_url_for(role)
        if settings.keep_alive_plan != "auto" or settings.role(role).keep_alive:
            return None
        if not any(host in url for host in ("://127.", "://localhost", "://[::1]")):
            return None
        if self._plan is None:
            free = available_memory_bytes()
            pulled = model_sizes(url)
            sizes = {}
            for r in ROLES:
                tag = settings.role(r).model
                size = pulled.get(tag) or pulled.get(f"{tag}:latest") or KNOWN_SIZES_GB.get(tag, 0) * GB
                if size:
                    sizes[r] = size / GB
            self._plan = keep_alive_plan(sizes, free / GB) if free and sizes else {}
            log.info("keep-alive plan for %.0f GB free: %s", (free or 0) / GB, self._plan)
        planned = self._plan.get(role)
        return as_keep_alive(planned) if planned is not None else None

    def cannot_chat(self, role: Role) -> str | None:
        """Why the role's Ollama model cannot answer a chat (an embedding model, say), or None.

        Asked once per role (`/api/show`), so a misconfigured tier fails fast with a clear reason.
        """
        if role in self._capabilities:
            return self._capabilities[role]
        verdict = None
        try:
            if self.choice(role).backend == "ollama":
                tag = self.settings.role(role).model
                capabilities = model_capabilities(self.settings.base_url_for(role), tag)
                if capabilities is not None and "completion" not in capabilities:
                    verdict = f"unsupported: {tag} cannot chat (its capabilities: {', '.join(capabilities) or 'none'})"
        except KeyError:
            pass
        self._capabilities[role] = verdict
        return verdict

    def is_loaded(self, role: Role) -> bool | None:
        """Whether the role's Ollama model is in memory now; None when unknown (not Ollama, or no answer)."""
        try:
            if self.choice(role).backend != "ollama":
                return None
        except KeyError:
            return None
        loaded = loaded_models(self.settings.base_url_for(role))
        if loaded is None:
            return None
        return has_model(loaded, self.settings.role(role).model)

    def context_size(self, role: Role) -> int:
        """Tokens the role's model can read; history is trimmed to fit."""
        model = self._models.get(role) or self._given.get(role)
        if isinstance(model, EmbeddedChatModel):
            return model.n_ctx
        if model is None and not self._given_only and self.choice(role).backend == "embedded":
            return self.settings.embedded_n_ctx
        return self.settings.num_ctx

    def describe(self) -> dict[str, str]:
        """Role → 'backend: model (reason)' for the roles' current choices."""
        out = {}
        for role in ROLES:
            try:
                choice = self.choice(role)
            except KeyError:
                continue
            out[role] = f"{choice.backend}: {self.label(role)} ({choice.reason})"
        return out
