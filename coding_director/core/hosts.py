"""Ollama host pools: one role served by several Ollama hosts, failing over within a call.

A role's base URL may name several hosts (`PRINCIPAL_BASE_URL=http://gpu1:11434,http://gpu2:11434`).
The pool works below the Ollama client, as an httpx transport: each request goes to the best host
now — healthy first, then one that already has the model loaded (`/api/ps`), then the least busy —
and a refused connection or a 503 ("queue full") moves the same request to the next host at once,
with no retry delay. A host that refused is skipped for a cool-down. Working at the transport level
keeps ChatOllama, its streaming and its error types exactly as they are for a single host.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import httpx

#: How long a host that refused a connection is tried only after the others.
DEFAULT_COOLDOWN_S = 30.0
#: How long a host's `/api/ps` answer (which models it has loaded) is trusted.
LOADED_TTL_S = 5.0
#: The base URL a pooled ChatOllama is given; the transport replaces it with a real host.
POOL_BASE_URL = "http://ollama-pool.invalid"


def split_hosts(value: str) -> tuple[str, ...]:
    """`"http://a:1, http://b:2/"` → `("http://a:1", "http://b:2")`; order is preference."""
    return tuple(part.strip().rstrip("/") for part in value.split(",") if part.strip())


@dataclass
class HostState:
    url: str
    in_flight: int = 0
    down_until: float = 0.0
    last_error: str = ""
    served: int = 0
    loaded: frozenset[str] | None = None
    loaded_at: float = -1e9


@dataclass
class HostPool:
    """Health, load and in-flight count for a set of hosts; shared by every role that uses them."""

    urls: tuple[str, ...]
    cooldown_s: float = DEFAULT_COOLDOWN_S
    clock: Callable[[], float] = time.monotonic
    loaded_lookup: Callable[[str], set[str] | None] | None = None
    hosts: dict[str, HostState] = field(init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.urls:
            raise ValueError("a host pool needs at least one host")
        self.hosts = {url: HostState(url) for url in self.urls}

    def order(self, model: str | None = None) -> list[str]:
        """Hosts in the order to try them for `model`: healthy, model loaded, least busy, listed first."""
        now = self.clock()
        with self._lock:
            states = list(self.hosts.values())
        loaded = {state.url: self._loaded(state, now) for state in states} if model and len(states) > 1 else {}

        def rank(state: HostState) -> tuple[bool, bool, int, int]:
            has_model = bool(model) and model in (loaded.get(state.url) or frozenset())
            return (state.down_until > now, not has_model, state.in_flight, self.urls.index(state.url))

        return [state.url for state in sorted(states, key=rank)]

    def _loaded(self, state: HostState, now: float) -> frozenset[str]:
        if self.loaded_lookup is None or state.down_until > now:
            return state.loaded or frozenset()
        if now - state.loaded_at > LOADED_TTL_S:
            names = self.loaded_lookup(state.url)
            state.loaded = frozenset(_with_latest(names or set()))
            state.loaded_at = now
        return state.loaded or frozenset()

    def begin(self, url: str) -> None:
        with self._lock:
            self.hosts[url].in_flight += 1

    def end(self, url: str) -> None:
        with self._lock:
            state = self.hosts[url]
            state.in_flight = max(0, state.in_flight - 1)

    def mark_down(self, url: str, why: str) -> None:
        with self._lock:
            state = self.hosts[url]
            state.down_until = self.clock() + self.cooldown_s
            state.last_error = why

    def mark_up(self, url: str) -> None:
        with self._lock:
            state = self.hosts[url]
            state.down_until = 0.0
            state.last_error = ""
            state.served += 1

    def describe(self) -> list[dict[str, Any]]:
        """Each host's state, for `doctor` and for error messages."""
        now = self.clock()
        with self._lock:
            return [
                {
                    "url": s.url,
                    "state": "cooling down" if s.down_until > now else "ok",
                    "in_flight": s.in_flight,
                    "served": s.served,
                    "last_error": s.last_error,
                }
                for s in self.hosts.values()
            ]


def _with_latest(names: set[str]) -> set[str]:
    return names | {name.removesuffix(":latest") for name in names} | {f"{n}:latest" for n in names if ":" not in n}


_POOLS: dict[tuple[str, ...], HostPool] = {}
_POOLS_LOCK = threading.Lock()


def pool_for(urls: tuple[str, ...], cooldown_s: float = DEFAULT_COOLDOWN_S) -> HostPool:
    """One pool per set of hosts in this process, so roles sharing hosts share health and load."""
    from coding_director.core.backends.ollama import loaded_models

    with _POOLS_LOCK:
        pool = _POOLS.get(urls)
        if pool is None:
            pool = _POOLS[urls] = HostPool(urls, cooldown_s=cooldown_s, loaded_lookup=loaded_models)
        return pool


def _model_of(request: httpx.Request) -> str | None:
    if request.method != "POST":
        return None
    try:
        body = json.loads(request.content or b"{}")
    except (ValueError, httpx.RequestNotRead):
        return None
    model = body.get("model") if isinstance(body, dict) else None
    return model if isinstance(model, str) else None


def _retarget(request: httpx.Request, host: str) -> httpx.Request:
    target = httpx.URL(host)
    path = target.raw_path.rstrip(b"/") + request.url.raw_path if target.raw_path != b"/" else request.url.raw_path
    url = request.url.copy_with(scheme=target.scheme, host=target.host, port=target.port, raw_path=path)
    headers = httpx.Headers(request.headers)
    headers["host"] = url.netloc.decode("ascii")
    return httpx.Request(request.method, url, headers=headers, content=request.content, extensions=request.extensions)


def _no_host(request: httpx.Request, pool: HostPool, errors: list[str]) -> httpx.ConnectError:
    from coding_director.core.postgres import redact_url_password

    tried = "; ".join(redact_url_password(e) for e in errors)
    return httpx.ConnectError(f"no Ollama host in the pool could be reached ({tried})", request=request)


_FAILOVER_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout)


class _Failover:
    """One request's walk through the pool: the order, and what a refusal or a 503 means.

    Shared by the sync and async transports, which only differ in how they send and close."""

    def __init__(self, pool: HostPool, request: httpx.Request) -> None:
        self.pool = pool
        self.request = request
        self.errors: list[str] = []
        self.busy: tuple[str, httpx.Response] | None = None
        """The last host that answered 503, kept as the answer if no host does better."""

    def hosts(self) -> Iterator[str]:
        for host in self.pool.order(_model_of(self.request)):
            self.pool.begin(host)
            yield host

    def refused(self, host: str, exc: Exception) -> None:
        self.pool.end(host)
        self.pool.mark_down(host, f"{type(exc).__name__}: {exc}")
        self.errors.append(f"{host}: connection refused")

    def answered(self, host: str, response: httpx.Response) -> tuple[bool, httpx.Response | None]:
        """(whether to return `response`, a busy host's response that is no longer needed and must be closed)."""
        stale = None
        if self.busy is not None:
            stale = self.busy[1]
            self.pool.end(self.busy[0])
            self.busy = None
        if response.status_code == 503:
            self.busy = (host, response)
            self.errors.append(f"{host}: busy (503)")
            return False, stale
        self.pool.mark_up(host)
        return True, stale

    def give_up(self) -> tuple[str, httpx.Response]:
        """The busy answer if any host gave one; otherwise the error saying what was tried."""
        if self.busy is not None:
            return self.busy
        raise _no_host(self.request, self.pool, self.errors)


class FailoverTransport(httpx.BaseTransport):
    """Sends each request to the pool's best host; a refusal or a 503 goes to the next one at once."""

    def __init__(self, pool: HostPool, inner: httpx.BaseTransport | None = None) -> None:
        self.pool = pool
        self.inner = inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        walk = _Failover(self.pool, request)
        for host in walk.hosts():
            try:
                response = self.inner.handle_request(_retarget(request, host))
            except _FAILOVER_ERRORS as exc:
                walk.refused(host, exc)
                continue
            done, stale = walk.answered(host, response)
            if stale is not None:
                stale.close()
            if done:
                return _tracked(response, partial(self.pool.end, host))
        host, response = walk.give_up()
        return _tracked(response, partial(self.pool.end, host))

    def close(self) -> None:
        self.inner.close()


class AsyncFailoverTransport(httpx.AsyncBaseTransport):
    """The async twin of `FailoverTransport`, for ChatOllama's async client."""

    def __init__(self, pool: HostPool, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self.pool = pool
        self.inner = inner or httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        walk = _Failover(self.pool, request)
        for host in walk.hosts():
            try:
                response = await self.inner.handle_async_request(_retarget(request, host))
            except _FAILOVER_ERRORS as exc:
                walk.refused(host, exc)
                continue
            done, stale = walk.answered(host, response)
            if stale is not None:
                await stale.aclose()
            if done:
                return _atracked(response, partial(self.pool.end, host))
        host, response = walk.give_up()
        return _atracked(response, partial(self.pool.end, host))

    async def aclose(self) -> None:
        await self.inner.aclose()


class _Once:
    def __init__(self, done: Callable[[], None]) -> None:
        self._done: Callable[[], None] | None = done

    def __call__(self) -> None:
        done, self._done = self._done, None
        if done is not None:
            done()


class _TrackedStream(httpx.SyncByteStream):
    def __init__(self, response: httpx.Response, done: Callable[[], None]) -> None:
        self._response = response
        self._done = _Once(done)

    def __iter__(self) -> Iterator[bytes]:
        yield from self._response.stream  # type: ignore[misc]

    def close(self) -> None:
        try:
            self._response.close()
        finally:
            self._done()


class _AsyncTrackedStream(httpx.AsyncByteStream):
    def __init__(self, response: httpx.Response, done: Callable[[], None]) -> None:
        self._response = response
        self._done = _Once(done)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._response.stream:  # type: ignore[union-attr]
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._response.aclose()
        finally:
            self._done()


def _tracked(response: httpx.Response, done: Callable[[], None]) -> httpx.Response:
    """The same response, whose host stops counting as busy once the body is closed."""
    return httpx.Response(
        response.status_code,
        headers=response.headers,
        stream=_TrackedStream(response, done),
        extensions=response.extensions,
    )


def _atracked(response: httpx.Response, done: Callable[[], None]) -> httpx.Response:
    return httpx.Response(
        response.status_code,
        headers=response.headers,
        stream=_AsyncTrackedStream(response, done),
        extensions=response.extensions,
    )


def pooled_client_kwargs(pool: HostPool, timeout_s: float) -> dict[str, Any]:
    """ChatOllama keyword arguments that route its sync and async clients through `pool`."""
    return {
        "base_url": POOL_BASE_URL,
        "client_kwargs": {"timeout": timeout_s},
        "sync_client_kwargs": {"transport": FailoverTransport(pool)},
        "async_client_kwargs": {"transport": AsyncFailoverTransport(pool)},
    }
