"""Turning a model call's exception into one line a user can act on, and telling transient from final."""

from __future__ import annotations

import json

import httpx

from coding_director.core.backends.embedded import EmbeddedUnavailable
from coding_director.core.backends.ollama import has_model, loaded_models

try:
    from ollama import ResponseError
except ImportError:  # pragma: no cover - langchain-ollama always brings it
    ResponseError = None  # type: ignore[assignment,misc]


def is_transient(exc: BaseException) -> bool:
    """Faults worth a retry on the same model: the connection, a full queue, an empty reply."""
    if isinstance(exc, httpx.ConnectError | httpx.RemoteProtocolError | httpx.ReadError | ConnectionError):
        return True
    if ResponseError is not None and isinstance(exc, ResponseError):
        return getattr(exc, "status_code", None) in (503, -1, 502, 500)
    return isinstance(exc, ValueError) and "No data received" in str(exc)


def _why_no_reply(base_url: str, model: str) -> str:
    """A slow first load and a hung server look alike from the client: ask the server which it is."""
    loaded = loaded_models(base_url)
    if loaded is None:
        return "the server itself does not answer: it is hung or overloaded"
    if has_model(loaded, model):
        return "the model is loaded but did not reply in time"
    return "the model is probably still loading (a first load of a large model can take minutes)"


def describe_model_error(exc: BaseException, *, model: str, base_url: str, timeout_s: float) -> str:
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        why = _why_no_reply(base_url, model) if base_url else "no reply"
        return (
            f"timeout: {model} gave no reply within {timeout_s:g} s; {why} "
            "(raise REQUEST_TIMEOUT or the role's <ROLE>_TIMEOUT)"
        )
    if isinstance(exc, httpx.ConnectError | ConnectionError):
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
    if isinstance(exc, EmbeddedUnavailable):
        return f"embedded backend unavailable: {exc}"
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"model error: {type(exc).__name__}" + (f": {message}" if message else "")
