from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
from pathlib import Path

import platformdirs
import pytest
from langgraph.checkpoint.memory import InMemorySaver

from coding_director.core.backends.model_files import parts_installed
from coding_director.core.catalogue import CATALOGUE
from coding_director.core.memory import sqlite_checkpointer
from coding_director.core.settings import Settings, settings_from_env
from tests.postgres_cluster import cluster, fresh_database
from tests.standin import team_standin

#: Every test and the processes it starts share one copy of the assembled embedded models (1.6 GB),
#: in the default data directory, even where a test moves CODING_DIRECTOR_HOME or HOME elsewhere.
os.environ.setdefault("EMBEDDED_MODEL_DIR", str(Path(platformdirs.user_data_dir("coding-director")) / "models"))
SHARED_MODEL_DIR = os.environ["EMBEDDED_MODEL_DIR"]

HAS_EMBEDDED = importlib.util.find_spec("llama_cpp") is not None and all(
    parts_installed(entry) for entry in CATALOGUE.values()
)


def free_port() -> int:
    """A loopback port nothing listens on (a dead Ollama URL, or a port for a server to start)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL server for the session. Skips locally when PostgreSQL is not installed;
    under CI (CD_REQUIRE_POSTGRES=1, set by .ci/run) a missing server fails instead."""
    try:
        with cluster() as url:
            yield url
    except (FileNotFoundError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        reason = f"no PostgreSQL server for the tests: {exc} {detail.decode(errors='replace')[-300:]}".strip()
        if os.environ.get("CD_REQUIRE_POSTGRES"):
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """A fresh, empty database on the session's server."""
    return fresh_database(postgres_server)


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def checkpointer(request, tmp_path):
    """Each LangGraph saver the project supports, as langgraph's own tests parametrise theirs."""
    if request.param == "memory":
        yield InMemorySaver()
    elif request.param == "sqlite":
        saver = sqlite_checkpointer(tmp_path / "checkpoints.sqlite")
        yield saver
        saver.conn.close()
    else:
        from coding_director.core.postgres import open_pool, postgres_checkpointer

        pool = open_pool(request.getfixturevalue("postgres_url"), max_size=4)
        yield postgres_checkpointer(pool)
        pool.close()


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


@pytest.fixture
def ollama():
    """A stand-in Ollama serving every default model, answering with working code (tests/standin.py)."""
    with team_standin() as server:
        yield server
