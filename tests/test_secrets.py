"""Secrets from `.env` never reach the run log or traces."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from coding_director import build_graph
from tests.fakes import team


class RecordingServer:
    """A loopback HTTP server that accepts every POST and keeps its body (a LangSmith stand-in)."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        self.headers: list[dict[str, str]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _reply(self) -> None:
                data = b"{}"
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                recorder.bodies.append(self.rfile.read(length))
                recorder.headers.append(dict(self.headers))
                self._reply()

            do_PATCH = do_POST

            def do_GET(self) -> None:
                self._reply()

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> RecordingServer:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def test_secret_values_never_reach_the_run_log(tmp_path):
    """A URL password shows up in connection errors, a pasted key in an answer: both are redacted."""
    import httpx

    from coding_director.core.settings import load_settings

    env_file = tmp_path / ".env"
    env_file.write_text(
        f"CODING_DIRECTOR_HOME={tmp_path / 'data'}\n"
        "LANGSMITH_API_KEY=lsv2_sk_supersecret\n"
        "OLLAMA_BASE_URL=http://alice:hunter2pw@127.0.0.1:9\n"
        "RETRIES=0\n"
    )
    settings = load_settings(env_file)
    request = httpx.Request("POST", "http://127.0.0.1:9/api/chat")
    models = team(
        lead=[httpx.ConnectError("refused", request=request)],
        senior=["Set LANGSMITH_API_KEY=lsv2_sk_supersecret in your shell."],
    )
    graph = build_graph(settings=settings, models=models, checkpointer=None)
    result = graph.invoke({"messages": [("user", "How do I configure LangSmith?")]})
    assert "alice:[redacted]@127.0.0.1:9" in result["attempts"][0]["error"]  # the user sees which server...
    log = settings.run_log_file.read_text()
    assert "[redacted]" in log  # ...and no password, neither in the answer nor in the log
    assert "hunter2pw" not in log
    assert "lsv2_sk_supersecret" not in log
