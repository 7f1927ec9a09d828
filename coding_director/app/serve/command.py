"""`coding-director serve`: the subcommand's flags and handler (imports nothing heavy until it runs)."""

from __future__ import annotations

import argparse
from typing import Any

DEFAULT_PORT = 11435


def cmd_serve(args: argparse.Namespace, settings: Any) -> int:
    from coding_director.app.serve.server import serve

    return serve(
        settings,
        host=args.host,
        port=args.port,
        workers=args.workers,
        insecure=args.insecure,
        env_file=args.env_file,
        log_level="debug" if args.verbose else "info",
    )


def add_serve_command(sub: Any) -> None:
    serve = sub.add_parser(
        "serve",
        help="serve the graph as one model to editors and tools (OpenAI- and Ollama-compatible HTTP)",
        description="OpenAI-compatible at http://HOST:PORT/v1, Ollama-compatible at http://HOST:PORT. "
        "Models: coding-director and its variants (GET /v1/models); add +provisional to stream tokens "
        "before validation. Ctrl-C or SIGTERM stops it cleanly.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    serve.add_argument(
        "--workers", type=int, default=1, help="worker processes (more than 1 needs DATABASE_URL: PostgreSQL)"
    )
    serve.add_argument(
        "--insecure", action="store_true", help="allow a non-loopback host without SERVE_API_KEY (prints a warning)"
    )
    serve.set_defaults(run=cmd_serve)
