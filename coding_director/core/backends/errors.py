"""Telling transient model faults from final ones, and the words for faults no backend claims."""

from __future__ import annotations

import httpx

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


def describe_any_error(exc: BaseException) -> str:
    """The fallback line: the exception's type and first line."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"model error: {type(exc).__name__}" + (f": {message}" if message else "")
