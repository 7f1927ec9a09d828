"""The Ollama-compatible routes, in Ollama's documented JSON: `/`, `/api/version`, `/api/tags`, `/api/show`,
`/api/ps`, `/api/chat` and `/api/generate` (NDJSON streams by default, as Ollama does)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
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
from coding_director.app.serve.models import BASE_NAME, VARIANTS
from coding_director.app.serve.runner import Runner, summary_headers
from coding_director.core.team import ANSWERING_ROLES

#: The Ollama API version this server speaks (clients compare it before using newer fields).
OLLAMA_API_VERSION = "0.12.0"


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def _listed_name(name: str) -> str:
    """Ollama lists untagged names with `:latest`."""
    return f"{name}:latest" if name == BASE_NAME else name


def _details() -> dict[str, Any]:
    return {
        "parent_model": "",
        "format": "langgraph",
        "family": "coding-director",
        "families": ["coding-director"],
        "parameter_size": "",
        "quantization_level": "",
    }


def _tag(name: str, modified: str) -> dict[str, Any]:
    listed = _listed_name(name)
    return {
        "name": listed,
        "model": listed,
        "modified_at": modified,
        "size": 0,
        "digest": hashlib.sha256(listed.encode()).hexdigest(),
        "details": _details(),
    }


def _runner(request: Request) -> Runner:
    return request.app.state.runner


async def root(request: Request) -> Response:
    return PlainTextResponse("Ollama is running")


async def version(request: Request) -> Response:
    return JSONResponse({"version": OLLAMA_API_VERSION})


async def tags(request: Request) -> Response:
    modified = request.app.state.started_at
    return JSONResponse({"models": [_tag(name, modified) for name in VARIANTS]})


async def ps(request: Request) -> Response:
    """The graph is always ready; what it loads underneath is each backend's business (see `doctor`)."""
    expires = (datetime.now(UTC) + timedelta(days=365)).isoformat().replace("+00:00", "Z")
    modified = request.app.state.started_at
    return JSONResponse({"models": [{**_tag(n, modified), "expires_at": expires, "size_vram": 0} for n in VARIANTS]})


def context_length(runner: Runner) -> int:
    """The smallest context among the answering tiers: what a client can count on."""
    models = runner.graphs.services.models
    sizes = []
    for role in ANSWERING_ROLES:
        try:
            sizes.append(int(models.context_size(role)))
        except Exception:  # a backend that cannot say: fall back on the setting
            sizes.append(runner.settings.num_ctx)
    return min(sizes) if sizes else runner.settings.num_ctx


async def _body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise bad_request("invalid JSON in the request body") from None
    if not isinstance(body, dict):
        raise bad_request("the request body must be a JSON object")
    return body


async def show(request: Request) -> Response:
    body = await _body(request)
    choice = pick_model(body.get("model") or body.get("name"))
    variant = choice.variant
    size = context_length(_runner(request))
    return JSONResponse(
        {
            "license": "",
            "modelfile": f"# {variant.description}\nFROM {variant.name}\n",
            "parameters": "",
            "template": "",
            "details": _details(),
            "model_info": {"general.architecture": "coding-director", "coding-director.context_length": size},
            "capabilities": ["completion", "thinking"],
            "modified_at": request.app.state.started_at,
        }
    )


def _check(body: dict[str, Any]) -> None:
    if body.get("format") not in (None, ""):
        raise bad_request("`format` (structured output) is not supported: the director answers in text")
    if not isinstance(body.get("stream", True), bool):
        raise bad_request("`stream` must be true or false")


def _durations(summary: dict[str, Any]) -> dict[str, Any]:
    used = summary.get("usage") or {}
    total_ns = int((summary.get("duration_s") or 0) * 1e9)
    return {
        "total_duration": total_ns,
        "load_duration": 0,
        "prompt_eval_count": used.get("input_tokens", 0),
        "prompt_eval_duration": 0,
        "eval_count": used.get("output_tokens", 0),
        "eval_duration": total_ns,
    }


async def chat(request: Request) -> Response:
    return await _answer(request, endpoint="/api/chat")


async def generate(request: Request) -> Response:
    return await _answer(request, endpoint="/api/generate")


def _messages_of(body: dict[str, Any], endpoint: str) -> list[Any] | None:
    """The conversation; None when there is nothing to answer (Ollama's way to load a model)."""
    if endpoint == "/api/chat":
        raw = body.get("messages")
        return raw if raw else None
    prompt = body.get("prompt")
    if prompt is None or prompt == "":
        return None
    if not isinstance(prompt, str):
        raise bad_request("`prompt` must be a string")
    if body.get("images"):
        raise bad_request("images are not supported: the tiers read text only")
    system = body.get("system")
    return ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": prompt}]


async def _answer(request: Request, endpoint: str) -> Response:
    runner = _runner(request)
    body = await _body(request)
    stream = body.get("stream", True)
    served = Served(endpoint, str(body.get("model", "")), bool(stream))
    try:
        choice = pick_model(body.get("model"))
        _check(body)
        raw = _messages_of(body, endpoint)
        if raw is None:  # nothing to answer: Ollama loads the model and says so
            return JSONResponse(_chunk(endpoint, served.model, "", "", done=True, done_reason="load"))
        messages = conversation(raw, runner.settings)
        wanted = run_request(request, choice, messages, body.get("coding_director"))
        run = await runner.start(wanted)
    except ServeError as error:
        log_served(runner, served, error.status, error=error.message)
        raise
    show_thinking = body.get("think") is not False
    headers = {STREAM_HEADER: "provisional" if wanted.provisional else "verified"}
    if wanted.thread_id:
        headers[THREAD_HEADER] = wanted.thread_id

    if not stream:
        try:
            outcome = await collect(request, run)
        except ServeError as error:
            log_served(runner, served, error.status, error=error.message)
            raise
        summary = outcome.summary
        log_served(runner, served, 200, summary)
        final = _chunk(
            endpoint,
            served.model,
            outcome.content,
            outcome.reasoning if show_thinking else "",
            done=True,
            done_reason=_done_reason(summary),
        )
        return JSONResponse(
            {**final, **_durations(summary), "coding_director": summary},
            headers={**headers, **summary_headers(summary)},
        )

    async def lines() -> AsyncIterator[bytes]:
        status, summary, problem = 499, None, "the client went away"
        try:
            async with cancel_on_disconnect(request, run):
                async for event in run.events():
                    if event.kind == "progress" and show_thinking:
                        yield _line(_chunk(endpoint, served.model, "", event.text))
                    elif event.kind == "content":
                        yield _line(_chunk(endpoint, served.model, event.text, ""))
                    elif event.kind == "keepalive":  # NDJSON has no comments: an empty chunk keeps it open
                        yield _line(_chunk(endpoint, served.model, "", ""))
                    elif event.kind == "error":
                        assert event.error is not None
                        status, problem = event.error.status, event.error.message
                        yield _line(event.error.ollama_body())
                        return
                    elif event.kind == "done":
                        summary = event.summary or {}
                        last = _chunk(endpoint, served.model, "", "", done=True, done_reason=_done_reason(summary))
                        yield _line({**last, **_durations(summary), "coding_director": summary})
                        status, problem = 200, ""
        finally:
            log_served(runner, served, status, summary, problem)

    try:
        headers = await with_route(run, headers)
    except ServeError as error:
        log_served(runner, served, error.status, error=error.message)
        raise
    return StreamingResponse(lines(), media_type="application/x-ndjson", headers=headers)


def _done_reason(summary: dict[str, Any]) -> str:
    return summary.get("finish_reason") or "stop"


def _chunk(
    endpoint: str, model: str, content: str, thinking: str, *, done: bool = False, done_reason: str = ""
) -> dict:
    chunk: dict[str, Any] = {"model": model, "created_at": _now()}
    if endpoint == "/api/chat":
        message: dict[str, Any] = {"role": "assistant", "content": content}
        if thinking:
            message["thinking"] = thinking
        chunk["message"] = message
    else:
        chunk["response"] = content
        if thinking:
            chunk["thinking"] = thinking
    chunk["done"] = done
    if done:
        chunk["done_reason"] = done_reason
    return chunk


def _line(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode() + b"\n"


ROUTES = [
    Route("/", root, methods=["GET", "HEAD"]),
    Route("/api/version", version, methods=["GET"]),
    Route("/api/tags", tags, methods=["GET"]),
    Route("/api/ps", ps, methods=["GET"]),
    Route("/api/show", show, methods=["POST"]),
    Route("/api/chat", chat, methods=["POST"]),
    Route("/api/generate", generate, methods=["POST"]),
]
