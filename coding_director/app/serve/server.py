"""Starting the server: the host policy, one worker in this process or N behind uvicorn's supervisor."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
from collections.abc import Iterator
from typing import Any

from coding_director.app.serve.limits import is_loopback
from coding_director.core.settings import Settings, load_settings

#: Where the CLI's --env-file reaches the worker processes.
ENV_FILE_VARIABLE = "CODING_DIRECTOR_ENV_FILE"


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def worker_app() -> Any:
    """The app in each worker process (uvicorn calls this factory once per worker)."""
    from coding_director.app.serve.app import create_app

    return create_app(settings=load_settings(os.environ.get(ENV_FILE_VARIABLE) or None))


def host_problem(settings: Settings, host: str, insecure: bool) -> str | None:
    """Why binding `host` is refused (None: fine). Beyond loopback, a key is required, or --insecure."""
    if is_loopback(host) or settings.serve_api_key:
        return None
    if insecure:
        say(
            f"WARNING: serving on {host} with no API key (--insecure): anyone who can reach this port can run "
            "models and code validation on this machine. Set SERVE_API_KEY to require a key."
        )
        return None
    return (
        f"refusing to serve on {host} without an API key: anyone on the network could use it. "
        "Set SERVE_API_KEY (clients then send it as their API key), or pass --insecure to do it anyway"
    )


def port_problem(host: str, port: int) -> str | None:
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), port))
        except OSError as exc:
            return f"cannot listen on {host}:{port}: {exc.strerror or exc} (is another server running? try --port)"
    return None


def serve(
    settings: Settings,
    *,
    host: str,
    port: int,
    workers: int,
    insecure: bool,
    env_file: str | None = None,
    log_level: str = "info",
) -> int:
    """Run until Ctrl-C or SIGTERM; the exit status (2 for a setup the server refuses)."""
    try:
        import uvicorn
    except ImportError as exc:
        say(f"error: serving needs its extra ({exc.name} is missing): pip install 'coding-director[serve]'")
        return 2
    problem = host_problem(settings, host, insecure)
    if problem is None and workers < 1:
        problem = "--workers must be 1 or more"
    if problem is None and workers > 1 and not settings.database_url:
        problem = (
            f"--workers {workers} needs a store the workers can share: set DATABASE_URL=postgresql://… "
            "(with SQLite, conversation memory and thread locks belong to one process; run one worker)"
        )
    problem = problem or port_problem(host, port)
    if problem:
        say(f"error: {problem}")
        return 2
    shown_host = f"[{host}]" if ":" in host else host
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": log_level,
        "timeout_graceful_shutdown": settings.serve_shutdown_grace_s + 5,
        "lifespan": "on",
    }
    if workers == 1:
        from coding_director.app.cli import backend_line
        from coding_director.app.serve.app import create_app

        app = create_app(settings=settings)
        say(backend_line(app.state.runner.graphs))  # it reads `.services` only
        config = uvicorn.Config(app, **options)
    else:
        if env_file:
            os.environ[ENV_FILE_VARIABLE] = env_file
        config = uvicorn.Config(f"{__name__}:worker_app", factory=True, workers=workers, **options)
    say(
        f"Coding Director on http://{shown_host}:{port} — OpenAI-compatible at /v1, Ollama-compatible at /"
        f"{f' ({workers} workers)' if workers > 1 else ''}; Ctrl-C stops it"
    )
    with _stopping_is_not_an_error():
        if workers > 1:
            from uvicorn.supervisors import Multiprocess

            Multiprocess(config, sockets=[config.bind_socket()]).run()
            say("stopped")
            return 0
        server = uvicorn.Server(config)
        server.run()
    if not server.started:
        return 1
    say("stopped")
    return 0


@contextlib.contextmanager
def _stopping_is_not_an_error() -> Iterator[None]:
    """uvicorn passes the signal that stopped it on to the handler it found once it has shut down
    gracefully; found here, that handler only notes it, so Ctrl-C or SIGTERM end the command with 0."""
    previous = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(ValueError):  # not the main thread
            previous[sig] = signal.signal(sig, lambda signum, frame: None)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
