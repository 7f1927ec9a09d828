"""Embedded throughput: tokens/s through the graph against llama-cpp-python called directly.

    python -m benchmarks.throughput_benchmark [--runs 5] [--max-tokens 200]

Same model file, same messages (the lead developer's system prompt and one request),
same settings and seed, in one process; time to first token both ways.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

from benchmarks.report import median, write_section
from coding_director import build_graph
from coding_director.core.backends.embedded import _load, model_for, model_path
from coding_director.core.catalogue import CATALOGUE
from coding_director.core.settings import Settings, settings_from_env
from coding_director.prompts import load_prompt

REQUEST = "Explain what a Python generator is, with a short example."


def lead_model_file(settings) -> str:
    return str(model_path(settings, model_for(settings, "lead")))


def direct_run(path: str, max_tokens: int, threads: int) -> tuple[float, float, int]:
    llama, lock = _load(path, 4096, threads)
    messages = [{"role": "system", "content": load_prompt("lead_developer")}, {"role": "user", "content": REQUEST}]
    started = time.perf_counter()
    first = None
    tokens = 0
    with lock:
        for part in llama.create_chat_completion(
            messages=messages, max_tokens=max_tokens, temperature=0.2, seed=0, stream=True
        ):
            if part["choices"][0].get("delta", {}).get("content"):
                tokens += 1
                first = first or time.perf_counter()
    end = time.perf_counter()
    return (first or end) - started, end - started, tokens


def graph_run(graph, max_tokens: int) -> tuple[float, float, int]:
    started = time.perf_counter()
    first = None
    tokens = 0
    end = started
    for chunk, meta in graph.stream({"messages": [("user", REQUEST)]}, stream_mode="messages"):
        if meta.get("langgraph_node") == "lead_developer" and chunk.content:
            tokens += 1
            first = first or time.perf_counter()
            end = time.perf_counter()
        if tokens and meta.get("langgraph_node") == "validate":
            break
    return (first or end) - started, end - started, tokens


def measure(model: str, threads: int, runs: int, max_tokens: int) -> dict:
    settings = settings_from_env(
        {
            **{k: v for k, v in os.environ.items() if k == "EMBEDDED_MODEL_DIR"},
            "BACKEND": "embedded",
            "EMBEDDED_LEAD_MODEL": model,
            "CODING_DIRECTOR_HOME": tempfile.mkdtemp(prefix="cd-tput-"),
            "EMBEDDED_MAX_TOKENS": str(max_tokens),
            "EMBEDDED_THREADS": str(threads),
            "MAX_ATTEMPTS": "1",
        }
    )
    graph = build_graph(settings=settings, checkpointer=None, run_log=False, cache=False)
    path = lead_model_file(settings)
    direct_run(path, 16, threads)  # load the model once for both
    rows: dict[str, list] = {"direct": [], "graph": []}
    for _ in range(runs):  # interleaved, so drift hits both alike
        rows["direct"].append(direct_run(path, max_tokens, threads))
        rows["graph"].append(graph_run(graph, max_tokens))

    def rate(samples):
        return median([tokens / (total - ttft) for ttft, total, tokens in samples if tokens > 1 and total > ttft])

    return {
        "direct": rate(rows["direct"]),
        "graph": rate(rows["graph"]),
        "direct_ttft": median([r[0] for r in rows["direct"]]) * 1000,
        "graph_ttft": median([r[0] for r in rows["graph"]]) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--max-tokens", type=int, default=200)
    parser.add_argument("--models", default=",".join(CATALOGUE), help="catalogue names, comma-separated")
    parser.add_argument("--threads", default="", help="thread counts, comma-separated (default: 1 and every core)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    counts = [int(t) for t in args.threads.split(",") if t] or sorted({1, cores})
    default_threads = Settings().embedded_threads_or_default
    lines = [
        f"Command: `flock /tmp/cd-bench.lock python -m benchmarks.throughput_benchmark --runs {args.runs} "
        f"--max-tokens {args.max_tokens}` on {cores} cores",
        "",
        "The lead's request through llama-cpp-python called directly and through the graph (streamed, same "
        "messages, settings and seed, interleaved in one process); tokens/s counts the tokens after the "
        "first over the time after the first; the graph's time to first token (TTFT) includes routing.",
        "",
        "| model | llama threads | direct tokens/s | graph tokens/s | ratio | direct TTFT | graph TTFT |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in args.models.split(","):
        for threads in counts:
            r = measure(name, threads, args.runs, args.max_tokens)
            label = f"{threads} (default)" if threads == default_threads else str(threads)
            row = (
                f"| {CATALOGUE[name].title} | {label} | {r['direct']:.1f} | {r['graph']:.1f} | "
                f"**{r['graph'] / r['direct']:.2f}** | {r['direct_ttft']:.0f} ms | {r['graph_ttft']:.0f} ms |"
            )
            print(row, flush=True)
            lines.append(row)
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        write_section("throughput", "Embedded throughput", body)


if __name__ == "__main__":
    main()
