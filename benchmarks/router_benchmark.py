"""How well, and how fast, the rules route without a model.

    python -m benchmarks.router_benchmark [--threshold 0.75] [--show-errors tune]

Sets: the public dev set (../shared/data/routing_dev.jsonl, seen while writing the
rules); our tuning split (routing_tune.jsonl, looked at while tuning); held-out v1
(routing_holdout.jsonl, split from the tuning set by a hash before any tuning; its
errors were looked at after the first round, so it became tuning data for the second);
and held-out v2 (routing_holdout_v2.jsonl, written and committed before the second
round of rule changes and never looked at while tuning). The last held-out set is
the one that counts.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from benchmarks.report import median, percentile, write_section
from coding_director.core.settings import Settings
from coding_director.nodes.router import classify

ROOT = Path(__file__).resolve().parent
SETS = {
    "dev (public)": ROOT.parent.parent / "shared" / "data" / "routing_dev.jsonl",
    "tune": ROOT / "data" / "routing_tune.jsonl",
    "held-out v1 (seen after round 1)": ROOT / "data" / "routing_holdout.jsonl",
    "held-out v2": ROOT / "data" / "routing_holdout_v2.jsonl",
}


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate(rows: list[dict], threshold: float) -> dict:
    routes = [(row, classify(row["prompt"])) for row in rows]
    correct = [r.category == row["category"] for row, r in routes]
    confident = [(row, r) for row, r in routes if r.confidence >= threshold]
    confident_correct = [r.category == row["category"] for row, r in confident]
    return {
        "n": len(rows),
        "accuracy": sum(correct) / len(rows),
        "confident_share": len(confident) / len(rows),
        "confident_accuracy": sum(confident_correct) / len(confident) if confident else float("nan"),
        "errors": [(row, r) for row, r in routes if r.category != row["category"]],
    }


def time_classify(prompts: list[str], repeats: int = 20) -> list[float]:
    timings = []
    for _ in range(repeats):
        for prompt in prompts:
            started = time.perf_counter()
            classify(prompt)
            timings.append((time.perf_counter() - started) * 1e6)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threshold", type=float, default=Settings().router_confidence)
    parser.add_argument("--show-errors", choices=["dev", "tune", "v1", "v2"], help="print a set's misroutes")
    parser.add_argument("--no-write", action="store_true", help="do not update BENCHMARKS.md")
    args = parser.parse_args()

    results = {name: evaluate(load(path), args.threshold) for name, path in SETS.items() if path.exists()}
    all_prompts = [row["prompt"] for path in SETS.values() if path.exists() for row in load(path)]
    timings = time_classify(all_prompts)
    if args.show_errors:
        key = {"dev": "dev (public)", "v1": "held-out v1 (seen after round 1)", "v2": "held-out v2"}.get(
            args.show_errors, args.show_errors
        )
        for row, route in results[key]["errors"]:
            got = f"{route.category} ({route.confidence:.2f})"
            print(f"want {row['category']:<7} got {got} {row['prompt'][:90]!r}")
            print(f"    {route.reasons}")

    lines = [
        f"Command: `python -m benchmarks.router_benchmark --threshold {args.threshold}`",
        "",
        f"Rules alone (`nodes.router.classify`); a route is *confident* at confidence ≥ {args.threshold}, "
        "the default `ROUTER_CONFIDENCE`; below it the graph asks the router model.",
        "",
        "| set | prompts | accuracy, rules alone | decided without a model | accuracy when decided |",
        "|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['n']} | {r['accuracy']:.1%} | {r['confident_share']:.1%} | {r['confident_accuracy']:.1%} |"
        )
    lines += [
        "",
        "Targets (on held-out v2): accuracy ≥ 95%, decided without a model ≥ 60%, accuracy when decided ≥ 98%.",
        "",
        f"`classify` time over {len(timings)} calls: median {median(timings):.0f} µs, "
        f"p99 {percentile(timings, 99):.0f} µs (target p99 < 1 ms).",
    ]
    held = results.get("held-out v2")
    if held:
        unsure = [r for _, r in held["errors"] if r.confidence < args.threshold]
        lines += [
            "",
            f"Held-out misroutes: {len(held['errors'])}, of which {len(unsure)} fall below the threshold, "
            "so in the graph the router model decides them, not the rules:",
            "",
        ]
        lines += [
            f"- want {row['category']}, rules said {r.category} at {r.confidence:.2f}: "
            f"{row['prompt'].splitlines()[0][:100]}"
            for row, r in held["errors"]
        ]
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        write_section("router", "Router: rules first", body)


if __name__ == "__main__":
    main()
