"""The ASGI app: both APIs on one Starlette app, behind auth, the body limit and CORS.

Starlette rather than FastAPI: the routes speak two foreign wire formats (OpenAI's and Ollama's), so
FastAPI's generated schemas and validation errors would only need undoing; Starlette's routing and
responses are what is needed, and FastAPI is built on them anyway. sse-starlette frames the SSE stream,
sends the keep-alive comments and notices a client that goes away.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response

from coding_director.app.serve import ollama_api, openai_api
from coding_director.app.serve.errors import ServeError
from coding_director.app.serve.limits import BearerAuth, BodyLimit
from coding_director.app.serve.runner import Runner, graphs_for
from coding_director.core.settings import Settings

log = logging.getLogger(__name__)

EXPOSED_HEADERS = (
    "X-Coding-Director-Route",
    "X-Coding-Director-Tiers",
    "X-Coding-Director-Verdict",
    "X-Coding-Director-Model",
    "X-Coding-Director-Outcome",
    "X-Coding-Director-Stream",
    "X-Thread-Id",
)


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        message = f"no such endpoint: {request.method} {request.url.path}"
    elif exc.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}"
    else:
        message = str(exc.detail)
    return ServeError(exc.status_code, message, code="not_found" if exc.status_code == 404 else None).response(
        request.url.path
    )


def _serve_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ServeError)
    return exc.response(request.url.path)


def _unexpected(request: Request, exc: Exception) -> Response:
    """uvicorn logs the traceback; the client gets one line."""
    error = ServeError(500, f"internal error: {type(exc).__name__}; the server log has the details")
    return error.response(request.url.path)


class Drain:
    """When the server began shutting down (SIGTERM, Ctrl-C): in-flight runs get SERVE_SHUTDOWN_GRACE
    seconds to finish, then are cancelled with a clear error."""

    def __init__(self) -> None:
        self.since: float | None = None

    def begin(self) -> None:
        if self.since is None:
            self.since = time.monotonic()

    def __call__(self) -> float | None:
        return self.since

    def watch_signals(self) -> None:
        """Note the shutdown signal before passing it on to the server's own handler (uvicorn's)."""
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous = signal.getsignal(sig)
            if not callable(previous):
                continue

            def noted(signum: int, frame: Any, previous: Callable[..., Any] = previous) -> None:
                self.begin()
                previous(signum, frame)

            with contextlib.suppress(ValueError):  # not the main thread (a server run by a test): no signals
                signal.signal(sig, noted)


def create_app(graph: Any = None, settings: Settings | None = None) -> Starlette:
    """The server's app over `graph` (default: `build_graph()` with the configured store and backends)."""
    if graph is None:
        from coding_director.graph import build_graph

        graph = build_graph(settings=settings)
    settings = settings or graph.services.settings
    drain = Drain()
    runner = Runner(graphs_for(graph), settings, drain)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        drain.watch_signals()
        try:
            yield
        finally:
            drain.begin()
            runner.shutdown()

    middleware = []
    if settings.serve_cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.serve_cors_origins,
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=["*"],
                expose_headers=[*EXPOSED_HEADERS],
            )
        )
    if settings.serve_api_key:
        middleware.append(Middleware(BearerAuth, key=settings.serve_api_key))
    middleware.append(Middleware(BodyLimit, limit=settings.serve_max_body_bytes))
    app = Starlette(
        routes=[*openai_api.ROUTES, *ollama_api.ROUTES],
        middleware=middleware,
        exception_handlers={
            HTTPException: _http_error,
            ServeError: _serve_error,
            Exception: _unexpected,
        },
        lifespan=lifespan,
    )
    app.state.runner = runner
    app.state.drain = drain
    app.state.started = int(time.time())
    app.state.started_at = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    return app
