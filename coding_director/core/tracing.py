"""LangSmith tracing as the README promises: `.env` acts like the environment, no key means no tracing
(with one warning), and an unreachable endpoint never holds up an answer or the exit.

LangChain reads its tracing switches from `os.environ` only, so keys that live in `.env` (as
`.env.example` suggests) are copied there — the real environment still wins. Tracing asked for
without an API key is switched off rather than left to fail in the background; an endpoint that does
not accept a connection within a second is switched off for the run; the tracer's threads are
daemons and `flush_traces()` waits at most a second, so the process exits on time.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Mapping
from urllib.parse import urlsplit

from coding_director.core.redaction import redact_url_password

log = logging.getLogger(__name__)

DEFAULT_ENDPOINT = "https://api.smith.langchain.com"
#: Every switch LangChain and LangSmith read to decide whether to trace.
_SWITCHES = ("LANGSMITH_TRACING", "LANGSMITH_TRACING_V2", "LANGCHAIN_TRACING_V2", "LANGCHAIN_TRACING")
_PREFIXES = ("LANGSMITH_", "LANGCHAIN_")
PROBE_S = 1.0


def _first(env: Mapping[str, str], *keys: str) -> str:
    return next((env[k].strip() for k in keys if (env.get(k) or "").strip()), "")


def tracing_requested(env: Mapping[str, str]) -> bool:
    return _first(env, "LANGSMITH_TRACING_V2", "LANGCHAIN_TRACING_V2", *_SWITCHES).lower() in ("true", "1", "yes")


def endpoint_answers(url: str, within_s: float = PROBE_S) -> bool:
    """Whether `url`'s host accepts a TCP connection within `within_s` (name lookup included)."""
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return False
    if not parts.hostname:
        return False
    answered = threading.Event()

    def probe() -> None:
        try:
            with socket.create_connection((parts.hostname, port), timeout=within_s):
                answered.set()
        except OSError:
            pass

    worker = threading.Thread(target=probe, daemon=True, name="langsmith-probe")  # a slow DNS cannot hold us
    worker.start()
    worker.join(within_s)
    return answered.is_set()


def _switch_off() -> None:
    for key in _SWITCHES:
        os.environ[key] = "false"


def _forget_cached_env() -> None:
    """LangSmith caches what it read from the environment; make it read again."""
    try:
        from langsmith import utils

        utils.get_env_var.cache_clear()  # type: ignore[attr-defined]  # functools.lru_cache
    except (ImportError, AttributeError):  # pragma: no cover - an older or newer langsmith
        pass


def configure_tracing(env: Mapping[str, str], probe_s: float = PROBE_S) -> str | None:
    """Apply the LangSmith keys of `env` (`.env` merged with the environment); returns the warning given, if any."""
    if not tracing_requested(env):
        return None
    warning = None
    if not _first(env, "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY"):
        warning = "LANGSMITH_TRACING is on but LANGSMITH_API_KEY is not set: tracing is off"
    else:
        endpoint = _first(env, "LANGSMITH_ENDPOINT", "LANGCHAIN_ENDPOINT") or DEFAULT_ENDPOINT
        if not endpoint_answers(endpoint, probe_s):
            warning = (
                f"LangSmith at {redact_url_password(endpoint)} does not answer: tracing is off for this run "
                "(check LANGSMITH_ENDPOINT or the network)"
            )
    if warning:
        _switch_off()
        log.warning(warning)
    else:
        for key, value in env.items():
            if key.startswith(_PREFIXES) and key not in os.environ:
                os.environ[key] = value
        os.environ.setdefault("LANGSMITH_USE_DAEMON", "true")  # a stalled upload never blocks the exit
    _forget_cached_env()
    return warning


def flush_traces(timeout_s: float = 1.0) -> None:
    """Send what is queued, waiting at most `timeout_s`; what is left is dropped at exit."""
    if not tracing_requested(os.environ):
        return
    try:
        from langsmith.run_trees import get_cached_client

        get_cached_client().flush(timeout=timeout_s)
    except Exception:  # tracing must never break an answer or the exit
        log.debug("could not flush LangSmith traces", exc_info=True)


__all__ = ["configure_tracing", "endpoint_answers", "flush_traces", "tracing_requested"]
