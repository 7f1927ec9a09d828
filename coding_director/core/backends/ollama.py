"""The Ollama backend: `ChatOllama` configured per role, and a cheap reachability probe."""

from __future__ import annotations

import httpx
from langchain_ollama import ChatOllama

from coding_director.core.settings import Role, Settings


def full_tag(tag: str) -> str:
    """Ollama's name for a tag: `codellama` is `codellama:latest`."""
    return tag if ":" in tag else f"{tag}:latest"


def has_model(names: set[str] | list[str], tag: str) -> bool:
    """Whether `tag` is among the model names a server listed, with or without `:latest`."""
    return full_tag(tag) in {full_tag(name) for name in names}


def ollama_chat_model(settings: Settings, role: Role, keep_alive: str | int | None = None) -> ChatOllama:
    """ChatOllama for one role; it has no timeout field, so the timeout goes to the HTTP client."""
    return ChatOllama(
        model=settings.role(role).model,
        base_url=settings.base_url_for(role),
        keep_alive=keep_alive if keep_alive is not None else settings.keep_alive_for(role),
        num_ctx=settings.num_ctx,
        temperature=settings.temperature_for(role),
        client_kwargs={"timeout": settings.timeout_for(role)},
    )


def model_sizes(base_url: str, timeout_s: float = 1.5) -> dict[str, int]:
    """Tag → size in bytes of the models pulled at `base_url` (`GET /api/tags`); empty when unknown."""
    try:
        reply = httpx.get(f"{base_url.rstrip('/')}/api/tags", timeout=timeout_s)
        reply.raise_for_status()
        return {(m.get("name") or m.get("model", "")): int(m.get("size") or 0) for m in reply.json().get("models", [])}
    except (httpx.HTTPError, ValueError):
        return {}


def model_capabilities(base_url: str, model: str, timeout_s: float = 2.0) -> list[str] | None:
    """What the model can do (`POST /api/show`): e.g. ["completion", "tools"]; None when unknown."""
    try:
        reply = httpx.post(f"{base_url.rstrip('/')}/api/show", json={"model": model}, timeout=timeout_s)
        reply.raise_for_status()
        capabilities = reply.json().get("capabilities")
    except (httpx.HTTPError, ValueError):
        return None
    return list(capabilities) if isinstance(capabilities, list) else None


def loaded_models(base_url: str, timeout_s: float = 1.0) -> set[str] | None:
    """Models Ollama has in memory now (`GET /api/ps`), or None when it cannot be asked."""
    try:
        reply = httpx.get(f"{base_url.rstrip('/')}/api/ps", timeout=timeout_s)
        reply.raise_for_status()
        return {m.get("name") or m.get("model", "") for m in reply.json().get("models", [])}
    except (httpx.HTTPError, ValueError):
        return None


def probe_ollama(base_url: str, timeout_s: float = 1.5) -> tuple[bool, str, list[str]]:
    """(reachable, why, pulled model names) from `GET /api/tags`."""
    try:
        reply = httpx.get(f"{base_url.rstrip('/')}/api/tags", timeout=timeout_s)
        reply.raise_for_status()
        models = [m.get("name") or m.get("model", "") for m in reply.json().get("models", [])]
    except httpx.HTTPStatusError as exc:
        return False, f"Ollama at {base_url} answered HTTP {exc.response.status_code}", []
    except (httpx.HTTPError, ValueError) as exc:
        return False, f"Ollama is not reachable at {base_url} ({type(exc).__name__})", []
    return True, f"Ollama answers at {base_url}", models
