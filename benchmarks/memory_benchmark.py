"""Peak memory and load times of the embedded team (both models loaded), and the memory plan for
the seed's five Ollama models.

    flock /tmp/cd-bench.lock python -m benchmarks.memory_benchmark
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

from benchmarks.report import write_section
from coding_director.core.catalogue import CATALOGUE
from coding_director.core.memory_plan import LOADED_FACTOR, available_memory_bytes, memory_plan, model_size_gb
from coding_director.core.settings import DEFAULT_MODELS

#: Run in a fresh process, so its peak resident set is the team's and nothing else's.
PROBE = """
import json, resource, sys, time
from coding_director.core.backends.registry import ModelRegistry
from coding_director.core.settings import load_settings
registry = ModelRegistry(load_settings())
out = {"rss_start_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
for role in ("lead", "senior"):
    started = time.perf_counter()
    model = registry.get(role)
    model._engine()
    out[role + "_load_s"] = time.perf_counter() - started
    started = time.perf_counter()
    model.invoke("What is 2 + 3? Reply with the number only.")
    out[role + "_answer_s"] = time.perf_counter() - started
    out[role + "_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def team_memory() -> dict[str, float]:
    env = {**os.environ, "BACKEND": "embedded", "EMBEDDED_MAX_TOKENS": "16"}
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    team = team_memory()
    sizes = {role: model_size_gb(tag) or 0.0 for role, tag in DEFAULT_MODELS.items()}
    small, large = CATALOGUE["qwen2.5-coder-0.5b"], CATALOGUE["qwen2.5-coder-1.5b"]
    lines = [
        "Command: `flock /tmp/cd-bench.lock python -m benchmarks.memory_benchmark`",
        "",
        "The embedded team in one fresh process (files already assembled and verified), loading the lead's "
        "model, answering, then the senior's, answering (`ru_maxrss`, so peaks):",
        "",
        "| step | load | short answer | peak resident memory |",
        "|---|---|---|---|",
        f"| Python, LangGraph, llama-cpp-python imported | | | {team['rss_start_mib']:.0f} MiB |",
        f"| + {small.title} ({small.size / 1e6:.0f} MB file) | {team['lead_load_s']:.1f} s | "
        f"{team['lead_answer_s']:.1f} s | {team['lead_rss_mib']:.0f} MiB |",
        f"| + {large.title} ({large.size / 1e6:.0f} MB file), both loaded | {team['senior_load_s']:.1f} s | "
        f"{team['senior_answer_s']:.1f} s | **{team['senior_rss_mib']:.0f} MiB** |",
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
