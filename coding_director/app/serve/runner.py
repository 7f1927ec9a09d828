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
from typing import Any, Literal

from langchain_core.callbacks import BaseCallbackHandler

from coding_director.app.serve.errors import ServeError, bad_request
from coding_director.app.serve.limits import Admission
from coding_director.core.context import Context, OptionError
from coding_director.core.team import TIERS, tier_title
from coding_director.core.thread_lock import ThreadBusy
from coding_director.graph.turns import turn_input
from coding_director.nodes.finish import best_attempt, reasons_of
from coding_director.state.messages import InvalidRequest

log = logging.getLogger(__name__)

EventKind = Literal["route", "progress", "content", "done", "error", "keepalive"]
"""`route` (the category, as soon as it is known) is for the headers of a response not yet started."""


@dataclass(frozen=True)
class Event:
    kind: EventKind
    text: str = ""
    summary: dict[str, Any] | None = None
    error: ServeError | None = None


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
            raise ThreadBusy(thread_id, wait_s)
        try:
            yield
        finally:
            lock.release()


def _is_retry_of_cut_off_turn(graph: Any, config: dict[str, Any], message: dict[str, Any]) -> bool:
    return message.get("role") == "user" and turn_input(graph, config, str(message.get("content", ""))) is None


def _busy_errors() -> tuple[type[BaseException], ...]:
    """ThreadBusy: one class for every store's locks (core/thread_lock.py)."""
    return (ThreadBusy,)


class Narrator:
    """Turns the graph's updates and tokens into what a client shows: progress on the reasoning
    channel, and the answer's content (after validation; or as written, when provisional)."""

    def __init__(self, provisional: bool, emit: Callable[[Event], None]):
        self.provisional = provisional
        self.emit = emit
        self.streaming_tier: str | None = None
        self.shown = ""
        """What the tier streaming now has written so far (provisional mode)."""
        self.streamed_any = False

    def progress(self, text: str) -> None:
        self.emit(Event("progress", text + "\n"))

    def on_update(self, node: str, change: Any) -> None:
        if not isinstance(change, dict):
            return
        if node == "route" and "route" in change:
            route, decision = change["route"], change.get("decision") or {}
            self.emit(Event("route", str(route["category"])))
            line = f"Routed to {route['category']} ({route['source']}, confidence {route['confidence']:.2f})"
            for skipped in change.get("skipped") or []:
                line += f"; skipping the {tier_title(skipped['tier'])}: {skipped['why']}"
            following = decision.get("next")
            if change.get("cached"):
                line += "; answered from the cache (it passed review before)"
            elif following in TIERS:
                line += f"; the {tier_title(following)} is answering"
            elif decision.get("why"):
                line += f"; {decision['why']}"
            self.progress(line + ".")
        elif node == "validate" and change.get("attempts"):
            self._on_verdict(change["attempts"][-1], change.get("decision") or {})

    def _on_verdict(self, attempt: dict[str, Any], decision: dict[str, Any]) -> None:
        verdict = attempt.get("verdict") or {}
        who = f"the {tier_title(attempt['tier'])} ({attempt['model']})"
        following = decision.get("next")
        if verdict.get("passed"):
            line = f"✓ {who} passed review: {verdict.get('evidence') or 'checks passed'}."
            if following in TIERS:  # a pass nothing ran goes on (CONFIRM_UNCHECKED)
                line += f" Going on: {decision['why']}."
            self.progress(line)
            return
        why = "; ".join(reasons_of(attempt))  # type: ignore[arg-type]
        line = f"✗ {who} failed review: {why}."
        if following in TIERS:
            line += f" Escalating: the {tier_title(following)} is answering."
            if self.provisional and self.streaming_tier == attempt["tier"]:
                self.emit(
                    Event(
                        "content",
                        f"\n\n---\n✗ The {tier_title(attempt['tier'])}'s answer above failed review: {why}\n"
                        f"The {tier_title(following)} answers next:\n\n",
                    )
                )
        elif decision.get("why"):
            line += f" Stopping: {decision['why']}."
        self.progress(line)

    def on_token(self, chunk: Any, metadata: dict[str, Any]) -> None:
        if not self.provisional:
            return
        node = metadata.get("langgraph_node")
        text = getattr(chunk, "text", "") if node in TIERS else ""
        if not isinstance(text, str) or not text:
            return
        if node != self.streaming_tier:
            self.streaming_tier, self.shown = node, ""
        self.shown += text
        self.streamed_any = True
        self.emit(Event("content", text))

    def final_content(self, final: str) -> str:
        """The content still to send once the run is done: all of it, unless provisional streaming has
        already shown its beginning (then only what the director added: notes, the review summary)."""
        if not self.provisional or not self.streamed_any:
            return final
        if self.shown and final.startswith(self.shown):
            return final[len(self.shown) :]
        return "\n\n---\n" + final


def summarise(result: dict[str, Any], seconds: float, *, provisional: bool, thread_id: str | None) -> dict[str, Any]:
    """The `coding_director` object: what really happened, for bodies, the last chunk, headers and the log."""
    attempts = result.get("attempts") or []
    cached = result.get("cached")
    route = result.get("route") or {}
    answered: dict[str, Any] | None = None
    if cached:
        answered = {"tier": cached["tier"], "model": cached["model"], "passed": True, "strength": None}
    elif attempts:
        best = best_attempt(attempts)
        verdict: dict[str, Any] = dict(best.get("verdict") or {})
        answered = {
            "tier": best["tier"],
            "model": best["model"],
            "passed": bool(verdict.get("passed")),
            "strength": verdict.get("strength"),
        }
    input_tokens = sum(a.get("input_tokens") or 0 for a in attempts)
    output_tokens = sum(a.get("output_tokens") or 0 for a in attempts)
    return {
        "request_id": result.get("request_id"),
        "thread_id": thread_id,
        "stream_mode": "provisional" if provisional else "verified",
        "route": {
            key: route[key] for key in ("category", "source", "confidence", "first_tier", "reasons") if key in route
        },
        "attempts": [
            {
                "tier": a["tier"],
                "model": a["model"],
                "passed": bool(a.get("verdict") and a["verdict"]["passed"]),
                "strength": (a.get("verdict") or {}).get("strength"),
                "reasons": reasons_of(a) if not (a.get("verdict") and a["verdict"]["passed"]) else [],
                "duration_s": a.get("duration_s"),
                "input_tokens": a.get("input_tokens"),
                "output_tokens": a.get("output_tokens"),
            }
            for a in attempts
        ],
        "answered_by": answered,
        "outcome": result.get("outcome"),
        "why": (result.get("decision") or {}).get("why", ""),
        "cached": bool(cached),
        "duration_s": round(seconds, 3),
        "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens},
        "finish_reason": "length" if attempts and best_attempt(attempts).get("done_reason") == "length" else "stop",
    }


def summary_headers(summary: dict[str, Any]) -> dict[str, str]:
    """X-Coding-Director-* headers: which route, which tiers with their verdicts, what answered, the outcome."""
    answered = summary.get("answered_by") or {}
    verdict = "passed" if answered.get("passed") else "failed" if answered else "none"
    if answered.get("strength"):
        verdict += f"; {answered['strength']}"
    tiers = ",".join(f"{a['tier']}:{'passed' if a['passed'] else 'failed'}" for a in summary["attempts"])
    headers = {
        "X-Coding-Director-Route": str(summary["route"].get("category", "")),
        "X-Coding-Director-Tiers": tiers or ("cache" if summary["cached"] else ""),
        "X-Coding-Director-Verdict": verdict,
        "X-Coding-Director-Model": str(answered.get("model", "")),
        "X-Coding-Director-Outcome": str(summary.get("outcome") or ""),
    }
    # header values are latin-1 on the wire; a model name is ASCII in practice, but never crash on one
    return {k: v.encode("latin-1", "replace").decode("latin-1") for k, v in headers.items()}


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
            payload: dict[str, Any] | None = {"messages": request.messages[-1:]}
            lock = self.graphs.locks.hold(request.thread_id, self.settings.thread_wait_s)
        else:
            graph = self.graphs.stateless
            payload = {"messages": request.messages}
            lock = contextlib.nullcontext()
        try:
            with lock:
                if run.cancelled.is_set():  # the client left while it waited for the thread
                    return
                if request.thread_id is not None and _is_retry_of_cut_off_turn(graph, config, request.messages[-1]):
                    payload = None  # a worker died mid-way through this very turn: resume it, don't ask twice
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
