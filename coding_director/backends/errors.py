"""Turning a model call's exception into one line a user can act on."""

from __future__ import annotations

import httpx

from coding_director.backends.embedded import EmbeddedUnavailable


def describe_model_error(exc: BaseException, *, model: str, base_url: str, timeout_s: float) -> str:
    try:
        from ollama import ResponseError
    except ImportError:  # pragma: no cover - langchain-ollama always brings it
        ResponseError = ()  # type: ignore[assignment]
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        return (
            f"timeout: {model} gave no reply within {timeout_s:g} s "
            "(raise REQUEST_TIMEOUT or the role's <ROLE>_TIMEOUT)"
        )
    if isinstance(exc, httpx.ConnectError | ConnectionError):
        return f"unreachable: cannot connect to Ollama at {base_url}; is `ollama serve` running?"
    if ResponseError and isinstance(exc, ResponseError):
        status = getattr(exc, "status_code", None)
        detail = str(getattr(exc, "error", exc)).strip()
        if status == 404:
            return f"model missing: {model} is not pulled at {base_url}; run `ollama pull {model}`"
        if status == 503:
            return f"busy: Ollama at {base_url} is at capacity (HTTP 503): {detail}"
        return f"ollama error (HTTP {status}): {detail}"
    if isinstance(exc, EmbeddedUnavailable):
        return f"embedded backend unavailable: {exc}"
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"model error: {type(exc).__name__}" + (f": {message}" if message else "")
