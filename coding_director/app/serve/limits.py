"""What keeps one server safe and responsive: who may call it, how much they may send, how many
requests run at once and how many may wait. Pure ASGI middleware, so streaming is never buffered."""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, ClassVar

from coding_director.app.serve.errors import ServeError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    """Whether binding `host` keeps the server reachable from this machine only."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class QueueFull(ServeError):
    pass


class Admission:
    """At most `limit` requests run at once; up to `max_waiting` more wait their turn; beyond that, 503 at
    once with Retry-After (as Ollama answers when its queue is full)."""

    def __init__(self, limit: int, max_waiting: int):
        self.limit = limit
        self.max_waiting = max_waiting
        self.running = 0
        self.waiting = 0
        self._slots = asyncio.Semaphore(limit)

    async def enter(self) -> None:
        if self._slots.locked() and self.waiting >= self.max_waiting:
            raise QueueFull(
                503,
                f"the server is full: {self.running} requests running and {self.waiting} waiting "
                "(SERVE_MAX_CONCURRENT, SERVE_MAX_QUEUE); try again shortly",
                code="server_busy",
                headers={"Retry-After": "2"},
            )
        self.waiting += 1
        try:
            await self._slots.acquire()
        finally:
            self.waiting -= 1
        self.running += 1

    def leave(self) -> None:
        """When a run's thread has finished (on the event loop)."""
        self.running -= 1
        self._slots.release()


async def _send_error(scope: Scope, send: Send, error: ServeError) -> None:
    body = error.openai_body() if scope.get("path", "").startswith("/v1") else error.ollama_body()
    data = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
    headers += [(k.lower().encode(), v.encode()) for k, v in error.headers.items()]
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": data})


class BodyTooLarge(ServeError):
    pass


def _too_large(limit: int) -> BodyTooLarge:
    return BodyTooLarge(413, f"the request body is larger than {limit:,} bytes (SERVE_MAX_BODY)", code="body_too_large")


class BodyLimit:
    """413 for a body over the limit: at once from Content-Length, or as soon as a streamed body passes it."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _send_error(scope, send, _too_large(self.limit))
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _too_large(self.limit)
            return message

        await self.app(scope, counted, send)


class BearerAuth:
    """With SERVE_API_KEY set, every request but the `GET /` liveness probe carries `Authorization: Bearer KEY`,
    compared in constant time."""

    OPEN: ClassVar[set[tuple[str, str]]] = {("GET", "/"), ("HEAD", "/")}

    def __init__(self, app: ASGIApp, key: str):
        self.app = app
        self.key = key.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (scope["method"], scope["path"]) in self.OPEN:
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or []).get(b"authorization", b"")
        scheme, _, token = given.partition(b" ")
        if scheme.lower() != b"bearer" or not hmac.compare_digest(token.strip(), self.key):
            reason = "no API key was given" if not given else "the API key is not valid"
            error = ServeError(
                401,
                f"{reason}: send `Authorization: Bearer <SERVE_API_KEY>` (in OpenAI clients, the api_key)",
                code="invalid_api_key",
                headers={"WWW-Authenticate": "Bearer"},
            )
            await _send_error(scope, send, error)
            return
        await self.app(scope, receive, send)
