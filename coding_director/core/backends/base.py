"""What a backend is: one object per kind of model server, behind one small interface.

`ModelRegistry` knows backends only through this protocol and the `BACKENDS` table in
`backends/__init__.py`; adding a backend (an OpenAI-compatible server, say) is one module that
implements it and one entry in that table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from langchain_core.language_models import BaseChatModel

from coding_director.core.settings import Role, Settings


@dataclass(frozen=True, slots=True)
class Availability:
    """Whether a backend can serve a role here, and why (said to the user as is)."""

    ok: bool
    why: str


class Backend(Protocol):
    """One kind of model server. Instances live as long as their registry and may cache probes."""

    name: str
    """The BACKEND= value that forces this backend."""

    def probe(self, role: Role) -> Availability:
        """Can this backend answer for `role` here (server up, model present)? Cheap; cached."""
        ...

    def chat_model(self, role: Role) -> BaseChatModel:
        """The role's chat model, created now (the registry caches it)."""
        ...

    def label(self, role: Role) -> str:
        """The model's name as users know it."""
        ...

    def cannot_chat(self, role: Role) -> str | None:
        """Why the role's model cannot answer a chat at all (an embedding model, say), or None."""
        ...

    def is_loaded(self, role: Role) -> bool | None:
        """Whether the role's model is in memory now; None when unknown."""
        ...

    def context_size(self, role: Role) -> int:
        """Tokens the role's model reads; history is trimmed to fit."""
        ...

    def describe_error(self, role: Role, exc: BaseException) -> str | None:
        """One line a user can act on, for an exception this backend raised; None when not its own."""
        ...


class BackendFactory(Protocol):
    def __call__(self, settings: Settings) -> Backend: ...
