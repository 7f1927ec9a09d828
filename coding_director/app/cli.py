"""`coding-director`: ask once, chat in a thread, route, check the setup, summarise the run log."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
import uuid
from pathlib import Path
from typing import Any

from coding_director.app.console import answer, status
from coding_director.core.memory import MemoryUnavailable
from coding_director.core.redaction import RedactingFilter, redact, redact_urls
from coding_director.core.settings import BACKENDS, FLAG_KEYS, Settings, SettingsError, load_settings
from coding_director.core.store import StoreUnavailable
from coding_director.core.team import DEFAULT_RETRY_TIER, RETRY_TIERS, ROLES, TIER_ALIASES, tier_of
from coding_director.core.thread_lock import ThreadBusy
from coding_director.core.tracing import flush_traces

RETRY_ALIASES = "|".join(alias for alias, tier in TIER_ALIASES.items() if tier in RETRY_TIERS)

log = logging.getLogger("coding_director")

#: Exit codes (the README lists them): an answer passed review (or came from the cache, where it had
#: passed), none did, bad input or setup, the thread is busy with another request, interrupted.
EXIT_PASSED, EXIT_NOT_PASSED, EXIT_USAGE, EXIT_BUSY, EXIT_INTERRUPTED = 0, 1, 2, 75, 130
PASSING_OUTCOMES = ("passed", "cached")


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
        models = sorted({registry.label(role) for role in roles})
        name = f"the embedded models ({', '.join(m.removesuffix(' (embedded)') for m in models)})"
        lines.append(f"backend{who}: {name if backend == 'embedded' else backend} — {redact_urls(reason)}")
    return "\n".join(lines)


def _build(settings: Settings, memory: bool | Any) -> Any:
    """The graph; `memory` True for the configured store's memory (SQLite file, or PostgreSQL), False for none."""
    from coding_director.graph import build_graph

    if isinstance(memory, bool):
        return build_graph(settings=settings, checkpointer="default" if memory else None)
    return build_graph(settings=settings, checkpointer=memory)


def _config(thread: str) -> dict[str, Any]:
    return {"configurable": {"thread_id": thread}}


def _context(args: argparse.Namespace, **options: Any) -> dict[str, Any]:
    """Per-call options for the graph's typed Context (the budget flags are settings: see FLAG_KEYS)."""
    return {**options, **({"no_cache": True} if getattr(args, "no_cache", False) else {})}


def _hold(graph: Any, settings: Settings, thread: str) -> Any:
    """The thread's lock for one request (resume included): requests on one thread take turns."""
    return graph.services.store.locks.hold(thread, settings.thread_wait_s)


def readable(text: str) -> str:
    """Text from argv or a terminal with undecodable bytes (surrogate escapes) as U+FFFD, not a crash later."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a lone surrogate that is no escaped byte
        return text.encode("utf-8", "replace").decode("utf-8")


def _wants_stream(args: argparse.Namespace) -> bool:
    if args.stream is not None:
        return args.stream
    return sys.stdout.isatty()


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    text = readable(" ".join(args.prompt)) if args.prompt else ""
    if not text and not sys.stdin.isatty():
        text = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    if not text.strip():
        status('error: nothing to ask. Usage: coding-director ask "your request" (or pipe it on stdin)')
        return EXIT_USAGE
    # HUMAN_ESCALATION: on a terminal, ask the person as chat does (a pause needs a checkpointer: the
    # thread's memory, or one kept in this process); with nobody to ask, finish with the best attempt.
    can_ask = settings.human_escalation and sys.stdin.isatty()
    if args.thread:
        memory: Any = True
    elif can_ask:
        from langgraph.checkpoint.memory import InMemorySaver

        memory = InMemorySaver()
    else:
        memory = False
    graph = _build(settings, memory)
    if not args.quiet:
        status(backend_line(graph))
    thread = args.thread or f"ask-{uuid.uuid4().hex[:8]}"
    context = _context(args, human_escalation=can_ask)
    with _hold(graph, settings, thread) if args.thread else contextlib.nullcontext():
        result = answer(
            graph,
            text,
            _config(thread),
            stream=_wants_stream(args),
            quiet=args.quiet,
            decide=_ask_person if can_ask else None,
            context=context,
        )
    passed = result.get("outcome") in PASSING_OUTCOMES
    if settings.human_escalation and not can_ask and not passed:
        status("nobody could be asked (HUMAN_ESCALATION is on, but stdin is not a terminal): the best attempt is shown")
    return EXIT_PASSED if passed else EXIT_NOT_PASSED


CHAT_HELP = (
    "commands: /history  /threads  /new  /route <text>  /quit   (anything else is a request; "
    "Ctrl-C stops an answer and keeps the thread)"
)
#: What a user types without the slash and means as a command, never as a request.
PLAIN_COMMANDS = {"quit": "/quit", "exit": "/quit", "bye": "/quit", "clear": "/new", "new": "/new", "help": "/help"}


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
        text = readable(line).strip()
        if not text:
            continue
        command, _, rest = PLAIN_COMMANDS.get(text.lower().rstrip("!."), text).partition(" ")
        if command in ("/quit", "/exit"):
            break
        if command == "/help":
            status(CHAT_HELP)
        elif command in ("/new", "/clear"):
            kept = thread
            thread = f"chat-{uuid.uuid4().hex[:8]}"
            status(f"thread: {thread} (new) — {kept} is kept: coding-director chat --thread {kept}")
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
                with _hold(graph, settings, thread):
                    answer(
                        graph,
                        text,
                        _config(thread),
                        stream=_wants_stream(args),
                        quiet=args.quiet,
                        decide=_ask_person,
                        context=_context(args, human_escalation=not args.no_human),
                    )
            except ThreadBusy as busy:
                status(f"error: {busy} (your request was not sent)")
            except KeyboardInterrupt:
                status("\n(stopped; the thread is kept)")
    status(f"bye — resume with: coding-director chat --thread {thread}")
    return 0


def cmd_route(args: argparse.Namespace, settings: Settings) -> int:
    from coding_director.nodes.router import classify
    from coding_director.nodes.router.classifier import active_model, user_model_path

    print(
        json.dumps(
            classify(readable(" ".join(args.prompt)), active_model(user_model_path(settings))).to_dict(), indent=2
        )
    )
    return 0


def cmd_doctor(args: argparse.Namespace, settings: Settings) -> int:
    from coding_director.app.doctor import diagnose

    report = diagnose(settings)
    print(redact("\n".join(report.lines), settings.secrets))
    return 0 if report.can_answer else 1


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    from coding_director.app.stats import plot, render_table, summarise
    from coding_director.core.runlog import RunLog
    from coding_director.core.store import open_store

    store = open_store(settings)
    path = Path(args.log) if args.log else settings.run_log_file if store.kind == "sqlite" else store.where
    run_log = RunLog(Path(args.log)) if args.log else store.run_log
    records = run_log.records()
    summary = summarise(records)
    summary["skipped_lines"] = skipped = getattr(run_log, "skipped", 0)
    if skipped:
        status(f"skipped {skipped} unreadable line{'s' if skipped != 1 else ''} in the run log {path}")
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


def _global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """--backend, --env-file, -v: accepted before the subcommand and after it (where unset, they keep
    the value given before it)."""
    unset: Any = None if top else argparse.SUPPRESS
    parser.add_argument("--backend", choices=BACKENDS, default=unset, help="override BACKEND from .env")
    parser.add_argument("--env-file", default=unset, help="read settings from this file instead of ./.env")
    parser.add_argument(
        "-v", "--verbose", action="store_true", default=False if top else argparse.SUPPRESS, help="log what happens"
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coding-director",
        description="A local multi-model coding assistant: routes, answers, validates, escalates.",
    )
    _global_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        p = sub.add_parser(name, **kwargs)
        _global_options(p, top=False)
        return p

    def answering(p: argparse.ArgumentParser) -> None:
        # budgets are settings: their values are checked by the same fields as MAX_ATTEMPTS etc. in .env
        p.add_argument("--max-attempts", metavar="N", help="budget: attempts per request (MAX_ATTEMPTS)")
        p.add_argument("--max-tiers", metavar="N", help="budget: distinct tiers per request (MAX_TIERS)")
        p.add_argument("--max-model-s", metavar="S", help="budget: model seconds per request (MAX_MODEL_SECONDS)")
        p.add_argument("--max-wall-s", metavar="S", help="budget: wall-clock seconds per request (MAX_WALL_SECONDS)")
        p.add_argument("--no-cache", action="store_true", help="do not serve a cached answer")
        p.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
        p.add_argument(
            "--stream",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="show tokens as they come (default: when stdout is a terminal)",
        )

    ask = command("ask", help="answer one request and print a one-line trace")
    ask.add_argument("prompt", nargs="*", help="the request (or pipe it on stdin)")
    ask.add_argument("--thread", help="keep the exchange in this conversation thread")
    answering(ask)
    ask.set_defaults(run=cmd_ask)

    chat = command("chat", help="a conversation that persists across restarts")
    chat.add_argument("--thread", help="thread name to start or resume")
    chat.add_argument("--no-human", action="store_true", help="never pause to ask you when every tier fails")
    answering(chat)
    chat.set_defaults(run=cmd_chat)

    route = command("route", help="show how a request would be routed (no model call)")
    route.add_argument("prompt", nargs="+", help='the request to route, e.g. "What is 17 * 23?"')
    route.set_defaults(run=cmd_route)

    doctor = command("doctor", help="check Ollama, the models, memory and the embedded backend")
    doctor.set_defaults(run=cmd_doctor)

    stats = command("stats", help="summarise the run log")
    stats.add_argument("--plot", metavar="FILE.png", help="also draw latency and escalation per tier")
    stats.add_argument("--json", action="store_true", help="print the figures as JSON")
    stats.add_argument("--log", help="a run log other than the configured one")
    stats.set_defaults(run=cmd_stats)

    from coding_director.app.serve.command import add_serve_command

    add_serve_command(sub)

    from coding_director.app.router_cmd import add_router_parser

    add_router_parser(sub)  # `router retrain`
    return parser


def _flags(args: argparse.Namespace) -> dict[str, str]:
    """The settings given as flags, by flag name, for load_settings to check like their .env keys."""
    values = {flag: getattr(args, flag.removeprefix("--").replace("-", "_"), None) for flag in FLAG_KEYS}
    return {flag: str(value) for flag, value in values.items() if value is not None}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    with contextlib.suppress(AttributeError, ValueError):  # bad bytes on stdin become U+FFFD, not a crash
        sys.stdin.reconfigure(errors="replace")  # type: ignore[union-attr]
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    redacting = RedactingFilter()  # httpx logs whole URLs, a password included
    for handler in logging.getLogger().handlers:
        handler.addFilter(redacting)
    try:
        settings = load_settings(args.env_file, flags=_flags(args))
        redacting.secrets = settings.secrets
        return args.run(args, settings)
    except (SettingsError, MemoryUnavailable, StoreUnavailable) as exc:
        status(f"error: {exc}")
        return EXIT_USAGE
    except ThreadBusy as exc:
        status(f"error: {exc}")
        return EXIT_BUSY
    except KeyboardInterrupt:
        status("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0
    except Exception as exc:  # never a raw traceback at a user; -v shows it
        if args.verbose:
            raise
        status(f"error: {type(exc).__name__}: {exc}")
        return EXIT_NOT_PASSED
    finally:
        flush_traces(timeout_s=1.0)  # an unreachable LangSmith never holds up the exit


if __name__ == "__main__":
    sys.exit(main())
