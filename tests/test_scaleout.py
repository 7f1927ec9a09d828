"""Scale-out: several `serve` processes on one PostgreSQL database share every conversation.

Real processes, a real database (the session's throwaway cluster), every role on the Ollama stand-in.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from coding_director import build_graph
from coding_director.core.settings import DEFAULT_MODELS, settings_from_env
from tests.serve_support import serve_process
from tests.standin import GOOD_CODE, StandinOllama

EXE = shutil.which("coding-director") or ""  # the tests skip without the installed command


def _env(database_url: str, ollama_url: str, home: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "BACKEND": "ollama",
        "OLLAMA_BASE_URL": ollama_url,
        "CODING_DIRECTOR_HOME": str(home),
        "RETRY_BACKOFF": "0",
        "CACHE": "false",
        **extra,
    }


@contextmanager
def serve_worker(env: dict[str, str]) -> Iterator[tuple[str, subprocess.Popen]]:
    """One `coding-director serve` process on a free loopback port; yields (base URL, process)."""
    with serve_process("--host", "127.0.0.1", env=env) as started:
        yield started


def ask(url: str, thread: str, text: str, timeout: float = 60) -> httpx.Response:
    return httpx.post(
        f"{url}/v1/chat/completions",
        json={"model": "coding-director", "messages": [{"role": "user", "content": text}]},
        headers={"X-Thread-Id": thread},
        timeout=timeout,
    )


def thread_messages(database_url: str, home: Path, thread: str) -> list[tuple[str, str]]:
    settings = settings_from_env({"DATABASE_URL": database_url, "CODING_DIRECTOR_HOME": str(home)})
    graph = build_graph(settings=settings, models={})
    state = graph.get_state({"configurable": {"thread_id": thread}})
    return [(m.type, str(m.content)) for m in state.values.get("messages", [])]


@pytest.fixture
def standin():
    with StandinOllama(models=list(DEFAULT_MODELS.values()), responder=lambda r: GOOD_CODE) as server:
        yield server


@pytest.mark.skipif(not EXE, reason="the coding-director command is not installed")
def test_two_workers_alternate_turns_of_one_conversation(postgres_url, standin, tmp_path):
    env = _env(postgres_url, standin.url, tmp_path)
    with serve_worker(env) as (a, _), serve_worker(env) as (b, _):
        for n, url in enumerate([a, b, a, b]):
            reply = ask(url, "shared", f"Write a Python function add(a, b) that returns the sum. ({n})")
            assert reply.status_code == 200, reply.text
            assert "def add" in reply.json()["choices"][0]["message"]["content"]
    messages = thread_messages(postgres_url, tmp_path, "shared")
    assert [kind for kind, _ in messages] == ["human", "ai"] * 4
    assert [text[-3:] for kind, text in messages if kind == "human"] == ["(0)", "(1)", "(2)", "(3)"]


@pytest.mark.skipif(not EXE, reason="the coding-director command is not installed")
def test_eight_concurrent_requests_on_one_thread_across_two_workers_lose_no_turn(postgres_url, tmp_path):
    with StandinOllama(models=list(DEFAULT_MODELS.values()), responder=lambda r: GOOD_CODE, delay_s=0.2) as slow:
        env = _env(postgres_url, slow.url, tmp_path, THREAD_WAIT_S="120")
        with serve_worker(env) as (a, _), serve_worker(env) as (b, _):
            texts = [f"Write a Python function add(a, b) that returns the sum. [{n}]" for n in range(8)]
            with ThreadPoolExecutor(8) as pool:
                replies = list(pool.map(lambda n: ask([a, b][n % 2], "busy", texts[n], timeout=180), range(8)))
    assert [r.status_code for r in replies] == [200] * 8, [r.text for r in replies if r.status_code != 200]
    messages = thread_messages(postgres_url, tmp_path, "busy")
    assert sorted(text for kind, text in messages if kind == "human") == sorted(texts)
    assert [kind for kind, _ in messages] == ["human", "ai"] * 8  # serialised: each answer follows its question


@pytest.mark.skipif(not EXE, reason="the coding-director command is not installed")
def test_a_worker_killed_mid_request_leaves_the_thread_whole_and_another_worker_takes_the_retry(postgres_url, tmp_path):
    slow_first = {"n": 0}

    def respond(request):
        slow_first["n"] += 1
        if slow_first["n"] == 1:
            time.sleep(30)  # the first worker is killed while it waits for this
        return GOOD_CODE

    with StandinOllama(models=list(DEFAULT_MODELS.values()), responder=respond) as server:
        env = _env(postgres_url, server.url, tmp_path, THREAD_WAIT_S="30")
        text = "Write a Python function add(a, b) that returns the sum."
        with serve_worker(env) as (a, worker_a), serve_worker(env) as (b, _):
            with ThreadPoolExecutor(1) as pool:
                pending = pool.submit(lambda: ask(a, "killed", text, timeout=60))
                deadline = time.monotonic() + 30
                while not server.chat_requests():
                    assert time.monotonic() < deadline, "the first worker never called the model"
                    time.sleep(0.05)
                worker_a.kill()  # SIGKILL: one process, the server and its worker
                with pytest.raises(httpx.HTTPError):
                    pending.result()
            retry = ask(b, "killed", text)
            assert retry.status_code == 200, retry.text
            assert "def add" in retry.json()["choices"][0]["message"]["content"]
    messages = thread_messages(postgres_url, tmp_path, "killed")
    assert [kind for kind, _ in messages] == ["human", "ai"]  # the killed attempt left no duplicate turn
