"""Running one served request through the graph, as a stream of events the API layers format.

The graph and its checkpointers are synchronous, so each run drives `graph.stream()` on a thread of its
own (one per admitted request); its events cross to the event loop through an asyncio queue. Cancelling
a run (the client went away, the server is shutting down) stops the stream between steps, and a
callback stops a model that is still generating at its next token, so no tier goes on writing for nobody.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler

from coding_director.app.serve.errors import ServeError, bad_request
from coding_director.app.serve.limits import Admission
from coding_director.app.serve.narration import Event, Narrator, summarise
from coding_director.core.context import Context, OptionError
from coding_director.state.messages import InvalidRequest

log = logging.getLogger(__name__)


@dataclass
class RunRequest:
    """One request as the graph takes it, whichever API it came through."""

    messages: list[dict[str, str]]
    """The conversation, oldest first ({"role", "content"}); the last is the user's new turn."""
    context: dict[str, Any]
    provisional: bool
    thread_id: str | None = None


class RunCancelled(Exception):
    """Raised inside a model call whose client has gone away: stops its generation."""


class _StopWhenCancelled(BaseCallbackHandler):
    """Stops a model call at its next token (or before it starts) once its run is cancelled."""

    raise_error = True

    def __init__(self, cancelled: threading.Event):
        self.cancelled = cancelled

    def _check(self) -> None:
        if self.cancelled.is_set():
            raise RunCancelled("the client went away")

    def on_chat_model_start(self, *args: Any, **kwargs: Any) -> None:
        self._check()

    def on_llm_new_token(self, *args: Any, **kwargs: Any) -> None:
        self._check()


class ThreadBusy(RuntimeError):
    """Another request on the same conversation thread is still running."""


class LocalThreadLocks:
    """One request at a time per thread within this process (the store's own locks, where it has them,
    also serialise across processes)."""

    def __init__(self) -> None:
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    @contextlib.contextmanager
    def hold(self, thread_id: str, wait_s: float) -> Iterator[None]:
        with self._guard:
            lock = self._locks.setdefault(thread_id, threading.Lock())
        if not lock.acquire(timeout=wait_s):
            raise ThreadBusy(f"thread {thread_id} is busy: another request on it is still running")
        try:
            yield
        finally:
            lock.release()


def _busy_errors() -> tuple[type[BaseException], ...]:
    """ThreadBusy as this server and the configured store spell it."""
    errors: list[type[BaseException]] = [ThreadBusy]
    with contextlib.suppress(ImportError):
        from coding_director.core.postgres import ThreadBusy as PostgresBusy

        errors.append(PostgresBusy)
    return tuple(errors)


@dataclass
class Graphs:
    """The graph compiled twice over the same services: without memory (a request's `messages` are the whole
    conversation) and with the configured checkpointer (for `X-Thread-Id`)."""

    stateless: Any
    threaded: Any | None
    services: Any
    locks: Any


def graphs_for(graph: Any) -> Graphs:
    from coding_director.graph import GRAPH_NAME

    services = graph.services
    if graph.checkpointer is None:
        stateless, threaded = graph, None
    else:
        stateless, threaded = graph.builder.compile(checkpointer=None, name=GRAPH_NAME), graph
    store = getattr(services, "store", None)
    locks = getattr(store, "locks", None) or LocalThreadLocks()
    return Graphs(stateless=stateless, threaded=threaded, services=services, locks=locks)


@dataclass(eq=False)
class Run:
    """One admitted request: its events, and a way to stop it."""

    queue: asyncio.Queue[Event]
    cancelled: threading.Event
    keepalive_s: float
    draining: Callable[[], float | None]
    """When the server began shutting down (monotonic seconds), or None."""
    shutdown_grace_s: float
    started: float = field(default_factory=time.perf_counter)
    route: str = ""
    """The request's category once routed (for a streamed response's headers)."""
    routed: asyncio.Event = field(default_factory=asyncio.Event)
    failed: ServeError | None = None
    """The run's error, once it has one (a response not yet started answers with its status)."""
    _last: float = field(default_factory=time.perf_counter)

    def cancel(self) -> None:
        self.cancelled.set()

    async def route_within(self, seconds: float) -> str:
        """The route, if it is decided within `seconds` (rules take microseconds; a router model may not)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.routed.wait(), timeout=seconds)
        return self.route

    async def events(self) -> AsyncIterator[Event]:
        """Progress, content, then `done` or `error`; `keepalive` when nothing happened for a while."""
        while True:
            try:
                event = await asyncio.wait_for(self.queue.get(), timeout=min(self.keepalive_s, 0.5))
            except TimeoutError:
                if self.cancelled.is_set():  # the client went away: nothing more will come, or be read
                    yield Event("error", error=ServeError(499, "the client closed the request", code="client_closed"))
                    return
                since = self.draining()
                if since is not None and time.monotonic() - since >= self.shutdown_grace_s:
                    self.cancel()
                    yield Event(
                        "error",
                        error=ServeError(
                            503, "the server is shutting down; this request was cancelled: send it again",
                            code="shutting_down", headers={"Retry-After": "5"},
                        ),
                    )  # fmt: skip
                    return
                if time.perf_counter() - self._last >= self.keepalive_s:
                    self._last = time.perf_counter()
                    yield Event("keepalive")
                continue
            self._last = time.perf_counter()
            yield event
            if event.kind in ("done", "error"):
                return


class Runner:
    """Admits requests (bounded concurrency and queue), and runs each on a thread of its own."""

    def __init__(self, graphs: Graphs, settings: Any, draining: Callable[[], float | None] = lambda: None):
        self.graphs = graphs
        self.settings = settings
        self.admission = Admission(settings.serve_max_concurrent, settings.serve_max_queue)
        self.executor = ThreadPoolExecutor(settings.serve_max_concurrent, thread_name_prefix="serve-run")
        self.draining = draining
        self.active: set[Run] = set()
        self._busy = _busy_errors()

    def check(self, request: RunRequest) -> Context:
        """Refuse what the graph would refuse, before anything is streamed."""
        if request.thread_id is not None and self.graphs.threaded is None:
            raise bad_request("this server keeps no conversations (it has no memory configured): drop X-Thread-Id")
        try:
            return Context.model_validate({**request.context, "human_escalation": False})
        except OptionError as exc:
            raise bad_request(str(exc), param="coding_director") from None

    async def start(self, request: RunRequest) -> Run:
        """Admit and start the run; raises ServeError (queue full, busy thread, bad input) before any event."""
        context = self.check(request)
        await self.admission.enter()
        loop = asyncio.get_running_loop()
        run = Run(
            queue=asyncio.Queue(),
            cancelled=threading.Event(),
            keepalive_s=self.settings.serve_keepalive_s,
            draining=self.draining,
            shutdown_grace_s=self.settings.serve_shutdown_grace_s,
        )
        ready: asyncio.Future[ServeError | None] = loop.create_future()

        def deliver(event: Event | None, first: ServeError | None = None) -> None:
            def put() -> None:
                if not ready.done():
                    ready.set_result(first)
                if event is not None and event.kind == "route":
                    run.route = event.text
                    run.routed.set()
                elif event is not None:
                    if event.kind == "error":
                        run.failed = event.error
                    if event.kind in ("error", "done"):
                        run.routed.set()  # nothing more to wait for
                    run.queue.put_nowait(event)

            with contextlib.suppress(RuntimeError):  # the loop is closed: the server has stopped
                loop.call_soon_threadsafe(put)

        def release(_: Any) -> None:
            def finished() -> None:
                self._finished(run)
                if not ready.done():  # never started (the server is stopping): say so rather than hang
                    error = ServeError(503, "the server is shutting down: send the request again", code="shutting_down")
                    ready.set_result(error)

            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(finished)

        self.active.add(run)
        try:
            future = self.executor.submit(self._drive, request, context, run, deliver)
        except RuntimeError:  # the executor is shut down: the server is stopping
            self._finished(run)
            raise ServeError(503, "the server is shutting down: send the request again", code="shutting_down",
                             headers={"Retry-After": "5"}) from None  # fmt: skip
        future.add_done_callback(release)
        try:
            refused = await ready
        except asyncio.CancelledError:
            run.cancel()
            raise
        if refused is not None:
            raise refused
        return run

    def _finished(self, run: Run) -> None:
        self.active.discard(run)
        self.admission.leave()

    def _drive(self, request: RunRequest, context: Context, run: Run, deliver: Callable[..., None]) -> None:
        """On the run's thread: take the thread lock, stream the graph, hand each event to the loop."""
        narrator = Narrator(request.provisional, lambda event: deliver(event))
        config: dict[str, Any] = {"callbacks": [_StopWhenCancelled(run.cancelled)]}
        if request.thread_id is not None:
            graph = self.graphs.threaded
            config["configurable"] = {"thread_id": request.thread_id}
            payload = {"messages": request.messages[-1:]}
            lock = self.graphs.locks.hold(request.thread_id, self.settings.serve_thread_wait_s)
        else:
            graph = self.graphs.stateless
            payload = {"messages": request.messages}
            lock = contextlib.nullcontext()
        try:
            with lock:
                if run.cancelled.is_set():  # the client left while it waited for the thread
                    return
                deliver(None)  # admitted and holding the thread: the response may start
                result = self._stream(graph, payload, config, context, run, narrator)
            if result is None:
                return
            summary = summarise(
                result, time.perf_counter() - run.started, provisional=request.provisional, thread_id=request.thread_id
            )
            rest = narrator.final_content(result.get("final_answer", ""))
            if rest:
                deliver(Event("content", rest))
            deliver(Event("done", summary=summary))
        except self._busy as exc:
            deliver(None, ServeError(409, str(exc), param="X-Thread-Id", code="thread_busy"))
        except (InvalidRequest, OptionError) as exc:
            error = bad_request(str(exc), param="messages")
            deliver(Event("error", error=error), error)
        except Exception as exc:
            if run.cancelled.is_set():
                return
            log.exception("a served run failed")
            error = ServeError(500, f"internal error: {type(exc).__name__}; the server log has the details")
            deliver(Event("error", error=error), error)

    @staticmethod
    def _stream(
        graph: Any, payload: Any, config: Any, context: Context, run: Run, narrator: Narrator
    ) -> dict[str, Any] | None:
        """The run's final state, narrating as it goes; None when it was cancelled."""
        result: dict[str, Any] = {}
        stream = graph.stream(payload, config, context=context, stream_mode=["updates", "messages", "values"])
        try:
            for mode, chunk in stream:
                if run.cancelled.is_set():
                    return None
                if mode == "values":
                    result = chunk
                elif mode == "messages":
                    narrator.on_token(*chunk)
                else:
                    for node, change in chunk.items():
                        narrator.on_update(node, change)
        finally:
            stream.close()
        return None if run.cancelled.is_set() else result

    def shutdown(self) -> None:
        for run in list(self.active):
            run.cancel()
        self.executor.shutdown(wait=False, cancel_futures=True)


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:24]}"
