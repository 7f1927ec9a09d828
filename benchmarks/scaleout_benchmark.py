"""Scale-out: what the shared store costs, and how throughput grows with serve workers.

    python -m benchmarks.scaleout_benchmark [--requests 300] [--parts checkpoint,workers]

checkpoint: the whole graph with zero-latency fake models, per request, with no checkpointer,
with SQLite and with PostgreSQL (a throwaway cluster, or CD_TEST_DATABASE_URL); the difference
divided by the checkpoints written is the cost per step.

workers: `coding-director serve` with 1, 2 and 4 workers on PostgreSQL and 1 on SQLite, every role on
an Ollama stand-in with a fixed latency; a load generator keeps enough requests in flight to fill
the workers, and reports requests/s and p50/p99 latency. The model calls, not the store, should be
the limit: 4 workers should reach at least 3× the throughput of 1.
"""

from __future__ import annotations

import argparse
import contextlib
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from langchain_core.language_models.fake_chat_models import FakeListChatModel

from benchmarks.report import median, percentile, write_section
from coding_director import build_graph
from coding_director.core.settings import settings_from_env
from coding_director.core.team import ROLES

REQUEST = "How can I undo my last git commit but keep the changes?"
ANSWER = "Use `git reset --soft HEAD~1`: it moves HEAD back one commit and keeps your changes staged."


def _time(fn: Callable[[int], Any], n: int) -> list[float]:
    timings = []
    for i in range(n):
        started = time.perf_counter()
        fn(i)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


@contextlib.contextmanager
def _postgres_url() -> Iterator[str]:
    from tests.postgres_cluster import cluster, fresh_database

    with cluster() as server:
        yield fresh_database(server)


def checkpoint_cost(n: int) -> tuple[str, dict[str, float]]:
    """Per-request graph time on each checkpointer and the cost per checkpoint written."""
    from coding_director.core.postgres import open_pool, postgres_checkpointer

    home = Path(tempfile.mkdtemp(prefix="cd-scaleout-"))
    settings = settings_from_env({"CODING_DIRECTOR_HOME": str(home)})
    models = {role: FakeListChatModel(responses=[ANSWER]) for role in ROLES}

    def graph_with(checkpointer: Any):
        return build_graph(settings=settings, models=models, checkpointer=checkpointer, run_log=False, cache=False)

    def run(graph: Any, threads: bool) -> list[float]:
        def one(i: int) -> None:
            config = {"configurable": {"thread_id": f"t{i % 50}"}} if threads else None
            graph.invoke({"messages": [("user", REQUEST)]}, config)

        _time(one, 20)  # warm up (and create the tables)
        return _time(one, n)

    none_ms = run(graph_with(None), threads=False)
    sqlite_graph = build_graph(
        settings=settings, models=models, memory_path=home / "bench.sqlite", run_log=False, cache=False
    )
    sqlite_ms = run(sqlite_graph, threads=True)
    with _postgres_url() as url:
        pool = open_pool(url, max_size=4)
        try:
            pg_graph = graph_with(postgres_checkpointer(pool))
            pg_ms = run(pg_graph, threads=True)
            steps = len(list(pg_graph.get_state_history({"configurable": {"thread_id": "t0"}})))
        finally:
            pool.close()
    turns = (20 + n) // 50 + (1 if (20 + n) % 50 else 0)
    per_request_steps = max(1, steps // max(turns, 1))
    sqlite_step = (median(sqlite_ms) - median(none_ms)) / per_request_steps
    pg_step = (median(pg_ms) - median(none_ms)) / per_request_steps

    def row(label: str, values: list[float]) -> str:
        return f"| {label} | {median(values):.2f} ms | {percentile(values, 99):.2f} ms |"

    body = "\n".join(
        [
            "Zero-latency fake models; one general request per call (route → lead → validate → finish),",
            f"{n} requests spread over 50 threads, no run log, no cache. PostgreSQL: a throwaway local",
            "cluster (fsync off, loopback), pool of 4 connections.",
            "",
            "| graph per request | median | p99 |",
            "|---|---|---|",
            row("no checkpointer", none_ms),
            row("SQLite checkpointer", sqlite_ms),
            row("PostgreSQL checkpointer", pg_ms),
            "",
            f"Checkpoints written per request: {per_request_steps}. Cost per checkpoint (median over the "
            f"no-checkpointer run): SQLite {sqlite_step:.2f} ms, PostgreSQL {pg_step:.2f} ms.",
        ]
    )
    return body, {"sqlite_step_ms": sqlite_step, "postgres_step_ms": pg_step}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--parts", default="checkpoint,workers")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    sections = [f"Command: `python -m benchmarks.scaleout_benchmark --requests {args.requests} --parts {args.parts}`"]
    if "checkpoint" in parts:
        body, _ = checkpoint_cost(args.requests)
        sections += ["", "### Checkpoint cost per step", "", body]
    if "workers" in parts:
        from benchmarks.scaleout_workers import workers_throughput

        sections += ["", "### Throughput with serve workers", "", workers_throughput(args.requests)]
    text = "\n".join(sections)
    print(text)
    if not args.no_write:
        write_section("scaleout", "Scale-out: shared store and workers", text)


if __name__ == "__main__":
    main()
