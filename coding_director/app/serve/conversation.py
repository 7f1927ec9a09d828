"""A client's messages, checked and turned into the conversation the graph takes; and what every chat
endpoint shares: the run, the client going away, the served record in the run log."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from coding_director.app.serve.errors import ServeError, bad_request
from coding_director.app.serve.models import ModelChoice, choose_model, known_names
from coding_director.app.serve.runner import Run, Runner, RunRequest

log = logging.getLogger(__name__)

ROLES = {"system": "system", "developer": "system", "user": "user", "assistant": "assistant"}
STREAM_HEADER = "X-Coding-Director-Stream"
THREAD_HEADER = "X-Thread-Id"
ROUTE_HEADER = "X-Coding-Director-Route"
#: How long a streamed response waits for the route before it starts (to send it as a header).
ROUTE_WAIT_S = 2.0


def text_of(content: Any, where: str) -> str:
    """A message's text: a string, or a list of text parts (OpenAI's content parts)."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = []
        for part in content:
            if isinstance(part, str):
                texts.append(part)
            elif isinstance(part, dict) and part.get("type") in ("text", "input_text"):
                texts.append(str(part.get("text", "")))
            else:
                kind = part.get("type") if isinstance(part, dict) else type(part).__name__
                raise bad_request(f"{where}: only text content is supported, not {kind!r}", param="messages")
        return "\n".join(texts)
    raise bad_request(f"{where}: content must be a string or a list of text parts", param="messages")


def conversation(raw: Any, limits: Any) -> list[dict[str, str]]:
    """The messages as {"role", "content"} dicts, within the limits, ending with the user's turn."""
    if not isinstance(raw, list) or not raw:
        raise bad_request("`messages` must be a non-empty list of {role, content} objects", param="messages")
    if len(raw) > limits.serve_max_messages:
        raise bad_request(
            f"too many messages: {len(raw)} (at most {limits.serve_max_messages}, SERVE_MAX_MESSAGES)",
            param="messages",
            code="too_many_messages",
        )
    out = []
    for index, message in enumerate(raw):
        where = f"messages[{index}]"
        if not isinstance(message, dict):
            raise bad_request(f"{where} must be an object with `role` and `content`", param="messages")
        role = message.get("role")
        if role in ("tool", "function"):
            raise bad_request(
                f"{where}: `{role}` messages are not supported: Coding Director answers in text and never calls tools",
                param="messages",
            )
        if role not in ROLES:
            raise bad_request(f"{where}: unknown role {role!r} (system, user or assistant)", param="messages")
        if message.get("images"):
            raise bad_request(f"{where}: images are not supported: the tiers read text only", param="messages")
        text = text_of(message.get("content"), where)
        if len(text) > limits.serve_max_message_chars:
            raise bad_request(
                f"{where} is {len(text):,} characters long (at most {limits.serve_max_message_chars:,}, "
                "SERVE_MAX_MESSAGE_CHARS)",
                param="messages",
                code="message_too_long",
            )
        out.append({"role": ROLES[role], "content": text})
    if out[-1]["role"] != "user":
        raise bad_request("the last message must be the user's: it is the request to answer", param="messages")
    return out


def pick_model(name: Any) -> ModelChoice:
    if not isinstance(name, str) or not name.strip():
        raise bad_request("`model` is required: coding-director, or one of its variants", param="model")
    choice = choose_model(name)
    if choice is None:
        raise ServeError(
            404,
            f"the model {name!r} does not exist here; this server offers: {known_names()} "
            "(any of them with +provisional)",
            param="model",
            code="model_not_found",
        )
    return choice


def run_request(request: Request, choice: ModelChoice, messages: list[dict[str, str]], extra: Any) -> RunRequest:
    """Per-request options: the model variant's, any `coding_director` options in the body, the headers'."""
    if extra is not None and not isinstance(extra, dict):
        raise bad_request("`coding_director` must be an object of per-call options", param="coding_director")
    wanted = request.headers.get(STREAM_HEADER, "").strip().lower()
    if wanted not in ("", "provisional", "verified"):
        raise bad_request(f"{STREAM_HEADER} must be `verified` or `provisional`, not {wanted!r}", param=STREAM_HEADER)
    thread = request.headers.get(THREAD_HEADER)
    if thread is not None and not (0 < len(thread.strip()) <= 200):
        raise bad_request(f"{THREAD_HEADER} must be a name of 1 to 200 characters", param=THREAD_HEADER)
    return RunRequest(
        messages=messages,
        context={**choice.variant.context, **(extra or {})},
        provisional=wanted == "provisional" or (choice.provisional and wanted != "verified"),
        thread_id=thread.strip() if thread else None,
    )


@contextlib.asynccontextmanager
async def cancel_on_disconnect(request: Request, run: Run) -> AsyncIterator[None]:
    """While the body is being answered, a client that disconnects cancels its run."""

    async def watch() -> None:
        while True:
            message = await request.receive()
            if message["type"] == "http.disconnect":
                run.cancel()
                return

    watcher = asyncio.get_running_loop().create_task(watch())
    try:
        yield
    except BaseException:
        run.cancel()
        raise
    finally:
        watcher.cancel()


async def with_route(run: Run, headers: dict[str, str]) -> dict[str, str]:
    """A streamed response's headers: the route too, when it is decided soon (the rules decide at once)."""
    route = await run.route_within(ROUTE_WAIT_S)
    if run.failed is not None:  # failed before a byte was sent: answer with its status, not a 200
        raise run.failed
    return {**headers, ROUTE_HEADER: route} if route else headers


@dataclass
class Outcome:
    """A finished run, collected (for non-streamed replies)."""

    content: str = ""
    reasoning: str = ""
    summary: dict[str, Any] = field(default_factory=dict)


async def collect(request: Request, run: Run) -> Outcome:
    outcome = Outcome()
    async with cancel_on_disconnect(request, run):
        async for event in run.events():
            if event.kind == "content":
                outcome.content += event.text
            elif event.kind == "progress":
                outcome.reasoning += event.text
            elif event.kind == "error":
                assert event.error is not None
                raise event.error
            elif event.kind == "done":
                outcome.summary = event.summary or {}
    return outcome


@dataclass
class Served:
    """One served request for the run log (`kind: served`), beside the graph's own record of the run."""

    endpoint: str
    model: str
    stream: bool
    started: float = field(default_factory=time.perf_counter)

    def record(self, status: int, summary: dict[str, Any] | None = None, error: str = "") -> dict[str, Any]:
        summary = summary or {}
        return {
            "kind": "served",
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "endpoint": self.endpoint,
            "model": self.model,
            "stream": self.stream,
            "stream_mode": summary.get("stream_mode"),
            "status": status,
            "request_id": summary.get("request_id"),
            "thread_id": summary.get("thread_id"),
            "outcome": summary.get("outcome"),
            "duration_s": round(time.perf_counter() - self.started, 3),
            "error": error,
        }


def log_served(runner: Runner, served: Served, status: int, summary: dict | None = None, error: str = "") -> None:
    """Append the served record off the event loop, without waiting: a cancelled stream can still log."""
    run_log = getattr(runner.graphs.services, "run_log", None)
    if run_log is None:
        return
    record = served.record(status, summary, error)

    def append() -> None:
        try:
            run_log.append(record)
        except Exception:  # the log never breaks an answer
            log.warning("could not write the served record", exc_info=True)

    asyncio.get_running_loop().run_in_executor(None, append)
