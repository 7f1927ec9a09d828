"""A soak run against the Ollama stand-in with injected faults: is anything ever lost?

    python -m benchmarks.soak_benchmark [--requests 1000] [--threads 50] [--workers 4] [--seed 1]

Every /api/chat call draws a fault from a fixed-seed mix (dropped connection 5%, HTTP 503
5%, stall mid-stream 2%). Requests run concurrently through one graph and one SQLite
memory file; afterwards every thread is read back and checked.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmarks.report import write_section
from coding_director import build_graph
from coding_director.core.settings import DEFAULT_MODELS, settings_from_env
from tests.standin import StandinOllama

GOOD_CODE = "```python\ndef add(a, b):\n    return a + b\n```"
FAULT_MIX = {"disconnect": 0.05, "busy": 0.05, "stall": 0.02}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    lock = threading.Lock()
    injected: dict[str, int] = dict.fromkeys(FAULT_MIX, 0)

    def draw(body: dict) -> str | None:
        with lock:
            roll = rng.random()
        edge = 0.0
        for fault, share in FAULT_MIX.items():
            edge += share
            if roll < edge:
                with lock:
                    injected[fault] += 1
                return fault
        return None

    workdir = Path(tempfile.mkdtemp(prefix="cd-soak-"))
    memory = workdir / "memory.sqlite"
    with StandinOllama(
        models=list(DEFAULT_MODELS.values()), responder=lambda r: GOOD_CODE, faults=draw, fault_delay_s=1.0
    ) as server:
        settings = settings_from_env(
            {
                "BACKEND": "ollama",
                "OLLAMA_BASE_URL": server.url,
                "CODING_DIRECTOR_HOME": str(workdir),
                "REQUEST_TIMEOUT": "0.5",
                "RETRIES": "2",
                "RETRY_BACKOFF": "0.01",
            }
        )
        graph = build_graph(settings=settings, memory_path=memory, cache=False)  # every request reaches a model
        plan = [(f"soak-{i % args.threads}", i) for i in range(args.requests)]
        per_thread: dict[str, list[int]] = {}
        for thread, i in plan:
            per_thread.setdefault(thread, []).append(i)

        def run_thread(thread: str) -> list[dict]:
            results = []
            for i in per_thread[thread]:
                config = {"configurable": {"thread_id": thread}}
                results.append(
                    graph.invoke({"messages": [("user", f"Write a Python function add(a, b). #{i}")]}, config)
                )
            return results

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            outcomes = [r for rs in pool.map(run_thread, per_thread) for r in rs]
        wall = time.perf_counter() - started

        lost = 0
        for thread, numbers in per_thread.items():
            messages = graph.get_state({"configurable": {"thread_id": thread}}).values.get("messages", [])
            asked = [m.content for m in messages if m.type == "human"]
            answered = [m for m in messages if m.type == "ai"]
            expected = [f"Write a Python function add(a, b). #{i}" for i in numbers]
            if asked != expected or len(answered) != len(expected):
                lost += 1
    with sqlite3.connect(memory) as connection:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]

    passed = [r for r in outcomes if r["outcome"] == "passed"]
    after_retry = [r for r in passed if any(a.get("retries") for a in r["attempts"])]
    escalated = [r for r in passed if any(a["error"] for a in r["attempts"])]
    failed = [r for r in outcomes if r["outcome"] != "passed"]
    clear = [r for r in failed if r["final_answer"].startswith("Sorry — no model could answer")]
    body = "\n".join(
        [
            f"Command: `python -m benchmarks.soak_benchmark --requests {args.requests} --threads {args.threads} "
            f"--workers {args.workers} --seed {args.seed}`",
            "",
            f"Fault mix per model call: {', '.join(f'{k} {v:.0%}' for k, v in FAULT_MIX.items())} "
            f"(injected: {', '.join(f'{k} {v}' for k, v in injected.items())}); request timeout 0.5 s, "
            "2 retries. `disconnect` drops the connection before any reply; a refused connection "
            "(no server) is covered by the fault tests.",
            "",
            "| figure | value |",
            "|---|---|",
            f"| requests | {len(outcomes)} in {wall:.0f} s ({len(outcomes) / wall:.1f}/s, {args.workers} at a time) |",
            f"| answered (passed review) | {len(passed)} |",
            f"| answered after a retry | {len(after_retry)} |",
            f"| answered after escalating past a fault | {len(escalated)} |",
            f"| failed with a clear message | {len(clear)} of {len(failed)} failed |",
            f"| **lost or corrupted threads** | **{lost}** of {len(per_thread)} (SQLite integrity: {integrity}) |",
        ]
    )
    print(body)
    if not args.no_write:
        write_section("soak", "Reliability: soak under injected faults", body)


if __name__ == "__main__":
    main()
