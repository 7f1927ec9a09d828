"""`coding-director router retrain`: the learned router learns from this user's own outcomes.

The run log says how each request was routed and which tier's answer passed. Two kinds of record
are labels:
- a person re-routed a request (`/math …`, `/general …`, `/lead …`): the category they chose;
- a request routed to math failed at the math specialist and passed after escalating to a
  developer tier: `general`.
They are folded into the shipped training set; a model trained with them and one trained without
them are compared on the same held-out split (a seeded 20% of both), and the new model is kept only
if it is at least as accurate. It is written to the data dir (ROUTER_CLASSIFIER overrides where), never
over the shipped one.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from coding_director.core.settings import Settings
from coding_director.core.team import FIRST_TIER

Out = Callable[[str], None]


def labelled_outcomes(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Training rows from the run log; a person's re-route outranks what an escalation suggests."""
    chosen: dict[str, dict[str, Any]] = {}
    escalated: dict[str, dict[str, Any]] = {}
    for record in records:
        task = str(record.get("task") or "").strip()
        route = record.get("route") or {}
        category = route.get("category")
        if not task or category not in ("math", "general"):
            continue
        if route.get("source") == "override":
            chosen[task] = {"prompt": task, "category": category, "kind": "re-routed by a person"}
            continue
        attempts = record.get("attempts") or []
        math_tier = FIRST_TIER["math"]
        if (
            record.get("outcome") == "passed"
            and category == "math"
            and attempts
            and attempts[0].get("tier") == math_tier
            and not attempts[0].get("passed")
            and any(a.get("passed") and a.get("tier") != math_tier for a in attempts)
        ):
            escalated[task] = {"prompt": task, "category": "general", "kind": "passed after escalating from math"}
    return [*chosen.values(), *(row for task, row in escalated.items() if task not in chosen)]


def _records(settings: Settings, log: str | None) -> list[dict[str, Any]]:
    from coding_director.core.runlog import RunLog

    if log:
        return RunLog(Path(log)).records()
    from coding_director.core.store import open_store

    store = open_store(settings)
    try:
        return store.run_log.records()
    finally:
        store.close()


def retrain(settings: Settings, log: str | None = None, dry_run: bool = False, out: Out = print) -> int:
    from coding_director.nodes.router import training
    from coding_director.nodes.router.classifier import active_model, user_model_path

    try:
        import sklearn  # noqa: F401
    except ImportError:
        out("error: retraining needs scikit-learn: pip install 'coding-director[train]'")
        return 2
    own = labelled_outcomes(_records(settings, log))
    if not own:
        out(
            "nothing to learn from yet: the run log has no re-routed requests (/math, /general, /lead …) "
            "and no math-routed request that passed only after escalating to a developer tier"
        )
        return 0
    mine = {row["prompt"] for row in own}
    base = [row for row in training.load_rows(training.TRAINING_SET) if row["prompt"] not in mine]
    base_train, base_test = training.split(base)
    own_train, own_test = training.split(own)
    out(f"labelled outcomes in the run log: {len(own)} ({sum(r['category'] == 'math' for r in own)} math)")
    out(f"training twice on {len(base_train)} shipped prompts, with and without {len(own_train)} of yours …")
    before = training.fit(base_train)
    after = training.fit(base_train + own_train)
    test = base_test + own_test
    in_use = active_model(user_model_path(settings))
    rows = [
        ("held-out split (shipped + yours)", test),
        ("your held-out outcomes", own_test),
    ]
    out(f"\n{'accuracy on':<34}{'prompts':>8}{'before':>9}{'after':>9}")
    for label, subset in rows:
        out(
            f"{label:<34}{len(subset):>8}{training.accuracy(before, subset):>9.1%}"
            f"{training.accuracy(after, subset):>9.1%}"
        )
    out(f"{'(the model in use now, yours)':<34}{len(own_test):>8}{training.accuracy(in_use, own_test):>9.1%}")
    target = user_model_path(settings)
    if training.clearly_worse(after, before, test):
        out("\nthe new model is less accurate on the held-out split: kept the model in use")
        return 1
    if dry_run:
        out(f"\n--dry-run: the new model would be written to {target}")
        return 0
    final = training.fit(base + own)
    final.meta["own_outcomes"] = len(own)
    final.save(target)
    out(f"\nnew model written to {target} (trained on {len(base) + len(own)} prompts); routing uses it from now on")
    return 0


def add_router_parser(sub: Any) -> None:
    """`coding-director router retrain [--log FILE] [--dry-run]`."""
    router = sub.add_parser("router", help="the learned router: retrain it on your own outcomes")
    commands = router.add_subparsers(dest="router_command", required=True)
    again = commands.add_parser(
        "retrain", help="fold the run log's re-routes and escalations into the router's training, keep it if better"
    )
    again.add_argument("--log", help="a run log other than the configured one")
    again.add_argument("--dry-run", action="store_true", help="compare, but do not write the new model")
    again.set_defaults(run=cmd_router_retrain)


def cmd_router_retrain(args: argparse.Namespace, settings: Settings) -> int:
    return retrain(settings, log=args.log, dry_run=args.dry_run)
