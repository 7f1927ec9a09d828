"""Showing a request's progress in a terminal: status lines, streamed tokens, the trace."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

from langgraph.types import Command

from coding_director.core.redaction import redact_urls
from coding_director.core.team import TIERS
from coding_director.graph.turns import turn_input

TIER_NODES = set(TIERS)


def status(text: str) -> None:
    """A progress line, on stderr (stdout is for the answer); a password inside a URL is never shown."""
    print(redact_urls(text), file=sys.stderr, flush=True)


def age_text(seconds: float) -> str:
    if seconds >= 86400:
        return f"{seconds / 86400:.1f} days"
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 60:.0f} min" if seconds >= 60 else f"{seconds:.0f} s"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def trace_line(result: dict[str, Any], seconds: float) -> str:
    """One line: route, each tier tried with its verdict (or where a cached answer came from), time and tokens."""
    route = result.get("route") or {}
    parts = [f"route: {route.get('category', '?')} ({route.get('source', '?')} {route.get('confidence', 0):.2f})"]
    steps = []
    tokens = 0
    cached = result.get("cached") if result.get("outcome") == "cached" else None
    if cached:
        steps.append(f"cache: {cached['tier']} [{cached['model']}] ✓ (answered {age_text(cached['age_s'])} ago)")
    for attempt in result.get("attempts", []):
        verdict = attempt.get("verdict") or {}
        mark = "✓" if verdict.get("passed") else "✗"
        if verdict.get("passed"):  # how strong the evidence is: examples ran, own tests, or static checks only
            why = f" ({verdict['evidence']})" if verdict.get("evidence") else ""
            if attempt.get("selection"):  # a sampling tier says how it chose among its candidates
                why += f" [{attempt['selection']}]"
        else:
            why = f" ({(verdict.get('reasons') or [attempt.get('error') or '?'])[0]})"
        steps.append(f"{attempt['tier']} [{attempt['model']}] {mark}{why}")
        tokens += (attempt.get("input_tokens") or 0) + (attempt.get("output_tokens") or 0)
    if steps:
        parts.append(" → ".join(steps))
    parts.append(f"{seconds:.1f} s")
    if tokens:
        parts.append(_plural(tokens, "token"))
    return redact_urls(" · ".join(parts))


def _provisional_target() -> TextIO:
    """Where streamed (provisional) tokens go: the terminal. Into a pipe or a file, stdout only ever
    receives the final answer, so they go to stderr then."""
    return sys.stdout if sys.stdout.isatty() else sys.stderr


@dataclass
class RunView:
    """Follows one run's events; with `stream`, tokens are shown as the tier writes them."""

    stream: bool
    quiet: bool
    out: TextIO = field(default_factory=lambda: sys.stdout)
    live: TextIO = field(default_factory=_provisional_target)
    streamed_tier: str | None = None
    passed_tier: str | None = None
    result: dict[str, Any] = field(default_factory=dict)
    pause: Any = None

    def on_update(self, node: str, change: Any) -> None:
        if node == "__interrupt__":
            self.pause = change[0].value if change else None
            return
        if not isinstance(change, dict) or self.quiet:
            return
        if node == "route" and "route" in change:
            route = change["route"]
            cached = change.get("cached")
            if cached:
                status(
                    f"… routed to {route['category']} ({route['source']}); answered from the cache: "
                    f"{cached['tier']} ({cached['model']}) passed review {age_text(cached['age_s'])} ago"
                )
            else:
                status(f"… routed to {route['category']} ({route['source']}); {route['first_tier']} answering")
        elif node == "validate":
            attempt = change["attempts"][-1]
            verdict = attempt["verdict"]
            if self.streamed_tier:
                self.live.write("\n")
                self.live.flush()
            label = "answer above is provisional: " if self.streamed_tier else ""
            if verdict["passed"]:
                # only a streamed answer is already on screen (a sampling tier streams nothing)
                self.passed_tier = attempt["tier"] if self.streamed_tier == attempt["tier"] else None
                evidence = f" ({verdict['evidence']})" if verdict.get("evidence") else ""
                status(f"✓ {attempt['tier']} passed review{evidence}")
                decision = change.get("decision") or {}
                if decision.get("next") in TIER_NODES:  # a pass nothing ran goes on (CONFIRM_UNCHECKED)
                    status(f"… {decision['why']}")
            elif attempt.get("error"):  # a transport or model fault: nothing was reviewed
                status(f"✗ {label}{attempt['tier']} could not answer: {attempt['error']}")
            else:
                status(f"✗ {label}{attempt['tier']} failed review: {'; '.join(verdict['reasons'])}")
            self.streamed_tier = None

    def on_token(self, chunk: Any, metadata: dict[str, Any]) -> None:
        node = metadata.get("langgraph_node")
        if not self.stream or node not in TIER_NODES or not chunk.content:
            return
        if self.streamed_tier != node:
            self.streamed_tier = node
            if not self.quiet:
                status(f"── {node} (provisional until reviewed) ──")
        self.live.write(chunk.content)
        self.live.flush()

    def finish(self) -> None:
        """Print what the user should keep: the final answer, unless it already streamed to stdout and passed."""
        if self.pause is not None:
            return
        final = self.result.get("final_answer", "")
        streamed_and_passed = (
            self.stream and self.live is self.out and self.passed_tier and self.result.get("outcome") == "passed"
        )
        if not streamed_and_passed:
            if self.stream and not self.quiet:
                status("── final answer ──")
            print(final, file=self.out, flush=True)


@contextlib.contextmanager
def cancel_on_interrupt(graph: Any) -> Iterator[None]:
    """Ctrl-C stops the model call under way, then interrupts as usual.

    The cancel has to happen in the signal handler: LangGraph waits for its running node to finish
    before the KeyboardInterrupt reaches the caller, so cancelling there would come too late.
    """
    services = getattr(graph, "services", None)
    if services is None or threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        services.models.cancel()
        signal.default_int_handler(signum, frame)

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def run_request(
    graph: Any,
    request: Any,
    config: dict[str, Any],
    *,
    stream: bool,
    quiet: bool,
    context: dict[str, Any] | None = None,
) -> tuple[RunView, float]:
    """Drive one run (a new message, or a `Command(resume=...)`) and show it as it happens."""
    view = RunView(stream=stream, quiet=quiet)
    started = time.perf_counter()
    modes = ["updates", "values", "messages"] if stream else ["updates", "values"]
    # the same question again after a run was cut off (a killed process) resumes that run
    payload = request if isinstance(request, Command) else turn_input(graph, config, request)
    with cancel_on_interrupt(graph):
        for mode, chunk in graph.stream(payload, config, context=context or {}, stream_mode=modes):
            if mode == "values":
                view.result = chunk
            elif mode == "messages":
                view.on_token(*chunk)
            else:
                for node, change in chunk.items():
                    view.on_update(node, change)
    return view, time.perf_counter() - started


def answer(
    graph: Any,
    text: str,
    config: dict[str, Any],
    *,
    stream: bool,
    quiet: bool,
    decide: Callable[[dict[str, Any]], Any] | None = None,
    context: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Answer `text` with per-call options `context`; when the graph asks the human (and `decide` is
    given), ask and resume."""
    view, seconds = run_request(graph, text, config, stream=stream, quiet=quiet, context=context)
    while view.pause is not None and decide is not None:
        decision = decide(view.pause)
        view, more = run_request(graph, Command(resume=decision), config, stream=stream, quiet=quiet, context=context)
        seconds += more
    view.finish()
    status(trace_line(view.result, seconds))
    return view.result
