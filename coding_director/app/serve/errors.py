"""Errors a client can act on, in the shape its API speaks: OpenAI's `{"error": {...}}` on /v1,
Ollama's `{"error": "..."}` elsewhere. Never a traceback."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.responses import JSONResponse

#: OpenAI's error `type` for each status we answer with.
_OPENAI_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    404: "invalid_request_error",
    405: "invalid_request_error",
    409: "invalid_request_error",
    413: "invalid_request_error",
    429: "rate_limit_error",
    500: "server_error",
    503: "server_error",
}


@dataclass
class ServeError(Exception):
    """A request the server will not or cannot answer: the status, one clear sentence, what it is about."""

    status: int
    message: str
    param: str | None = None
    code: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message

    def openai_body(self) -> dict:
        kind = _OPENAI_TYPES.get(self.status, "server_error" if self.status >= 500 else "invalid_request_error")
        return {"error": {"message": self.message, "type": kind, "param": self.param, "code": self.code}}

    def ollama_body(self) -> dict:
        return {"error": self.message}

    def response(self, path: str) -> JSONResponse:
        body = self.openai_body() if path.startswith("/v1") else self.ollama_body()
        return JSONResponse(body, status_code=self.status, headers=self.headers)


def bad_request(message: str, param: str | None = None, code: str | None = None) -> ServeError:
    return ServeError(400, message, param=param, code=code)
