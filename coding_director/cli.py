"""`coding-director`: ask once, chat in a thread, or see how a request would be routed."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import time
import uuid
from typing import Any

from coding_director.settings import BACKENDS, Settings, SettingsError, load_settings

log = logging.getLogger("coding_director")


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def trace_line(result: dict[str, Any], seconds: float) -> str:
    """One line: route, each tier tried with its verdict, time and tokens."""
    route = result.get("route") or {}
    parts = [
        f"route: {route.get('category', '?')} ({route.get('source', '?')} {route.get('confidence', 0):.2f})"
    ]
    steps = []
    tokens = 0
    for attempt in result.get("attempts", []):
        verdict = attempt.get("verdict") or {}
        mark = "✓" if verdict.get("passed") else "✗"
        why = "" if verdict.get("passed") else f" ({(verdict.get('reasons') or ['?'])[0]})"
        steps.append(f"{attempt['tier']} [{attempt['model']}] {mark}{why}")
        tokens += (attempt.get("input_tokens") or 0) + (attempt.get("output_tokens") or 0)
    if steps:
        parts.append(" → ".join(steps))
    parts.append(f"{seconds:.1f} s")
    if tokens:
        parts.append(f"{tokens} tokens")
    return " · ".join(parts)


def backend_line(graph: Any) -> str:
    """Which backend answers, and why: said before the first answer."""
    registry = graph.services.models
    choices = {}
    for role in ("lead", "math", "senior", "principal", "router"):
        choice = registry.choice(role)
        choices.setdefault((choice.backend, choice.reason), []).append(role)
    lines = []
    for (backend, reason), roles in choices.items():
        who = "" if len(choices) == 1 else f" for {', '.join(roles)}"
        name = "the embedded model (SmolLM2-135M-Instruct)" if backend == "embedded" else backend
        lines.append(f"backend{who}: {name} — {reason}")
    return "\n".join(lines)


def _build(args: argparse.Namespace, settings: Settings, memory: bool) -> Any:
    from graph import build_graph

    return build_graph(settings=settings, checkpointer="sqlite" if memory else None)


def _report_progress(node: str, change: Any) -> None:
    if not isinstance(change, dict):
        return
    if node == "route" and "route" in change:
        route = change["route"]
        _err(f"… routed to {route['category']} ({route['source']}); {route['first_tier']} answering")
    elif node == "validate":
        attempt = change["attempts"][-1]
        verdict = attempt["verdict"]
        if verdict["passed"]:
            _err(f"… {attempt['tier']} passed review")
        else:
            _err(f"… {attempt['tier']} failed review: {'; '.join(verdict['reasons'])}")


def _run_once(graph: Any, text: str, thread_id: str, args: argparse.Namespace) -> dict:
    """Answer one request, showing progress on stderr, the answer on stdout, then the trace."""
    configurable: dict[str, Any] = {"thread_id": thread_id}
    if args.max_attempts:
        configurable["max_attempts"] = args.max_attempts
    started = time.perf_counter()
    result: dict[str, Any] = {}
    for mode, chunk in graph.stream(
        {"messages": [("user", text)]},
        {"configurable": configurable},
        stream_mode=["updates", "values"],
    ):
        if mode == "values":
            result = chunk
        elif not args.quiet:
            for node, change in chunk.items():
                _report_progress(node, change)
    print(result.get("final_answer", ""), flush=True)
    _err(trace_line(result, time.perf_counter() - started))
    return result


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    text = " ".join(args.prompt) if args.prompt else ""
    if not text and not sys.stdin.isatty():
        text = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    if not text.strip():
        _err('error: nothing to ask. Usage: coding-director ask "your request" (or pipe it on stdin)')
        return 2
    graph = _build(args, settings, memory=bool(args.thread))
    if not args.quiet:
        _err(backend_line(graph))
    result = _run_once(graph, text, args.thread or f"ask-{uuid.uuid4().hex[:8]}", args)
    return 0 if result.get("outcome") == "passed" else 1


CHAT_HELP = "commands: /history  /new  /quit   (anything else is a request)"


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401  # line editing and history where the terminal has it
    graph = _build(args, settings, memory=True)
    thread = args.thread or f"chat-{uuid.uuid4().hex[:8]}"
    previous = graph.get_state({"configurable": {"thread_id": thread}}).values.get("messages", [])
    _err(backend_line(graph))
    _err(f"thread: {thread}" + (f" (resumed, {len(previous)} messages)" if previous else " (new)"))
    _err(CHAT_HELP)
    interactive = sys.stdin.isatty()
    while True:
        try:
            line = input("you> " if interactive else "")
        except EOFError:
            break
        except KeyboardInterrupt:
            _err("")
            break
        text = line.strip()
        if not text:
            continue
        if text in ("/quit", "/exit"):
            break
        if text == "/new":
            thread = f"chat-{uuid.uuid4().hex[:8]}"
            _err(f"thread: {thread} (new)")
            continue
        if text == "/history":
            for message in graph.get_state({"configurable": {"thread_id": thread}}).values.get(
                "messages", []
            ):
                who = "you" if message.type == "human" else "director"
                print(f"{who}: {message.text}")
            continue
        try:
            _run_once(graph, text, thread, args)
        except KeyboardInterrupt:
            _err("(stopped; the thread is kept)")
    _err(f"bye — resume with: coding-director chat --thread {thread}")
    return 0


def cmd_route(args: argparse.Namespace, settings: Settings) -> int:
    from nodes.router import classify

    text = " ".join(args.prompt)
    print(json.dumps(classify(text).to_dict(), indent=2))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coding-director",
        description="A local multi-model coding assistant: routes, answers, validates, escalates.",
    )
    parser.add_argument("--backend", choices=BACKENDS, help="override BACKEND from .env")
    parser.add_argument("--env-file", help="read settings from this file instead of ./.env")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens inside")
    sub = parser.add_subparsers(dest="command", required=True)

    ask = sub.add_parser("ask", help="answer one request and print a one-line trace")
    ask.add_argument("prompt", nargs="*", help="the request (or pipe it on stdin)")
    ask.add_argument("--thread", help="keep the exchange in this conversation thread")
    ask.add_argument("--max-attempts", type=int, help="cap on attempts for this request")
    ask.add_argument("-q", "--quiet", action="store_true", help="print only the answer and the trace")
    ask.set_defaults(run=cmd_ask)

    chat = sub.add_parser("chat", help="a conversation that persists across restarts")
    chat.add_argument("--thread", help="thread name to start or resume")
    chat.add_argument("--max-attempts", type=int, help="cap on attempts per request")
    chat.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    chat.set_defaults(run=cmd_chat)

    route = sub.add_parser("route", help="show how a request would be routed (no model call)")
    route.add_argument("prompt", nargs="+")
    route.set_defaults(run=cmd_route)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if args.backend:
        os.environ["BACKEND"] = args.backend
    try:
        settings = load_settings(args.env_file)
        return args.run(args, settings)
    except SettingsError as exc:
        _err(f"error: {exc}")
        return 2
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except Exception as exc:  # never a raw traceback at a user; -v shows it
        if args.verbose:
            raise
        _err(f"error: {type(exc).__name__}: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
