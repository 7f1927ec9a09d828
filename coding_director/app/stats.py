"""Summaries of the run log: escalation per tier, pass rate per role, latency per model."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from coding_director.core.team import TIERS

TIER_ORDER = list(TIERS)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def summarise(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Figures a user asks about: how often each tier answered, passed, escalated, and how fast."""
    served = [r for r in records if r.get("kind") == "served"]  # `serve`'s own record of each HTTP request
    records = [r for r in records if r.get("kind") != "served"]
    outcomes = Counter(r.get("outcome", "?") for r in records)
    routes = Counter((r.get("route") or {}).get("category", "?") for r in records)
    sources = Counter((r.get("route") or {}).get("source", "?") for r in records)
    tiers: dict[str, dict[str, int]] = defaultdict(lambda: {"attempts": 0, "passed": 0, "escalated": 0, "retries": 0})
    latency: dict[str, list[float]] = defaultdict(list)
    strengths: Counter[str] = Counter()  # how the passing answers were checked
    for record in records:
        passing = [a for a in record.get("attempts", []) if a.get("passed")]
        if passing:
            strengths[passing[-1].get("strength") or "unknown"] += 1
        attempts = record.get("attempts", [])
        for index, attempt in enumerate(attempts):
            figures = tiers[attempt["tier"]]
            figures["attempts"] += 1
            figures["passed"] += int(bool(attempt.get("passed")))
            figures["escalated"] += int(index < len(attempts) - 1)
            figures["retries"] += int(attempt.get("retries") or 0)
            if not attempt.get("error"):
                latency[attempt["model"]].append(float(attempt.get("duration_s") or 0))
    return {
        "requests": len(records),
        "outcomes": dict(outcomes),
        "routes": dict(routes),
        "route_sources": dict(sources),
        "tiers": {t: tiers[t] for t in TIER_ORDER if t in tiers},
        "passed_by_strength": dict(strengths),
        "served": {
            "requests": len(served),
            "endpoints": dict(Counter(r.get("endpoint", "?") for r in served)),
            "models": dict(Counter(r.get("model", "?") for r in served)),
            "streamed": sum(1 for r in served if r.get("stream")),
            "statuses": dict(Counter(str(r.get("status", "?")) for r in served)),
        },
        "latency": {
            model: {"calls": len(v), "median_s": statistics.median(v), "p95_s": _p95(v)}
            for model, v in sorted(latency.items())
        },
    }


def render_table(summary: dict[str, Any]) -> str:
    lines = [f"requests: {summary['requests']}"]
    served = summary.get("served") or {}
    if served.get("requests"):
        endpoints = ", ".join(f"{k} {v}" for k, v in sorted(served["endpoints"].items()))
        failed = sum(n for status, n in served["statuses"].items() if status != "200")
        streamed = served["streamed"]
        lines.append(
            f"served: {served['requests']} requests ({endpoints}; {streamed} streamed, {failed} refused or failed)"
        )
    if not summary["requests"]:
        return "\n".join([lines[0] + " (the run log is empty: ask something first)", *lines[1:]])
    outcomes = ", ".join(f"{k} {v}" for k, v in sorted(summary["outcomes"].items()))
    routes = ", ".join(f"{k} {v}" for k, v in sorted(summary["routes"].items()))
    sources = ", ".join(f"{k} {v}" for k, v in sorted(summary["route_sources"].items()))
    lines += [f"outcomes: {outcomes}", f"routes:   {routes} (decided by {sources})"]
    strengths = summary.get("passed_by_strength") or {}
    if strengths:
        words = {"examples": "the task's examples ran", "own tests": "only the answer's own tests ran",
                 "static": "static checks only"}  # fmt: skip
        shown = ", ".join(f"{words.get(k, k)} {v}" for k, v in sorted(strengths.items(), key=lambda kv: -kv[1]))
        lines.append(f"passed:   {shown}")
    lines.append("")
    lines.append(f"{'tier':<22}{'attempts':>9}{'pass rate':>11}{'escalated':>11}{'retries':>9}")
    for tier, figures in summary["tiers"].items():
        attempts = figures["attempts"]
        passed, escalated = figures["passed"] / attempts, figures["escalated"] / attempts
        lines.append(f"{tier:<22}{attempts:>9}{passed:>11.0%}{escalated:>11.0%}{figures.get('retries', 0):>9}")
    lines += ["", f"{'model':<44}{'calls':>6}{'median':>9}{'p95':>9}"]
    for model, figures in summary["latency"].items():
        lines.append(f"{model[:43]:<44}{figures['calls']:>6}{figures['median_s']:>8.2f}s{figures['p95_s']:>8.2f}s")
    return "\n".join(lines)


def draw(summary: dict[str, Any], records: list[dict[str, Any]]) -> Any:
    """Latency per tier (box plot, from 0 s) and escalation rate per tier (bars, each labelled, so a
    0% bar shows as "0%" rather than as nothing); returns the matplotlib Figure."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    per_tier: dict[str, list[float]] = defaultdict(list)
    for record in records:
        for attempt in record.get("attempts", []):
            if not attempt.get("error"):
                per_tier[attempt["tier"]].append(float(attempt.get("duration_s") or 0))
    tiers = [t for t in TIER_ORDER if t in per_tier]
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    if tiers:
        left.boxplot([per_tier[t] for t in tiers], tick_labels=[t.replace("_", "\n") for t in tiers])
    left.set_ylim(bottom=0)
    left.set_title("time per attempt (s)")
    names = list(summary["tiers"])
    rates = [summary["tiers"][t]["escalated"] / summary["tiers"][t]["attempts"] for t in names]
    bars = right.bar([t.replace("_", "\n") for t in names], rates, color="#c77", edgecolor="#733", linewidth=1.5)
    right.bar_label(bars, labels=[f"{rate:.0%}" for rate in rates], padding=2)
    right.set_ylim(0, 1.1)
    right.set_title("escalated after this tier")
    figure.suptitle(f"Coding Director: {summary['requests']} requests")
    figure.tight_layout()
    return figure


def plot(summary: dict[str, Any], records: list[dict[str, Any]], path: Path) -> None:
    """`draw`, written to a PNG."""
    import matplotlib.pyplot as plt

    figure = draw(summary, records)
    figure.savefig(path, dpi=100)
    plt.close(figure)
