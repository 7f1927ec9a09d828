"""What `coding-director serve` costs over calling the graph in-process, and what streaming buys.

    flock /tmp/cd-bench.lock python -m benchmarks.serve_benchmark [--requests 300] [--seconds 4]

1. Zero-latency fake models (an answer that passes at once): per-request latency of an in-process
   `graph.invoke()` against the same graph behind the server (non-streamed and streamed, one client
   over a kept-alive connection), and requests/s with 1, 4 and 16 concurrent clients. The server runs
   in a process of its own (uvicorn, one worker); the clients run in this one, on the same machine.
2. The real embedded model: time to the first content token, verified (the default: only after an
   answer passed review) against provisional (tokens as the tier writes them).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from benchmarks.report import median, percentile, write_section

REQUEST = "How can I undo my last git commit but keep the changes?"
ANSWER = "Use `git reset --soft HEAD~1`: it moves HEAD back one commit and keeps your changes staged."
BODY = {"model": "coding-director", "messages": [{"role": "user", "content": REQUEST}]}
ROLES = ("router", "math", "lead", "senior", "principal")


class InstantModel(BaseChatModel):
    """Answers at once, always the same (no streaming: one message, as a fast backend would send)."""

    @property
    def _llm_type(self) -> str:
        return "instant-fake"

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        message = AIMessage(ANSWER, usage_metadata={"input_tokens": 20, "output_tokens": 20, "total_tokens": 40})
        return ChatResult(generations=[ChatGeneration(message=message)])


def fake_graph(home: Path) -> tuple[Any, Any]:
    from coding_director import build_graph
    from coding_director.core.settings import settings_from_env

    settings = settings_from_env(
        {
            "CODING_DIRECTOR_HOME": str(home),
            "CACHE": "false",
            "SERVE_MAX_CONCURRENT": os.environ.get("SERVE_MAX_CONCURRENT", "4"),
            "SERVE_MAX_QUEUE": "256",
        }
    )
    graph = build_graph(settings=settings, models={r: InstantModel() for r in ROLES}, checkpointer=None, cache=False)
    return graph, settings


def serve_fakes(port: int, home: Path) -> None:
    """The server side of part 1 (run in its own process)."""
    import uvicorn

    from coding_director.app.serve.app import create_app

    graph, settings = fake_graph(home)
    uvicorn.run(create_app(graph, settings), host="127.0.0.1", port=port, log_level="warning", access_log=False)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_up(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        try:
            if httpx.get(url + "/", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit("the server did not start")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def ask(client: httpx.Client, url: str, stream: bool = False) -> None:
    if stream:
        with client.stream("POST", url + "/v1/chat/completions", json={**BODY, "stream": True}) as reply:
            for line in reply.iter_lines():
                if line == "data: [DONE]":
                    return
        raise RuntimeError("the stream ended without [DONE]")
    reply = client.post(url + "/v1/chat/completions", json=BODY)
    if reply.status_code != 200:
        raise RuntimeError(f"{reply.status_code}: {reply.text[:200]}")


def throughput(url: str, clients: int, seconds: float) -> tuple[float, list[float]]:
    latencies: list[float] = []
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def work() -> None:
        with httpx.Client(timeout=60) as client:
            while time.perf_counter() < stop_at:
                started = time.perf_counter()
                ask(client, url)
                with lock:
                    latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    threads = [threading.Thread(target=work) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.perf_counter() - started), latencies


def part_one(n: int, seconds: float) -> list[str]:
    home = Path(tempfile.mkdtemp(prefix="cd-serve-bench-"))
    graph, _ = fake_graph(home / "inprocess")
    payload = {"messages": [("user", REQUEST)]}
    timed(lambda: graph.invoke(payload), 30)  # warm up
    invoke_ms = timed(lambda: graph.invoke(payload), n)

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.serve_benchmark", "--serve-fakes", str(port), str(home / "served")]
    )
    try:
        wait_up(url, process)
        with httpx.Client(timeout=60) as client:
            timed(lambda: ask(client, url), 30)  # warm up
            served_ms = timed(lambda: ask(client, url), n)
            streamed_ms = timed(lambda: ask(client, url, stream=True), n)
        rates = {c: throughput(url, c, seconds) for c in (1, 4, 16)}
    finally:
        stop(process)

    def row(label: str, values: list[float], target: str = "") -> str:
        return f"| {label} | {median(values):.2f} ms | {percentile(values, 99):.2f} ms | {target} |"

    limit = os.environ.get("SERVE_MAX_CONCURRENT", "4")
    overhead_p50 = median(served_ms) - median(invoke_ms)
    overhead_p99 = percentile(served_ms, 99) - percentile(invoke_ms, 99)
    lines = [
        "Zero-latency fake models (a general request the rules route confidently, answered at once, passing "
        "review: route → lead_developer → validate → finish), run log on, cache off. One client over a kept-alive "
        f"connection, {n} requests each; the server is one uvicorn worker in its own process.",
        "",
        "| figure | p50 | p99 | target |",
        "|---|---|---|---|",
        row("in-process `graph.invoke()`", invoke_ms),
        row("served, `POST /v1/chat/completions`", served_ms),
        row("served, streamed (SSE, to `[DONE]`)", streamed_ms),
        f"| **server overhead** (served − in-process) | {overhead_p50:.2f} ms | {overhead_p99:.2f} ms | p50 < 5 ms |",
        "",
        f"Concurrent clients ({seconds:g} s each; `SERVE_MAX_CONCURRENT={limit}`, "
        "so more clients queue; the clients share the machine's cores with the server):",
        "",
        "| clients | requests/s | latency p50 | latency p99 |",
        "|---|---|---|---|",
    ]
    for clients, (rate, latencies) in rates.items():
        lines.append(f"| {clients} | {rate:.0f} | {median(latencies):.1f} ms | {percentile(latencies, 99):.1f} ms |")
    shutil.rmtree(home, ignore_errors=True)
    return lines


PROMPTS = [
    "What is 17 * 23?",
    "Write a Python function is_even(n) that returns True when n is even.",
    "Explain the difference between a list and a tuple in Python.",
]


def first_content(url: str, model: str, prompt: str) -> tuple[float, float, str]:
    """(seconds to the first content token, seconds to the end, outcome) for one streamed request."""
    body = {"model": model, "stream": True, "messages": [{"role": "user", "content": prompt}]}
    started = time.perf_counter()
    first = None
    outcome = "?"
    with httpx.stream("POST", url + "/v1/chat/completions", json=body, timeout=600) as reply:
        for line in reply.iter_lines():
            if not line.startswith("data: {"):
                continue
            chunk = json.loads(line[6:])
            for choice in chunk.get("choices", []):
                if choice["delta"].get("content") and first is None:
                    first = time.perf_counter() - started
                if choice.get("finish_reason"):
                    outcome = chunk["coding_director"]["outcome"]
    total = time.perf_counter() - started
    return (first if first is not None else total), total, outcome


def part_two(rounds: int) -> list[str]:
    exe = shutil.which("coding-director")
    if exe is None:
        return ["(skipped: `coding-director` is not installed)"]
    home = Path(tempfile.mkdtemp(prefix="cd-serve-ttft-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "BACKEND": "embedded", "CACHE": "false", "CODING_DIRECTOR_HOME": str(home)}
    process = subprocess.Popen(
        [exe, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    results: dict[str, list[tuple[float, float, str]]] = {"verified": [], "provisional": []}
    try:
        wait_up(url, process)
        first_content(url, "coding-director", "Say hello.")  # load the model once
        for _ in range(rounds):
            for prompt in PROMPTS:
                results["verified"].append(first_content(url, "coding-director", prompt))
                results["provisional"].append(first_content(url, "coding-director+provisional", prompt))
    finally:
        stop(process)
        shutil.rmtree(home, ignore_errors=True)
    lines = [
        "The embedded Qwen2.5-Coder team (0.5B lead, 1.5B senior, principal and math); "
        f"{len(PROMPTS)} prompts (a product, a small function, an explanation) × {rounds}, "
        "each streamed once per mode, cache off.",
        "",
        "| mode | first content token, median | max | whole answer, median | passed |",
        "|---|---|---|---|---|",
    ]
    for mode, runs in results.items():
        firsts, totals = [r[0] for r in runs], [r[1] for r in runs]
        passed = sum(1 for r in runs if r[2] == "passed")
        lines.append(
            f"| {mode} | {median(firsts):.2f} s | {max(firsts):.2f} s | {median(totals):.2f} s | {passed}/{len(runs)} |"
        )
    lines += [
        "",
        "Verified waits for a passing answer (or the end) before any content, so its first token comes at the "
        "end; provisional shows the first tier's tokens at once, and any that fail review stay on screen above "
        "the separator.",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=1, help="rounds of the embedded prompts")
    parser.add_argument("--no-embedded", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--serve-fakes", nargs=2, metavar=("PORT", "HOME"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_fakes:
        serve_fakes(int(args.serve_fakes[0]), Path(args.serve_fakes[1]))
        return
    command = f"python -m benchmarks.serve_benchmark --requests {args.requests} --seconds {args.seconds:g}"
    body = [f"Command: `flock /tmp/cd-bench.lock {command}`", "", *part_one(args.requests, args.seconds)]
    if not args.no_embedded:
        body += ["", "### Time to first content token, verified against provisional", "", *part_two(args.rounds)]
    text = "\n".join(body)
    print(text)
    if not args.no_write:
        write_section("serve", "Serving: `coding-director serve`", text)


if __name__ == "__main__":
    main()
