"""Throughput with `coding-director serve --workers N` on PostgreSQL, against one worker on SQLite.

Every role is on the Ollama stand-in with a fixed latency per call, and each worker admits
SERVE_MAX_CONCURRENT requests at a time (its share of the model servers), so the model calls are
the limit: N workers should serve about N times the requests of one. The clients keep more
requests in flight than the largest run admits; each client is one conversation (X-Thread-Id),
so memory, the run log and the thread locks all go through the store.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from benchmarks.report import median, percentile
from coding_director.core.settings import DEFAULT_MODELS
from tests.conftest import free_port
from tests.postgres_cluster import cluster, fresh_database
from tests.serve_support import wait_until_up
from tests.standin import StandinOllama

MODEL_LATENCY_S = 1.0
PER_WORKER = 2
CLIENTS = 24
ANSWER = "Use `git reset --soft HEAD~1`: it moves HEAD back one commit and keeps your changes staged."
REQUEST = "How can I undo my last git commit but keep the changes?"


def _start(env: dict[str, str], workers: int) -> tuple[str, subprocess.Popen]:
    port = free_port()
    exe = shutil.which("coding-director") or "coding-director"
    process = subprocess.Popen(
        [exe, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url, process, timeout=120)
    # every worker answers before timing starts (uvicorn forks them; the first may be up alone)
    with ThreadPoolExecutor(workers * PER_WORKER) as pool:
        list(pool.map(lambda i: _ask(url, f"warm-{i}"), range(workers * PER_WORKER * 2)))
    return url, process


def _stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _ask(url: str, thread: str) -> float:
    started = time.perf_counter()
    reply = httpx.post(
        f"{url}/v1/chat/completions",
        json={"model": "coding-director", "messages": [{"role": "user", "content": REQUEST}]},
        headers={"X-Thread-Id": thread},
        timeout=300,
    )
    reply.raise_for_status()
    return time.perf_counter() - started


def _load(urls: list[str], requests: int) -> tuple[float, list[float]]:
    """(requests/s, latencies in s) for `requests` spread over CLIENTS concurrent conversations; with
    several URLs, each request goes to the next one in turn (a round-robin load balancer)."""
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(requests))

    def client(number: int) -> None:
        for index in counter:
            seconds = _ask(urls[index % len(urls)], f"client-{number}")
            with lock:
                latencies.append(seconds)

    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(client, range(CLIENTS)))
    return requests / (time.perf_counter() - started), latencies


def workers_throughput(requests: int) -> str:
    rows = []
    with (
        StandinOllama(
            models=list(DEFAULT_MODELS.values()), responder=lambda r: ANSWER, delay_s=MODEL_LATENCY_S
        ) as ollama,
        cluster() as server,
    ):
        base = {
            **os.environ,
            "BACKEND": "ollama",
            "OLLAMA_BASE_URL": ollama.url,
            "CACHE": "false",
            "SERVE_MAX_CONCURRENT": str(PER_WORKER),
            "SERVE_MAX_QUEUE": "1000",
        }
        # (store, processes, workers per process): `serve --workers N` shares one socket among N worker
        # processes; N processes on their own ports behind a round-robin balancer is the team deployment
        runs = [
            ("SQLite", 1, 1),
            ("PostgreSQL", 1, 1),
            ("PostgreSQL", 1, 2),
            ("PostgreSQL", 1, 4),
            ("PostgreSQL", 2, 1),
            ("PostgreSQL", 4, 1),
        ]
        baseline = None
        for store, processes, workers in runs:
            home = Path(tempfile.mkdtemp(prefix="cd-scaleout-"))
            env = {**base, "CODING_DIRECTOR_HOME": str(home)}
            if store == "PostgreSQL":
                env["DATABASE_URL"] = fresh_database(server)
            started = [_start(env, workers) for _ in range(processes)]
            try:
                rate, latencies = _load([url for url, _ in started], requests)
            finally:
                for _, process in started:
                    _stop(process)
                shutil.rmtree(home, ignore_errors=True)
            if store == "PostgreSQL" and processes * workers == 1:
                baseline = rate
            scale = f"{rate / baseline:.2f}×" if baseline and store == "PostgreSQL" else ""
            how = f"`serve --workers {workers}`" if processes == 1 else f"{processes} `serve` processes, round-robin"
            rows.append(
                f"| {store} | {how} | {processes * workers} | {rate:.1f} | {median(latencies) * 1000:.0f} ms "
                f"| {percentile(latencies, 99) * 1000:.0f} ms | {scale} |"
            )
            print(rows[-1], flush=True)
    return "\n".join(
        [
            f"Every role on the Ollama stand-in at {MODEL_LATENCY_S * 1000:.0f} ms a call; each worker admits "
            f"{PER_WORKER} requests at a time (SERVE_MAX_CONCURRENT); {CLIENTS} clients, one conversation each "
            f"(X-Thread-Id), {requests} requests per run after a warm-up; a general question the rules route "
            "(route → lead → validate → finish), no answer cache. Target: 4 workers ≥ 3× one.",
            "",
            "| store | how | workers | requests/s | p50 | p99 | vs 1 worker |",
            "|---|---|---|---|---|---|---|",
            *rows,
            "",
            "`serve --workers N` shares one listening socket among its processes, and a worker already at its",
            "SERVE_MAX_CONCURRENT limit still accepts (and queues) new connections, so the kernel's uneven",
            "hand-out leaves some workers idle while others queue; a balancer that spreads requests evenly (the",
            "team deployment in the README: several `serve` processes behind any HTTP load balancer) does not.",
        ]
    )
