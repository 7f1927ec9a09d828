"""How well, and how fast, the router decides without a model call.

    python -m benchmarks.router_benchmark [--threshold 0.75] [--show-errors v3] [--rules-only]

Every set is reported as *seen* (looked at, or trained on, while building the router) or *unseen*
(written before the work and never looked at while tuning). benchmarks/data/ROUTING_SETS.md says
when each was written. The figures that count are the unseen ones.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import defaultdict
from pathlib import Path

from benchmarks.report import median, percentile, write_section
from coding_director.core.settings import Settings
from coding_director.nodes.router import Route, classify
from coding_director.nodes.router.rules import apply_rules

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "data"
#: name → (path, seen?, what it is)
SETS = {
    "dev (public)": (ROOT.parent.parent / "shared" / "data" / "routing_dev.jsonl", True, "in the training set"),
    "tune": (DATA / "routing_tune.jsonl", True, "in the training set"),
    "held-out v1": (DATA / "routing_holdout.jsonl", True, "in the training set"),
    "held-out v2": (DATA / "routing_holdout_v2.jsonl", True, "in the training set"),
    "held-out v3": (DATA / "routing_holdout_v3.jsonl", True, "errors looked at after the first model"),
    "follow-ups": (DATA / "routing_followups.jsonl", True, "looked at while choosing the follow-up weights"),
    "held-out v4 (sealed)": (DATA / "routing_holdout_v4_sealed.jsonl", False, "never looked at, never trained on"),
    "held-out v5 (sealed)": (DATA / "routing_holdout_v5_sealed.jsonl", False, "written after v4's figures"),
}


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def route_row(row: dict, rules_only: bool) -> Route:
    if rules_only:
        verdict = apply_rules(row["prompt"])
        return Route(verdict.category, verdict.complexity, verdict.confidence, "rules", verdict.reasons)
    previous = None
    if row.get("previous"):
        previous = classify(row["previous"]).to_dict()
    return classify(row["prompt"], previous=previous)


def evaluate(rows: list[dict], threshold: float, rules_only: bool = False) -> dict:
    routes = [(row, route_row(row, rules_only)) for row in rows]
    right = [r.category == row["category"] for row, r in routes]
    confident = [(row, r) for row, r in routes if r.confidence >= threshold]
    confident_wrong = sum(r.category != row["category"] for row, r in confident)
    by: dict[str, dict[str, list[bool]]] = {"kind": defaultdict(list), "lang": defaultdict(list)}
    for (row, _), ok in zip(routes, right, strict=True):
        by["kind"][row.get("kind", "?")].append(ok)
        by["lang"][row.get("lang", "en")].append(ok)
    return {
        "n": len(rows),
        "accuracy": sum(right) / len(rows),
        "confident_share": len(confident) / len(rows),
        "confident_wrong": confident_wrong,
        "confident_n": len(confident),
        "by": by,
        "routes": routes,
        "errors": [(row, r) for row, r in routes if r.category != row["category"]],
    }


def reliability(routes: list[tuple[dict, Route]]) -> list[tuple[str, int, float, float]]:
    """(confidence bin, prompts, mean confidence, accuracy): calibrated means the last two agree."""
    bins = [(0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.97), (0.97, 1.01)]
    out = []
    for lo, hi in bins:
        inside = [(row, r) for row, r in routes if lo <= r.confidence < hi]
        if inside:
            mean = sum(r.confidence for _, r in inside) / len(inside)
            acc = sum(r.category == row["category"] for row, r in inside) / len(inside)
            out.append((f"{lo:.2f}–{min(hi, 1.0):.2f}", len(inside), mean, acc))
    return out


def timings(prompts: list[str], repeats: int) -> tuple[list[float], list[float]]:
    """(wall-clock µs, this thread's CPU µs) per call: on a shared machine the wall clock also counts
    the time the scheduler gave the CPU to someone else; the CPU time is the router's own cost."""
    wall, cpu = [], []
    for _ in range(repeats):
        for prompt in prompts:
            started, started_cpu = time.perf_counter(), time.thread_time()
            classify(prompt)
            cpu.append((time.thread_time() - started_cpu) * 1e6)
            wall.append((time.perf_counter() - started) * 1e6)
    return wall, cpu


def long_prompts() -> dict[str, list[str]]:
    """Requests carrying code or logs of 1, 4, 16 and 64 KB: the time must not grow with the paste."""
    code = "def handler(event):\n    total = 0\n    for item in event['items']:\n        total += item['n']\n"
    log = "2024-05-02T10:11:03Z ERROR worker-3 Task timed out after 300.00 seconds\n"
    out = {}
    for kb in (1, 4, 16, 64):
        body = (code if kb % 2 else log) * (kb * 1024 // 80)
        out[f"{kb} KB"] = [
            f"Why does this fail on empty input?\n```python\n{body}```",
            f"What is the time complexity of this?\n```python\n{body}```",
            f"{body}\nwhat's going on here?",
        ]
    return out


#: The router model's prompt before issue 17, kept here to measure the new one against.
OLD_ROUTER_PROMPT = (
    "Classify the developer's request into exactly one category.\n"
    "math: the core of the request is quantitative: a calculation, probability, statistics, a proof, solving an "
    "equation, a numerical method, or the complexity analysis of an algorithm.\n"
    "general: writing, fixing, explaining, reviewing or configuring code and tools, even when the code implements "
    "an algorithm.\nReply with one word: math or general."
)


def router_model_rows(results: dict, threshold: float, size: int) -> list[dict]:
    """The unsure band of every set (what the router model really sees), topped up from held-out v3."""
    unsure = [row for r in results.values() for row, route in r["routes"] if route.confidence < threshold]
    fill = [row for row, _ in results["held-out v3"]["routes"]][::3] if "held-out v3" in results else []
    return (unsure + [row for row in fill if row not in unsure])[:size]


def measure_router_model(rows: list[dict]) -> list[str]:
    """The embedded team's router model as router model: the old prompt against the new one."""
    from langchain_core.messages import HumanMessage, SystemMessage

    from coding_director.core.backends.registry import ModelRegistry
    from coding_director.core.settings import settings_from_env
    from coding_director.nodes.router.model_fallback import parse_category, router_messages

    settings = settings_from_env({"BACKEND": "embedded", "EMBEDDED_MAX_TOKENS": "16", "TEMPERATURE": "0"})
    model = ModelRegistry(settings).get("router")
    variants = {
        "before (system prompt + the raw request)": lambda row: [
            SystemMessage(OLD_ROUTER_PROMPT),
            HumanMessage(row["prompt"]),
        ],
        "now (prompts/router.md + the request as a question)": lambda row: router_messages(
            row["prompt"], row.get("previous", "")
        ),
    }
    share = sum(row["category"] == "math" for row in rows) / len(rows)
    lines = [
        f"{share:.0%} of these prompts are math (always answering math would be right that often).",
        "",
        "| prompt | prompts | right | readable reply | said math | seconds a call |",
        "|---|---|---|---|---|---|",
    ]
    for name, build in variants.items():
        started, right, readable, said_math = time.perf_counter(), 0, 0, 0
        for row in rows:
            category = parse_category(model.invoke(build(row)).text)
            readable += category is not None
            said_math += category == "math"
            right += category == row["category"]
        per_call = (time.perf_counter() - started) / len(rows)
        lines.append(
            f"| {name} | {len(rows)} | {right / len(rows):.0%} | {readable / len(rows):.0%} | "
            f"{said_math / len(rows):.0%} | {per_call:.1f} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threshold", type=float, default=Settings().router_confidence)
    parser.add_argument("--show-errors", metavar="SET", help="print a seen set's misroutes (never the sealed one)")
    parser.add_argument("--rules-only", action="store_true", help="the old word rules alone, for comparison")
    parser.add_argument("--no-write", action="store_true", help="do not update BENCHMARKS.md")
    parser.add_argument("--dev", action="store_true", help="leave the sealed set out (while working on the router)")
    parser.add_argument("--router-model", type=int, metavar="N", help="also ask the embedded router model N prompts")
    args = parser.parse_args()
    if args.dev:
        args.no_write = True

    results, rules = {}, {}
    for name, (path, _, _) in SETS.items():
        if path.exists() and not (args.dev and not SETS[name][1]):
            rows = load(path)
            results[name] = evaluate(rows, args.threshold, args.rules_only)
            rules[name] = evaluate([r for r in rows if not r.get("previous")] or rows, args.threshold, True)
    if args.show_errors:
        name = next(n for n in results if args.show_errors in n)
        if not SETS[name][1]:
            raise SystemExit("the sealed set's prompts are not shown: it must stay unseen")
        for row, route in results[name]["errors"]:
            print(f"want {row['category']:<7} got {route.category} ({route.confidence:.2f}) {row['prompt'][:100]!r}")

    all_prompts = [row["prompt"] for name, (path, _, _) in SETS.items() if name in results for row in load(path)]
    classify("warm up")
    small = [p for p in all_prompts if len(p.encode()) <= 4096]
    times, cpu_times = timings(small, repeats=5)
    lines = [
        f"Command: `python -m benchmarks.router_benchmark --threshold {args.threshold}`"
        + (" --rules-only" if args.rules_only else ""),
        "",
        "No model call: the rules' signals and the prompt's character n-grams into the calibrated classifier "
        "(`nodes/router/classifier.py`, trained by `python -m coding_director.nodes.router.training` on "
        "`nodes/router/data/routing_train.jsonl`). A decision is *confident* at confidence ≥ "
        f"{args.threshold} (the default `ROUTER_CONFIDENCE`); below it the graph asks the router model. "
        "Follow-ups are routed with the previous request's route in view.",
        "",
        "| set | seen? | prompts | accuracy, no model | decided without a model | confident and wrong "
        "| old rules: accuracy / confident wrong |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        seen, what = SETS[name][1], SETS[name][2]
        old = rules[name]
        lines.append(
            f"| {name} | {'seen' if seen else '**unseen**'} ({what}) | {r['n']} | {r['accuracy']:.1%} | "
            f"{r['confident_share']:.1%} | {r['confident_wrong']} of {r['confident_n']} "
            f"({r['confident_wrong'] / max(1, r['confident_n']):.1%}) | {old['accuracy']:.1%} / "
            f"{old['confident_wrong'] / max(1, old['confident_n']):.1%} |"
        )
    lines += [
        "",
        "Targets on unseen prompts: ≥ 95% accuracy without a model, ≤ 1% of confident decisions wrong, "
        "≥ 80% decided without a model.",
    ]
    for name in ("held-out v4 (sealed)", "held-out v5 (sealed)"):
        if name not in results:
            continue
        r = results[name]
        lines += ["", f"Per kind and language, {name}:", "", "| | prompts | accuracy |", "|---|---|---|"]
        for group in ("kind", "lang"):
            for key, oks in sorted(r["by"][group].items()):
                lines.append(f"| {group} {key} | {len(oks)} | {sum(oks) / len(oks):.0%} |")
    unseen_routes = [x for name, r in results.items() if not SETS[name][1] for x in r["routes"]]
    seen_routes = [x for name, r in results.items() if name in ("held-out v3", "follow-ups") for x in r["routes"]]
    for label, routes in (("unseen (v4 + v5)", unseen_routes), ("held-out v3 + follow-ups", seen_routes)):
        lines += [
            "",
            f"Reliability, {label}: the confidence the router states against how often it is right.",
            "",
            "| confidence | prompts | mean confidence | accuracy |",
            "|---|---|---|---|",
        ]
        lines += [f"| {b} | {n} | {m:.2f} | {a:.0%} |" for b, n, m, a in reliability(routes)]
    lines += [
        "",
        f"`classify` time (prompts up to 4 KB, {len(times)} calls), target p99 < 1 ms: wall clock p50 "
        f"{median(times):.0f} µs, p99 {percentile(times, 99):.0f} µs; the router's own CPU time p50 "
        f"{median(cpu_times):.0f} µs, p99 {percentile(cpu_times, 99):.0f} µs. Load average during the run: "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall-clock spikes of 4–8 ms are the scheduler's "
        "time slices given to other processes).",
        "",
        "Long prompts (code or logs pasted; routed on the request part, bounded work):",
        "",
        "| size | wall p50 | wall p99 | CPU p50 | CPU p99 |",
        "|---|---|---|---|---|",
    ]
    for size, prompts in long_prompts().items():
        t, c = timings(prompts, repeats=50)
        lines.append(
            f"| {size} | {median(t):.0f} µs | {percentile(t, 99):.0f} µs | {median(c):.0f} µs | "
            f"{percentile(c, 99):.0f} µs |"
        )
    if args.router_model:
        rows = router_model_rows(results, args.threshold, args.router_model)
        band = sum(1 for r in results.values() for _, x in r["routes"] if x.confidence < args.threshold)
        lines += [
            "",
            f"The router model on the unsure band ({band} "
            "prompts below the threshold across the sets, topped up with every third prompt of held-out v3), "
            "on the embedded team's router model (at most 16 tokens a reply):",
            "",
            *measure_router_model(rows),
        ]
    body = "\n".join(lines)
    print(body)
    if not args.no_write and not args.rules_only:
        write_section("router", "Router: without a model call", body)


if __name__ == "__main__":
    main()
