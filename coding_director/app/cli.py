"""`coding-director`: ask once, chat in a thread, route, check the setup, summarise the run log."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import uuid
from pathlib import Path
from typing import Any

from coding_director.app.console import answer, status
from coding_director.core.memory import MemoryUnavailable
from coding_director.core.settings import BACKENDS, Settings, SettingsError, load_settings
from coding_director.core.store import StoreUnavailable
from coding_director.core.team import DEFAULT_RETRY_TIER, RETRY_TIERS, ROLES, TIER_ALIASES, tier_of

RETRY_ALIASES = "|".join(alias for alias, tier in TIER_ALIASES.items() if tier in RETRY_TIERS)

log = logging.getLogger("coding_director")


def backend_line(graph: Any) -> str:
    """Which backend answers, and why: said before the first answer."""
    registry = graph.services.models
    choices: dict[tuple[str, str], list[str]] = {}
    for role in ROLES:
        choice = registry.choice(role)
        choices.setdefault((choice.backend, choice.reason), []).append(role)
    lines = []
    for (backend, reason), roles in choices.items():
        who = "" if len(choices) == 1 else f" for {', '.join(roles)}"
        name = "the embedded model (SmolLM2-135M-Instruct)" if backend == "embedded" else backend
        lines.append(f"backend{who}: {name} — {reason}")
    return "\n".join(lines)


def _build(settings: Settings, memory: bool) -> Any:
    from coding_director.graph import build_graph

    return build_graph(settings=settings, checkpointer="sqlite" if memory else None)


def _config(thread: str, args: argparse.Namespace, **extra: Any) -> dict[str, Any]:
    configurable: dict[str, Any] = {"thread_id": thread, **extra}
    for option in ("max_attempts", "max_tiers", "max_model_s", "max_wall_s"):
        if getattr(args, option, None):
            configurable[option] = getattr(args, option)
    if getattr(args, "no_cache", False):
        configurable["no_cache"] = True
    return {"configurable": configurable}


def _wants_stream(args: argparse.Namespace) -> bool:
    if args.stream is not None:
        return args.stream
    return sys.stdout.isatty()


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    text = " ".join(args.prompt) if args.prompt else ""
    if not text and not sys.stdin.isatty():
        text = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    if not text.strip():
        status('error: nothing to ask. Usage: coding-director ask "your request" (or pipe it on stdin)')
        return 2
    graph = _build(settings, memory=bool(args.thread))
    if not args.quiet:
        status(backend_line(graph))
    thread = args.thread or f"ask-{uuid.uuid4().hex[:8]}"
    result = answer(graph, text, _config(thread, args), stream=_wants_stream(args), quiet=args.quiet)
    return 0 if result.get("outcome") == "passed" else 1


CHAT_HELP = (
    "commands: /history  /threads  /new  /route <text>  /quit   (anything else is a request; "
    "Ctrl-C stops an answer and keeps the thread)"
)


def _ask_person(request: dict[str, Any]) -> dict[str, Any]:
    """The chat's answer to a human escalation: accept, retry [tier] <hint>, or stop."""
    best = request["best_attempt"]
    status(f"\n{request['question']}")
    status(f"best attempt ({best['tier']}, {best['model']}): {'; '.join(best['reasons']) or 'no reasons'}")
    status(f"reply: accept | retry [{RETRY_ALIASES}] <hint> | stop")
    while True:
        try:
            line = input("decide> " if sys.stdin.isatty() else "").strip()
        except EOFError:
            return {"action": "accept"}
        word, _, rest = line.partition(" ")
        if word in ("accept", "stop", "a", "s"):
            return {"action": "stop" if word.startswith("s") else "accept"}
        if word in ("retry", "r"):
            first, _, hint = rest.partition(" ")
            tier = tier_of(first)
            if tier not in RETRY_TIERS:
                tier, hint = DEFAULT_RETRY_TIER, rest
            return {"action": "retry", "hint": hint.strip(), "tier": tier}
        status("please reply accept, retry … or stop")


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401  # line editing and history where the terminal has it
    from coding_director.core.memory import list_threads
    from coding_director.nodes.router import classify
    from coding_director.nodes.router.classifier import active_model, user_model_path

    graph = _build(settings, memory=True)
    thread = args.thread or f"chat-{uuid.uuid4().hex[:8]}"
    previous = graph.get_state({"configurable": {"thread_id": thread}}).values.get("messages", [])
    status(backend_line(graph))
    status(f"thread: {thread}" + (f" (resumed, {len(previous)} messages)" if previous else " (new)"))
    status(CHAT_HELP)
    interactive = sys.stdin.isatty()
    while True:
        try:
            line = input("you> " if interactive else "")
        except EOFError:
            break
        except KeyboardInterrupt:
            status("")
            break
        text = line.strip()
        if not text:
            continue
        command, _, rest = text.partition(" ")
        if command in ("/quit", "/exit"):
            break
        if command == "/help":
            status(CHAT_HELP)
        elif command == "/new":
            thread = f"chat-{uuid.uuid4().hex[:8]}"
            status(f"thread: {thread} (new)")
        elif command == "/threads":
            for name in list_threads(graph.checkpointer):
                print(("* " if name == thread else "  ") + name)
        elif command == "/history":
            for message in graph.get_state({"configurable": {"thread_id": thread}}).values.get("messages", []):
                who = "you" if message.type == "human" else "director"
                print(f"{who}: {message.text}")
        elif command == "/route":
            print(json.dumps(classify(rest, active_model(user_model_path(settings))).to_dict(), indent=2))
        else:
            try:
                answer(
                    graph,
                    text,
                    _config(thread, args, human_escalation=not args.no_human),
                    stream=_wants_stream(args),
                    quiet=args.quiet,
                    decide=_ask_person,
                )
            except KeyboardInterrupt:
                status("\n(stopped; the thread is kept)")
    status(f"bye — resume with: coding-director chat --thread {thread}")
    return 0


def cmd_route(args: argparse.Namespace, settings: Settings) -> int:
    from coding_director.nodes.router import classify
    from coding_director.nodes.router.classifier import active_model, user_model_path

    print(json.dumps(classify(" ".join(args.prompt), active_model(user_model_path(settings))).to_dict(), indent=2))
    return 0


def cmd_doctor(args: argparse.Namespace, settings: Settings) -> int:
    from coding_director.app.doctor import diagnose

    report = diagnose(settings)
    print("\n".join(report.lines))
    return 0 if report.can_answer else 1


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    from coding_director.app.stats import plot, render_table, summarise
    from coding_director.core.runlog import RunLog
    from coding_director.core.store import open_store

    store = open_store(settings)
    path = Path(args.log) if args.log else settings.run_log_file if store.kind == "sqlite" else store.where
    records = RunLog(Path(args.log)).records() if args.log else store.run_log.records()
    summary = summarise(records)
    negative = store.cache.negative_record()
    store.close()
    if args.json:
        summary["negative_record"] = [{"model": m, "category": c, "check": k, "failures": n} for m, c, k, n in negative]
        print(json.dumps(summary, indent=2))
    else:
        print(f"run log: {path}")
        print(render_table(summary))
        if negative:
            print(f"\n{'model':<44}{'route':>8}  {'failing check':<16}{'times':>6}")
            for model, category, kind, count in negative[:15]:
                print(f"{model[:43]:<44}{category:>8}  {kind:<16}{count:>6}")
    if args.plot:
        if not records:
            status("nothing to plot: the run log is empty")
            return 1
        try:
            plot(summary, records, Path(args.plot))
        except ImportError:
            status("plotting needs matplotlib: pip install matplotlib")
            return 2
        status(f"plot written to {args.plot}")
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

    def answering(p: argparse.ArgumentParser) -> None:
        p.add_argument("--max-attempts", type=int, help="budget: attempts per request")
        p.add_argument("--max-tiers", type=int, help="budget: distinct tiers per request")
        p.add_argument("--max-model-s", type=float, help="budget: model seconds per request")
        p.add_argument("--max-wall-s", type=float, help="budget: wall-clock seconds per request")
        p.add_argument("--no-cache", action="store_true", help="do not serve a cached answer")
        p.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
        p.add_argument(
            "--stream",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="show tokens as they come (default: when stdout is a terminal)",
        )

    ask = sub.add_parser("ask", help="answer one request and print a one-line trace")
    ask.add_argument("prompt", nargs="*", help="the request (or pipe it on stdin)")
    ask.add_argument("--thread", help="keep the exchange in this conversation thread")
    answering(ask)
    ask.set_defaults(run=cmd_ask)

    chat = sub.add_parser("chat", help="a conversation that persists across restarts")
    chat.add_argument("--thread", help="thread name to start or resume")
    chat.add_argument("--no-human", action="store_true", help="never pause to ask you when every tier fails")
    answering(chat)
    chat.set_defaults(run=cmd_chat)

    route = sub.add_parser("route", help="show how a request would be routed (no model call)")
    route.add_argument("prompt", nargs="+")
    route.set_defaults(run=cmd_route)

    doctor = sub.add_parser("doctor", help="check Ollama, the models, memory and the embedded backend")
    doctor.set_defaults(run=cmd_doctor)

    stats = sub.add_parser("stats", help="summarise the run log")
    stats.add_argument("--plot", metavar="FILE.png", help="also draw latency and escalation per tier")
    stats.add_argument("--json", action="store_true", help="print the figures as JSON")
    stats.add_argument("--log", help="a run log other than the configured one")
    stats.set_defaults(run=cmd_stats)

    from coding_director.app.router_cmd import add_router_parser

    add_router_parser(sub)  # `router retrain`
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    with contextlib.suppress(AttributeError, ValueError):  # bad bytes on stdin become U+FFFD, not a crash
        sys.stdin.reconfigure(errors="replace")
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if args.backend:
        os.environ["BACKEND"] = args.backend
    try:
        settings = load_settings(args.env_file)
        return args.run(args, settings)
    except (SettingsError, MemoryUnavailable, StoreUnavailable) as exc:
        status(f"error: {exc}")
        return 2
    except KeyboardInterrupt:
        status("interrupted")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # never a raw traceback at a user; -v shows it
        if args.verbose:
            raise
        status(f"error: {type(exc).__name__}: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
