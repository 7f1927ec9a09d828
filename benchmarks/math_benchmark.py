"""The math route's final-answer accuracy: the math model alone against the graph.

    python -m benchmarks.math_benchmark --seed 0 --first 30 --rows math,graph \\
        [--models-dir /tmp/cd-models] [--backend embedded|ollama] [--samples 3]

Problems come from benchmarks/math_problems.py (200 per seed: arithmetic, counting, probability and
word problems with exact answers, about a quarter in French, Spanish or German). **Split, declared
before tuning** (`SPLITS`): seed 1 is for tuning; seed 0 was reported until its wrong answers were read
to find the next changes, so it is now seen; seed 2 was reported next, until its wrong answers were read
(2026-12-06 evening); seed 3 is reported from then on. An answer is right when its final value
(the last `\\boxed{}`, else its `Answer:` line, else its last number) equals the exact answer; a decimal
counts when it rounds correctly at the digits it gives (at least three significant ones).

Rows (graph configurations, so `--backend ollama` runs the same command on the seed's models):
  math     the math model alone: one call through its tier, routed as math, no escalation
  math-k   the math model drawing up to k answers, chosen by agreeing final answers
  graph    the full graph: the router decides, the validator reviews, tiers escalate
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

from benchmarks import replay
from benchmarks.cascade_benchmark import RESULTS, embedded_team, shown
from benchmarks.math_problems import generate
from benchmarks.report import write_section
from coding_director.nodes.finish import best_attempt
from coding_director.nodes.sampling import EMBEDDED_SAMPLES
from coding_director.nodes.selection import final_value

#: Which seed is for what; a seed not listed has not been declared and is not reported.
SPLITS = {
    1: "tuning",
    0: "seen: reported until its wrong answers were read",
    2: "seen: reported until its wrong answers were read",
    3: "reported",
}
TUNING_SEED = next(seed for seed, use in SPLITS.items() if use == "tuning")

ROWS: dict[str, dict[str, Any]] = {
    "math": {"context": {"start_tier": "math_specialist", "max_attempts": 1, "force_route": "math"}},
    "math-k": {"context": {"start_tier": "math_specialist", "max_attempts": 1, "force_route": "math"}, "k": True},
    "graph": {"context": {}},
}
TITLES = {
    "math": "math model alone",
    "math-k": "math model, k samples + vote",
    "graph": "full graph (route, validate, escalate)",
}


def is_right(answer: str, exact: Fraction) -> bool:
    value = final_value(answer)
    if value is None:
        return False
    percent = value.endswith("%")
    try:
        given = Fraction(value.rstrip("%").replace(" ", "")) / (100 if percent else 1)
    except (ValueError, ZeroDivisionError):
        return False
    if given == exact:
        return True
    digits = value.rstrip("%").split(".")[1] if "." in value else ""
    if len(digits.lstrip("0")) >= 3 or len(digits) >= 3:  # a rounded decimal: within half its last digit
        return abs(given - exact) <= Fraction(1, 2 * 10 ** len(digits)) / (100 if percent else 1)
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=3, help="3: report; 1: tune; 0 and 2: seen")
    parser.add_argument("--first", type=int, default=200)
    parser.add_argument("--rows", default="math,graph")
    parser.add_argument("--samples", type=int, default=3, help="k for math-k")
    parser.add_argument("--backend", choices=["embedded", "ollama", "auto"], default="embedded")
    parser.add_argument("--models-dir", type=Path, help="assembled Qwen GGUFs (until the embedded team ships them)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--replay", type=Path, help="store greedy replies here and replay them (benchmarks/replay.py)")
    parser.add_argument("--part", default="1/1", help="i/n: run only every n-th problem from the i-th")
    parser.add_argument(
        "--math-prompt", type=Path, help="a candidate system prompt for the math specialist (tuning seed only)"
    )
    parser.add_argument("--results", type=Path, help="per-problem results file (default: results/math-BACKEND.jsonl)")
    parser.add_argument("--report-only", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    from coding_director import build_graph
    from coding_director.core.settings import load_settings

    problems = generate(200, seed=args.seed)[: args.first]
    rows = [r.strip() for r in args.rows.split(",") if r.strip()]
    if any(r not in ROWS for r in rows):
        parser.error(f"rows must be among {', '.join(ROWS)}")
    os.environ.update({"BACKEND": args.backend, "TEMPERATURE": "0", "EMBEDDED_THREADS": str(args.threads)})
    os.environ.setdefault("CODING_DIRECTOR_HOME", tempfile.mkdtemp(prefix="cd-math-"))
    store = RESULTS / f"math-{args.backend}.jsonl"
    if args.math_prompt:
        if args.seed != TUNING_SEED:
            parser.error(f"--math-prompt is for the tuning seed: prompts are chosen on seed {TUNING_SEED} only")
        from coding_director.nodes import prompting

        candidate, shipped = args.math_prompt.read_text(encoding="utf-8").strip(), prompting.load_prompt
        prompting.load_prompt = lambda name: candidate if name == "math_specialist" else shipped(name)  # type: ignore[assignment]
        store = RESULTS / f"math-{args.backend}-{args.math_prompt.stem}.jsonl"
    replay.use(args.replay)
    store = args.results or store
    store.parent.mkdir(parents=True, exist_ok=True)
    done: dict[tuple, dict] = {}
    if store.exists():
        for line in store.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            done[(record["row"], record["seed"], record["id"], record["k"])] = record
    models = embedded_team(args.models_dir, args.threads) if args.models_dir else None
    part, parts = (int(n) for n in args.part.split("/"))
    started = time.perf_counter()
    for row in [] if args.report_only else rows:
        k = args.samples if ROWS[row].get("k") else 1
        os.environ["MATH_SAMPLES"] = str(k)
        if row == "graph":  # the team's own sampling defaults (given models do not get them by themselves)
            os.environ.update({f"{r.upper()}_SAMPLES": str(n) for r, n in EMBEDDED_SAMPLES.items()})
        graph = build_graph(settings=load_settings(), models=models, checkpointer=None, run_log=False, cache=False)
        for problem in problems[part - 1 :: parts]:
            key = (row, args.seed, problem["id"], k)
            if key in done:
                continue
            replayed_before = replay.replayed_s()
            config = {"configurable": {"thread_id": f"m{problem['id']}"}}
            result = graph.invoke({"messages": [("user", problem["question"])]}, config, context=ROWS[row]["context"])
            attempts = result["attempts"]
            best = best_attempt(attempts)  # the graph's final answer
            record = {
                "row": row, "seed": args.seed, "id": problem["id"], "k": k, "kind": problem["kind"],
                "language": problem["language"], "right": is_right(best["answer"], problem["answer"]),
                "verdict_passed": bool(best["verdict"] and best["verdict"]["passed"]),
                "route": result["route"]["category"], "tiers": [a["tier"] for a in attempts],
                "seconds": round(sum(a["duration_s"] for a in attempts) + replay.replayed_s() - replayed_before, 2),
                "expected": str(problem["answer"]),
                "given": final_value(best["answer"]),
                "attempts": [
                    {
                        "tier": a["tier"], "passed": bool(a["verdict"] and a["verdict"]["passed"]),
                        "right": is_right(a["answer"], problem["answer"]),
                        "reasons": [r[:200] for r in (a["verdict"] or {}).get("reasons", [])[:3]],
                    }
                    for a in attempts
                ],
                "skipped": [s["tier"] for s in result.get("skipped", [])],
            }  # fmt: skip
            done[key] = record
            with store.open("a", encoding="utf-8") as out:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            mark = "right" if record["right"] else "WRONG"
            print(f"{row} #{problem['id']}: {mark} {record['seconds']} s", flush=True)
    wall = time.perf_counter() - started
    for line in store.read_text(encoding="utf-8").splitlines() if store.exists() else []:  # parallel parts' too
        record = json.loads(line)
        done[(record["row"], record["seed"], record["id"], record["k"])] = record

    lines = [
        f"Command: `python -m benchmarks.math_benchmark --seed {args.seed} --first {args.first} --rows {args.rows} "
        f"--samples {args.samples} --backend {args.backend}"
        + (f" --models-dir {args.models_dir} --threads {args.threads}" if args.models_dir else "")
        + "` ("
        + ("figures from the stored results of earlier runs" if args.report_only else f"this run {wall / 60:.0f} min")
        + f"; per-problem results in `{shown(store)}`)",
        "",
        f"Seed {args.seed} ({SPLITS.get(args.seed, 'not declared')} set), its first {len(problems)} of 200 "
        "generated problems (benchmarks/math_problems.py). Right = the final answer equals the exact one.",
        "",
        "| configuration | N | right | not English: right | validator passed a wrong answer | model time |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        k = args.samples if ROWS[row].get("k") else 1
        records = [done[key] for p in problems if (key := (row, args.seed, p["id"], k)) in done]
        if not records:
            continue
        foreign = [r for r in records if r["language"] != "en"]
        wrong_passed = sum(r["verdict_passed"] and not r["right"] for r in records)
        lines.append(
            f"| {TITLES[row]}{f' (k={k})' if k > 1 else ''} | {len(records)} | "
            f"{statistics.mean(r['right'] for r in records):.0%} | "
            f"{sum(r['right'] for r in foreign)}/{len(foreign)} | {wrong_passed} | "
            f"{statistics.mean(r['seconds'] for r in records):.1f} s |"
        )
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        write_section("math", "Math route: final-answer accuracy", body)


if __name__ == "__main__":
    main()
