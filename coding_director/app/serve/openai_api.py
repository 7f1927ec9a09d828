"""The OpenAI-compatible routes: `GET /v1/models`, `POST /v1/chat/completions` (streamed over SSE and not)."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any

from sse_starlette import EventSourceResponse
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from coding_director.app.serve.conversation import (
    STREAM_HEADER,
    THREAD_HEADER,
    Served,
    cancel_on_disconnect,
    collect,
    conversation,
    log_served,
    pick_model,
    run_request,
    with_route,
)
from coding_director.app.serve.errors import ServeError, bad_request
from coding_director.app.serve.models import VARIANTS
from coding_director.app.serve.runner import Runner, new_id, summary_headers

OWNER = "coding-director"
#: tool_choice values a text-only model can honour: it may, or must not, call a tool.
_TOOL_CHOICES_WITHOUT_A_CALL = (None, "auto", "none")


def _runner(request: Request) -> Runner:
    return request.app.state.runner


def _model_entry(name: str, created: int) -> dict[str, Any]:
    return {
        "id": name,
        "object": "model",
        "created": created,
        "owned_by": OWNER,
        "description": VARIANTS[name].description,
    }


async def list_models(request: Request) -> Response:
    created = request.app.state.started
    return JSONResponse({"object": "list", "data": [_model_entry(name, created) for name in VARIANTS]})


async def get_model(request: Request) -> Response:
    choice = pick_model(request.path_params["model"])
    return JSONResponse(_model_entry(choice.variant.name, request.app.state.started))


async def _body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise bad_request("the request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise bad_request("the request body must be a JSON object")
    return body


def _check_options(body: dict[str, Any]) -> None:
    """Fields a client may send: those the director can honour, or may ignore without misleading anyone."""
    n = body.get("n")
    if n is not None and (not isinstance(n, int) or isinstance(n, bool) or n < 1):
        raise bad_request("`n` must be a positive integer", param="n")
    if isinstance(n, int) and n > 1:
        raise bad_request("`n` > 1 is not supported: the director gives one validated answer per request", param="n")
    if body.get("tool_choice") not in _TOOL_CHOICES_WITHOUT_A_CALL:
        raise bad_request(
            "tool_choice requires a tool call, and Coding Director answers in text and never calls tools "
            "(send tool_choice 'auto' or none)",
            param="tool_choice",
        )
    for name in ("max_tokens", "max_completion_tokens"):
        value = body.get(name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            raise bad_request(f"`{name}` must be a positive integer", param=name)
    temperature = body.get("temperature")
    if temperature is not None and (
        not isinstance(temperature, int | float) or isinstance(temperature, bool) or not 0 <= temperature <= 2
    ):
        raise bad_request("`temperature` must be a number from 0 to 2", param="temperature")
    stop = body.get("stop")
    if (
        stop is not None
        and not isinstance(stop, str)
        and not (isinstance(stop, list) and all(isinstance(s, str) for s in stop))
    ):
        raise bad_request("`stop` must be a string or a list of strings", param="stop")
    if not isinstance(body.get("stream", False), bool):
        raise bad_request("`stream` must be true or false", param="stream")
    options = body.get("stream_options")
    if options is not None and not isinstance(options, dict):
        raise bad_request("`stream_options` must be an object", param="stream_options")


def _usage(summary: dict[str, Any]) -> dict[str, int]:
    used = summary.get("usage") or {}
    prompt, completion = used.get("input_tokens", 0), used.get("output_tokens", 0)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


async def chat_completions(request: Request) -> Response:
    runner = _runner(request)
    body = await _body(request)
    served = Served("/v1/chat/completions", str(body.get("model", "")), bool(body.get("stream")))
    try:
        choice = pick_model(body.get("model"))
        _check_options(body)
        messages = conversation(body.get("messages"), runner.settings)
        wanted = run_request(request, choice, messages, body.get("coding_director"))
        run = await runner.start(wanted)
    except ServeError as error:
        log_served(runner, served, error.status, error=error.message)
        raise
    completion_id, created, model = new_id("chatcmpl"), int(time.time()), served.model
    mode = "provisional" if wanted.provisional else "verified"
    headers = {STREAM_HEADER: mode}
    if wanted.thread_id:
        headers[THREAD_HEADER] = wanted.thread_id

    if not served.stream:
        try:
            outcome = await collect(request, run)
        except ServeError as error:
            log_served(runner, served, error.status, error=error.message)
            raise
        summary = outcome.summary
        log_served(runner, served, 200, summary)
        message: dict[str, Any] = {"role": "assistant", "content": outcome.content}
        if outcome.reasoning:
            message["reasoning_content"] = outcome.reasoning
        return JSONResponse(
            {
                "id": completion_id,
                "object": "chat.completion",
                "created": created,
                "model": model,
                "choices": [
                    {"index": 0, "message": message, "finish_reason": summary["finish_reason"], "logprobs": None}
                ],
                "usage": _usage(summary),
                "coding_director": summary,
            },
            headers={**headers, **summary_headers(summary)},
        )

    include_usage = bool((body.get("stream_options") or {}).get("include_usage"))

    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> dict[str, str]:
        data = {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
            **extra,
        }
        return {"data": json.dumps(data, ensure_ascii=False)}

    async def events() -> AsyncIterator[dict[str, str]]:
        status, summary, problem = 499, None, "the client went away"
        try:
            async with cancel_on_disconnect(request, run):
                yield chunk({"role": "assistant", "content": ""})
                async for event in run.events():
                    if event.kind == "progress":
                        yield chunk({"reasoning_content": event.text})
                    elif event.kind == "content":
                        yield chunk({"content": event.text})
                    elif event.kind == "error":
                        assert event.error is not None
                        status, problem = event.error.status, event.error.message
                        yield {"data": json.dumps(event.error.openai_body())}
                        return
                    elif event.kind == "done":
                        summary = event.summary or {}
                        yield chunk({}, summary["finish_reason"], coding_director=summary)
                        if include_usage:
                            yield {
                                "data": json.dumps(
                                    {
                                        "id": completion_id,
                                        "object": "chat.completion.chunk",
                                        "created": created,
                                        "model": model,
                                        "choices": [],
                                        "usage": _usage(summary),
                                        "coding_director": summary,
                                    },
                                    ensure_ascii=False,
                                )
                            }
                        yield {"data": "[DONE]"}
                        status, problem = 200, ""
        finally:
            log_served(runner, served, status, summary, problem)

    try:
        headers = await with_route(run, headers)
    except ServeError as error:
        log_served(runner, served, error.status, error=error.message)
        raise
    settings = runner.settings
    return EventSourceResponse(
        events(),
        headers=headers,
        ping=settings.serve_keepalive_s,
        sep="\n",
        shutdown_grace_period=settings.serve_shutdown_grace_s + 2,
    )


ROUTES = [
    Route("/v1/models", list_models, methods=["GET"]),
    Route("/v1/models/{model:path}", get_model, methods=["GET"]),
    Route("/v1/chat/completions", chat_completions, methods=["POST"]),
]
