"""What the orchestration itself costs, with zero-latency fake models.

    python -m benchmarks.overhead_benchmark [--requests 1000]

Per request: the whole graph (route → lead → validate → finish) with a fake model that
answers instantly, minus the fake model's own time, with and without the validator's
time, and with SQLite checkpointing (cost per step). Compared with calling the same
fake model directly.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from langchain_core.language_models.fake_chat_models import FakeListChatModel

from benchmarks.report import median, percentile, write_section
from coding_director import build_graph
from coding_director.core.settings import settings_from_env
from coding_director.nodes.validation import validate_answer

ANSWER = "Use `git reset --soft HEAD~1`: it moves HEAD back one commit and keeps your changes staged."
REQUEST = "How can I undo my last git commit but keep the changes?"


def _fake() -> FakeListChatModel:
    return FakeListChatModel(responses=[ANSWER])


def _time(fn, n: int) -> list[float]:
    timings = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    n = args.requests
    home = Path(tempfile.mkdtemp(prefix="cd-overhead-"))
    settings = settings_from_env({"CODING_DIRECTOR_HOME": str(home)})
    models = {role: _fake() for role in ("router", "math", "lead", "senior", "principal")}

    direct = _fake()
    direct_ms = _time(lambda: direct.invoke([("user", REQUEST)]), n)
    validate_ms = _time(lambda: validate_answer(REQUEST, ANSWER, "general"), n)

    plain = build_graph(settings=settings, models=models, checkpointer=None, run_log=False, cache=False)
    _time(lambda: plain.invoke({"messages": [("user", REQUEST)]}), 20)  # warm up
    graph_ms = _time(lambda: plain.invoke({"messages": [("user", REQUEST)]}), n)

    saved = build_graph(settings=settings, models=models, memory_path=home / "bench.sqlite", run_log=False, cache=False)
    counter = iter(range(10**9))
    sqlite_ms = _time(
        lambda: saved.invoke(
            {"messages": [("user", REQUEST)]}, {"configurable": {"thread_id": f"b{next(counter) % 50}"}}
        ),
        n,
    )
    steps = len(list(saved.get_state_history({"configurable": {"thread_id": "b0"}}))) // max(1, n // 50)

    overhead = [g - median(direct_ms) for g in graph_ms]
    without_validation = [o - median(validate_ms) for o in overhead]
    per_step = (median(sqlite_ms) - median(graph_ms)) / max(steps, 1)

    def row(label: str, values: list[float], target: str = "") -> str:
        return f"| {label} | {median(values):.2f} ms | {percentile(values, 99):.2f} ms | {target} |"

    body = "\n".join(
        [
            f"Command: `python -m benchmarks.overhead_benchmark --requests {n}`",
            "",
            "Zero-latency fake chat models; a general request that the rules route confidently "
            "(route → lead_developer → validate → finish, 4 nodes), no run log.",
            "",
            "| figure | median | p99 | target |",
            "|---|---|---|---|",
            row("direct call of the fake model", direct_ms),
            row("graph per request, no checkpointer", graph_ms),
            row("orchestration overhead, validation included", overhead),
            row("orchestration overhead, validation excluded", without_validation, "< 5 ms"),
            row("validation of this answer alone", validate_ms),
            row("graph per request, SQLite checkpointer", sqlite_ms),
            f"| SQLite checkpointing per step ({steps} steps a request) | {per_step:.2f} ms | | < 2 ms |",
            "",
            f"Graph / direct call ratio (medians): {median(graph_ms) / median(direct_ms):.1f}×. "
            "This answer has no code; an answer whose code the validator runs in the sandbox adds "
            "the sandbox's time (about 70 ms median, see the validation benchmark).",
        ]
    )
    print(body)
    if not args.no_write:
        write_section("overhead", "Orchestration overhead", body)


if __name__ == "__main__":
    main()
