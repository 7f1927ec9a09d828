"""A wire-level stand-in for an Ollama server, for tests and benchmarks.

It speaks the JSON of Ollama's documented API (`/api/chat` streaming and not,
`/api/tags`, `/api/ps`, `/api/show`, `/api/version`) on a loopback port, records
every request it receives, and answers from a function you give it, so the real
`ChatOllama` → HTTP path is exercised without an Ollama binary.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Responder = Callable[[dict[str, Any]], str]
#: Faults the stand-in can inject into `/api/chat`, by name.
FAULTS = (
    "disconnect",  # close the connection without a reply
    "delay_first_byte",  # wait `fault_delay_s` before the reply starts
    "stall",  # send part of the reply, then go silent for `fault_delay_s`
    "not_found",  # 404: model not pulled
    "no_tools",  # 400: "does not support tools"
    "busy",  # 503: queue full
    "malformed",  # a line of invalid JSON in the stream
    "empty",  # 200 with an empty stream
    "load",  # done_reason "load" with no content
)


def echo_last_user_message(request: dict[str, Any]) -> str:
    users = [m for m in request.get("messages", []) if m.get("role") == "user"]
    return f"You said: {users[-1]['content'] if users else ''}"


@dataclass
class StandinOllama:
    """Start with `with StandinOllama(models=[...]) as server:`; `server.url` is its base URL."""

    models: list[str] = field(default_factory=lambda: ["llama3.2:latest"])
    responder: Responder = echo_last_user_message
    delay_s: float = 0.0
    faults: Callable[[dict[str, Any]], str | None] | None = None
    """Per /api/chat request: the name of a fault to inject (see FAULTS), or None to answer."""
    fault_delay_s: float = 5.0
    capabilities: dict[str, list[str]] = field(default_factory=dict)
    """`/api/show` capabilities per model; models not listed can chat (["completion"])."""
    chunk_delay_s: float = 0.0
    """Pause between streamed chunks (a slow model, for cancellation tests)."""
    load_duration_ns: int = 100_000
    """What the final chunk reports as `load_duration`."""
    loaded: list[str] = field(default_factory=list)
    """Models `/api/ps` reports as loaded (a test or a simulation keeps it up to date)."""
    requests: list[dict[str, Any]] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "the stand-in is not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def chat_requests(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["path"] == "/api/chat"]

    def _known(self, name: str) -> bool:
        return name in self.models or f"{name}:latest" in self.models

    def _final(self, model: str, text: str, request: dict[str, Any], *, content: str) -> dict[str, Any]:
        return {**_final_chunk(model, text, request, content=content), "load_duration": self.load_duration_ns}

    def __post_init__(self) -> None:
        self.models = list(self.models)  # its own copy: a test that "pulls" or removes a model changes only it

    def start(self) -> StandinOllama:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _send_json(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _body(self) -> dict[str, Any]:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b"{}"
                return json.loads(raw or b"{}")

            def do_GET(self) -> None:
                standin.requests.append({"method": "GET", "path": self.path, "body": None})
                if self.path == "/api/tags":
                    self._send_json(200, {"models": [_tag_entry(m) for m in standin.models]})
                elif self.path == "/api/ps":
                    self._send_json(200, {"models": [{**_tag_entry(m), "expires_at": _now()} for m in standin.loaded]})
                elif self.path == "/api/version":
                    self._send_json(200, {"version": "0.12.0"})
                elif self.path == "/":
                    self._send_json(200, {"status": "Ollama is running"})
                else:
                    self._send_json(404, {"error": "not found"})

            def do_POST(self) -> None:
                try:
                    body = self._body()
                except json.JSONDecodeError:
                    self._send_json(400, {"error": "invalid JSON"})
                    return
                standin.requests.append({"method": "POST", "path": self.path, "body": body})
                if self.path == "/api/show":
                    if not standin._known(body.get("model", "")):
                        self._send_json(404, {"error": f"model '{body.get('model')}' not found"})
                        return
                    capabilities = standin.capabilities.get(body.get("model", ""), ["completion"])
                    self._send_json(200, {"details": {"family": "llama"}, "capabilities": capabilities})
                    return
                if self.path != "/api/chat":
                    self._send_json(404, {"error": "not found"})
                    return
                model = body.get("model", "")
                fault = standin.faults(body) if standin.faults else None
                if fault == "not_found" or not standin._known(model):
                    self._send_json(404, {"error": f'model "{model}" not found, try pulling it first'})
                    return
                if fault == "disconnect":
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if fault == "no_tools":
                    self._send_json(400, {"error": f"registry.ollama.ai/library/{model} does not support tools"})
                    return
                if fault == "busy":
                    self._send_json(503, {"error": "server busy, please try again.  maximum pending requests exceeded"})
                    return
                if fault == "delay_first_byte":
                    time.sleep(standin.fault_delay_s)
                if standin.delay_s:
                    time.sleep(standin.delay_s)
                text = standin.responder(body)
                if fault in ("stall", "malformed", "empty", "load"):
                    self._faulty_stream(model, text, fault)
                elif body.get("stream", True):
                    self._stream_chat(model, text, body)
                else:
                    self._send_json(200, standin._final(model, text, body, content=text))

            def _stream_chat(self, model: str, text: str, request: dict[str, Any]) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                pieces = [text[i : i + 8] for i in range(0, len(text), 8)] or [""]
                for piece in pieces:
                    self._chunk(_message_chunk(model, piece))
                    if standin.chunk_delay_s:
                        time.sleep(standin.chunk_delay_s)
                self._chunk(standin._final(model, text, request, content=""))
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()

            def _faulty_stream(self, model: str, text: str, fault: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                try:
                    if fault == "stall":
                        self._chunk(_message_chunk(model, text[:8]))
                        time.sleep(standin.fault_delay_s)
                    elif fault == "malformed":
                        self._chunk(_message_chunk(model, text[:8]))
                        data = b'{"model": "' + model.encode() + b'", "message": {"content": \n'
                        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                    elif fault == "load":
                        self._chunk({**_final_chunk(model, "", {}, content=""), "done_reason": "load"})
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _chunk(self, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode() + b"\n"
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> StandinOllama:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _QuietServer(ThreadingHTTPServer):
    """A client that gives up mid-reply is part of the tests, not an error to print."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], BrokenPipeError | ConnectionResetError):
            super().handle_error(request, client_address)


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def _tag_entry(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "model": name,
        "modified_at": _now(),
        "size": 4_109_865_159,
        "digest": "0" * 64,
        "details": {"family": "llama", "parameter_size": "7B", "quantization_level": "Q4_0"},
    }


def _message_chunk(model: str, content: str) -> dict[str, Any]:
    return {
        "model": model,
        "created_at": _now(),
        "message": {"role": "assistant", "content": content},
        "done": False,
    }


def _final_chunk(model: str, text: str, request: dict[str, Any], *, content: str) -> dict[str, Any]:
    prompt_tokens = sum(len(str(m.get("content", "")).split()) for m in request.get("messages", []))
    return {
        "model": model,
        "created_at": _now(),
        "message": {"role": "assistant", "content": content},
        "done": True,
        "done_reason": "stop",
        "total_duration": 1_000_000,
        "load_duration": 100_000,
        "prompt_eval_count": prompt_tokens or 1,
        "prompt_eval_duration": 100_000,
        "eval_count": max(len(text.split()), 1),
        "eval_duration": 800_000,
    }


#: Working code, as the stand-in team answers by default.
GOOD_CODE = "```python\ndef add(a, b):\n    return a + b\n```"


def team_standin() -> StandinOllama:
    """A stand-in Ollama serving every default model, answering with working code."""
    from coding_director.core.settings import DEFAULT_MODELS

    return StandinOllama(models=list(DEFAULT_MODELS.values()), responder=lambda request: GOOD_CODE)
