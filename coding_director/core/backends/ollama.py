"""The Ollama backend: `ChatOllama` configured per role, cheap probes of the server, its errors in words."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import httpx
from langchain_core.language_models import BaseChatModel
from langchain_ollama import ChatOllama

from coding_director.core.backends.base import Availability
from coding_director.core.backends.cancel import Cancellation
from coding_director.core.hosts import pool_for, pooled_client_kwargs
from coding_director.core.memory_plan import GB, available_memory_bytes, keep_alive_plan, model_size_gb
from coding_director.core.settings import ROLES, Role, Settings, as_keep_alive

try:
    from ollama import ResponseError
except ImportError:  # pragma: no cover - langchain-ollama always brings it
    ResponseError = None  # type: ignore[assignment,misc]

log = logging.getLogger(__name__)


def full_tag(tag: str) -> str:
    """Ollama's name for a tag: `codellama` is `codellama:latest`."""
    return tag if ":" in tag else f"{tag}:latest"


def has_model(names: set[str] | list[str], tag: str) -> bool:
    """Whether `tag` is among the model names a server listed, with or without `:latest`."""
    return full_tag(tag) in {full_tag(name) for name in names}


class _CancellableClient:
    """The `ollama.Client` under a ChatOllama, with its chat stream stopping when cancelled (Ctrl-C).

    Closing the stream closes the HTTP response, and Ollama stops generating when its client leaves.
    Wrapping the client keeps the model a plain `ChatOllama` for everything that inspects it.
    """

    def __init__(self, client: Any, cancellation: Cancellation):
        self._inner = client
        self._cancellation = cancellation

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def chat(self, *args: Any, **kwargs: Any) -> Any:
        ticket = self._cancellation.ticket()
        reply = self._inner.chat(*args, **kwargs)
        if not kwargs.get("stream"):
            return reply
        return self._checked(reply, ticket)

    def _checked(self, stream: Iterator[Any], ticket: int) -> Iterator[Any]:
        try:
            for part in stream:
                self._cancellation.check(ticket)
                yield part
        finally:
            close = getattr(stream, "close", None)
            if close:
                close()


def ollama_chat_model(
    settings: Settings, role: Role, keep_alive: str | int | None = None, cancellation: Cancellation | None = None
) -> ChatOllama:
    """ChatOllama for one role; it has no timeout field, so the timeout goes to the HTTP client."""
    hosts = settings.hosts_for(role)
    where: dict[str, Any] = (
        pooled_client_kwargs(pool_for(hosts), settings.timeout_for(role))
        if len(hosts) > 1
        else {"base_url": hosts[0], "client_kwargs": {"timeout": settings.timeout_for(role)}}
    )
    model = ChatOllama(
        model=settings.role(role).model,
        keep_alive=keep_alive if keep_alive is not None else settings.keep_alive_for(role),
        num_ctx=settings.num_ctx,
        temperature=settings.temperature_for(role),
        **where,
    )
    if cancellation is not None:
        model._client = _CancellableClient(model._client, cancellation)  # type: ignore[assignment]
    return model


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


def is_local(url: str) -> bool:
    return any(host in url for host in ("://127.", "://localhost", "://[::1]"))


def _why_no_reply(base_url: str, model: str) -> str:
    """A slow first load and a hung server look alike from the client: ask the server which it is."""
    loaded = loaded_models(base_url)
    if loaded is None:
        return "the server itself does not answer: it is hung or overloaded"
    if has_model(loaded, model):
        return "the model is loaded but did not reply in time"
    return "the model is probably still loading (a first load of a large model can take minutes)"


def describe_ollama_error(exc: BaseException, *, model: str, base_url: str, timeout_s: float) -> str | None:
    """One line for an exception from ChatOllama or its HTTP client; None when it is not one of those."""
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        why = _why_no_reply(base_url, model) if base_url else "no reply"
        return (
            f"timeout: {model} gave no reply within {timeout_s:g} s; {why} "
            "(raise REQUEST_TIMEOUT or the role's <ROLE>_TIMEOUT)"
        )
    if is_connect_failure(exc):
        return f"unreachable: cannot connect to Ollama at {base_url}; is `ollama serve` running?"
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return f"disconnected: Ollama at {base_url} closed the connection before replying ({exc})"
    if ResponseError is not None and isinstance(exc, ResponseError):
        status = getattr(exc, "status_code", None)
        detail = str(getattr(exc, "error", exc)).strip()
        if status == 404:
            return f"model missing: {model} is not pulled at {base_url}; run `ollama pull {model}`"
        if status == 503:
            return f"busy: Ollama at {base_url} is at capacity (HTTP 503): {detail}"
        if status == 400 and "does not support" in detail:
            return f"unsupported: {detail}"
        return f"ollama error (HTTP {status}): {detail}"
    if isinstance(exc, json.JSONDecodeError):
        return f"malformed reply: Ollama at {base_url} sent invalid JSON ({exc.msg})"
    if isinstance(exc, ValueError) and "No data received" in str(exc):
        return f"empty reply: {model} sent no content (it may have only just been loaded)"
    return None


def is_connect_failure(exc: BaseException) -> bool:
    """No connection could be made at all (refused, no route, unknown host): the server is not there."""
    return isinstance(exc, httpx.ConnectError | ConnectionError)


class OllamaBackend:
    """The `Backend` for an Ollama server per role (`OLLAMA_BASE_URL`, `<ROLE>_BASE_URL`).

    Each distinct URL is probed once (`GET /api/tags`): a role can use Ollama when its server answers
    and has the role's model pulled.
    """

    name = "ollama"

    def __init__(self, settings: Settings, cancellation: Cancellation | None = None):
        self.settings = settings
        self.cancellation = cancellation or Cancellation()
        self._probes: dict[str, tuple[bool, str, list[str]]] = {}
        self._capabilities: dict[Role, str | None] = {}
        self._plan: dict[Role, str] | None = None

    def server(self, url: str) -> tuple[bool, str, list[str]]:
        """(reachable, why, pulled tags) for `url`, asked once."""
        if url not in self._probes:
            self._probes[url] = probe_ollama(url)
        return self._probes[url]

    def probe(self, role: Role) -> Availability:
        """Usable when a server of the role (any host of its pool) answers and has the model pulled."""
        tag = self.settings.role(role).model
        problems = []
        for url in self.settings.hosts_for(role):
            reachable, why, pulled = self.server(url)
            if not reachable:
                problems.append(why)
            elif not has_model(pulled, tag):
                problems.append(f"Ollama at {url} does not have {tag} (`ollama pull {tag}`)")
            else:
                return Availability(True, why)
        return Availability(False, "; ".join(problems))

    def chat_model(self, role: Role) -> BaseChatModel:
        return ollama_chat_model(
            self.settings, role, keep_alive=self.planned_keep_alive(role), cancellation=self.cancellation
        )

    def label(self, role: Role) -> str:
        return self.settings.role(role).model

    def planned_keep_alive(self, role: Role) -> str | int | None:
        """With KEEP_ALIVE_PLAN=auto and the server on this machine, keep-alive from the memory plan.

        A role's own <ROLE>_KEEP_ALIVE always wins; a remote server's memory is not ours to measure.
        """
        settings = self.settings
        url = settings.base_url_for(role)
        if settings.keep_alive_plan != "auto" or settings.role(role).keep_alive or not is_local(url):
            return None
        if self._plan is None:
            free = available_memory_bytes()
            pulled = model_sizes(url)
            sizes = {r: model_size_gb(settings.role(r).model, pulled) for r in ROLES}
            known = {r: size for r, size in sizes.items() if size}
            self._plan = keep_alive_plan(known, free / GB) if free and known else {}
            log.info("keep-alive plan for %.0f GB free: %s", (free or 0) / GB, self._plan)
        planned = self._plan.get(role)
        return as_keep_alive(planned) if planned is not None else None

    def cannot_chat(self, role: Role) -> str | None:
        """Asked once per role (`/api/show`), so a tier set to an embedding model fails fast with the reason."""
        if role not in self._capabilities:
            tag = self.settings.role(role).model
            capabilities = model_capabilities(self.settings.base_url_for(role), tag)
            verdict = None
            if capabilities is not None and "completion" not in capabilities:
                verdict = f"unsupported: {tag} cannot chat (its capabilities: {', '.join(capabilities) or 'none'})"
            self._capabilities[role] = verdict
        return self._capabilities[role]

    def is_loaded(self, role: Role) -> bool | None:
        loaded = loaded_models(self.settings.base_url_for(role))
        if loaded is None:
            return None
        return has_model(loaded, self.settings.role(role).model)

    def context_size(self, role: Role) -> int:
        return self.settings.num_ctx

    def describe_error(self, role: Role, exc: BaseException) -> str | None:
        return describe_ollama_error(
            exc,
            model=self.label(role),
            base_url=", ".join(self.settings.hosts_for(role)),
            timeout_s=self.settings.timeout_for(role),
        )
