"""Peak memory of one `ask` on the embedded default, and the memory plan for the seed's five models.

python -m benchmarks.memory_benchmark
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile

from benchmarks.report import write_section
from coding_director.core.memory_plan import KNOWN_SIZES_GB, LOADED_FACTOR, available_memory_bytes, memory_plan
from coding_director.core.settings import DEFAULT_MODELS

REQUEST = "Write a Python function that returns the square of x."


def peak_rss_of_ask() -> float:
    """MiB: the largest resident set of the `ask` process (its sandbox children are far smaller)."""
    exe = shutil.which("coding-director")
    command = [exe] if exe else [sys.executable, "-m", "coding_director.app.cli"]
    env = {**os.environ, "BACKEND": "embedded", "CODING_DIRECTOR_HOME": tempfile.mkdtemp(prefix="cd-mem-")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run([*command, "ask", "--no-stream", REQUEST], env=env, capture_output=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(after, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    peak = peak_rss_of_ask()
    sizes = {role: KNOWN_SIZES_GB[tag] for role, tag in DEFAULT_MODELS.items()}
    lines = [
        "Command: `python -m benchmarks.memory_benchmark`",
        "",
        f"Peak resident memory of one `coding-director ask` on the embedded default: **{peak:.0f} MiB** "
        "(Python, LangGraph, llama-cpp-python and the 98 MB SmolLM2 file).",
        "",
        f"Memory plan for the seed's five Ollama models (download sizes, about {LOADED_FACTOR}× when loaded), "
        "as `coding-director doctor` prints it for the machine it runs on:",
        "",
        "| role | model | download | loaded (approx.) |",
        "|---|---|---|---|",
    ]
    for role, tag in DEFAULT_MODELS.items():
        lines.append(f"| {role} | `{tag}` | {sizes[role]:.1f} GB | {sizes[role] * LOADED_FACTOR:.1f} GB |")
    lines.append("")
    free = available_memory_bytes()
    machines = [16, 32, 64] + ([round(free / 1024**3)] if free else [])
    for gb in machines:
        label = f"this machine ({gb} GB free)" if free and gb == round(free / 1024**3) else f"{gb} GB free"
        lines.append(f"- **{label}**: " + "; ".join(memory_plan(sizes, gb)))
    lines += [
        "",
        "The router and the lead answer most requests, so they stay loaded (`ROUTER_KEEP_ALIVE=-1`, "
        "`LEAD_KEEP_ALIVE=30m`); the 13B tiers are needed only after a failure and unload right after "
        "(`SENIOR_KEEP_ALIVE=0`, `PRINCIPAL_KEEP_ALIVE=0`) where memory is short.",
    ]
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        write_section("memory", "Memory", body)


if __name__ == "__main__":
    main()
