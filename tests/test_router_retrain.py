"""`coding-director router retrain`: labels from the run log, a before/after on a held-out split."""

from __future__ import annotations

import importlib.util
import json

import pytest

from coding_director import build_graph
from coding_director.app import router_cmd
from coding_director.app.cli import main
from coding_director.app.router_cmd import labelled_outcomes
from coding_director.nodes.router.classifier import RouterModel, user_model_path
from tests.fakes import team

HAS_SKLEARN = importlib.util.find_spec("sklearn") is not None


def record(task, category, source="rules", attempts=(), outcome="passed"):
    return {"task": task, "route": {"category": category, "source": source}, "attempts": list(attempts),
            "outcome": outcome}  # fmt: skip


def attempt(tier, passed):
    return {"tier": tier, "passed": passed}


def test_re_routes_and_escalations_from_math_become_labels_and_nothing_else_does():
    records = [
        record("How many rows does this query return for n users?", "math", "override"),
        record(
            "Write a CSV parser in Go.",
            "math",
            attempts=[attempt("math_specialist", False), attempt("lead_developer", True)],
        ),
        record("What is 17 * 23?", "math", attempts=[attempt("math_specialist", True)]),
        record(
            "Fix my Dockerfile.",
            "general",
            attempts=[attempt("lead_developer", False), attempt("senior_developer", True)],
        ),
        record(
            "Explain monads.",
            "math",
            attempts=[attempt("math_specialist", False), attempt("lead_developer", False)],
            outcome="no_tier_passed",
        ),
        record("", "general", "override"),
        {"route": None, "attempts": []},  # an old record: no task, no route
    ]
    labels = {row["prompt"]: row["category"] for row in labelled_outcomes(records)}
    assert labels == {
        "How many rows does this query return for n users?": "math",
        "Write a CSV parser in Go.": "general",
    }


def test_a_persons_re_route_outranks_an_escalation():
    task = "Simulate a die in Rust."
    records = [
        record(task, "math", attempts=[attempt("math_specialist", False), attempt("lead_developer", True)]),
        record(task, "math", "override"),
    ]
    assert labelled_outcomes(records) == [{"prompt": task, "category": "math", "kind": "re-routed by a person"}]


def test_with_nothing_labelled_it_says_so_and_writes_nothing(settings, capsys):
    log = settings.data_dir / "runs.jsonl"
    log.parent.mkdir(parents=True)
    log.write_text(json.dumps(record("What is 2 + 2?", "math", attempts=[attempt("math_specialist", True)])) + "\n")
    assert router_cmd.retrain(settings, log=str(log)) == 0
    assert "nothing to learn from yet" in capsys.readouterr().out
    assert not user_model_path(settings).exists()


@pytest.mark.skipif(not HAS_SKLEARN, reason="needs scikit-learn (the 'train' extra)")
def test_retrain_learns_from_the_graphs_own_run_log_and_routing_uses_the_new_model(settings, monkeypatch, tmp_path):
    env = {"CODING_DIRECTOR_HOME": str(settings.data_dir), "RETRY_BACKOFF": "0"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    graph = build_graph(settings=settings, models=team(math=["Answer: 3"] * 8), checkpointer=None, cache=False)
    asks = [f"/math How many rows come back from the report for {n} users?" for n in (3, 5, 8, 13, 21, 34)]
    for i, ask in enumerate(asks):
        graph.invoke({"messages": [("user", ask)]}, {"configurable": {"thread_id": f"t{i}"}})
    lines = settings.run_log_file.read_text().splitlines()
    assert json.loads(lines[0])["task"] == asks[0].removeprefix("/math ")
    assert main(["router", "retrain"]) == 0
    saved = RouterModel.load(user_model_path(settings))
    assert saved.meta["own_outcomes"] == len(asks)
    rebuilt = build_graph(settings=settings, models=team(math=["Answer: 3"]), checkpointer=None, cache=False)
    result = rebuilt.invoke({"messages": [("user", "How many rows come back from the report for 55 users?")]},
                            {"configurable": {"thread_id": "new"}})  # fmt: skip
    assert any(reason.startswith("classifier") for reason in result["route"]["reasons"])


@pytest.mark.skipif(not HAS_SKLEARN, reason="needs scikit-learn (the 'train' extra)")
def test_a_worse_new_model_is_not_kept(settings, monkeypatch, capsys):
    from coding_director.nodes.router import training

    log = settings.data_dir / "runs.jsonl"
    log.parent.mkdir(parents=True)
    log.write_text("".join(json.dumps(record(f"Plot {n} series in matplotlib.", "math", "override")) + "\n"
                           for n in range(5)))  # fmt: skip
    real_fit = training.fit
    fitted = []

    def fit(rows, **kwargs):
        fitted.append(len(rows))
        return real_fit(rows[:200], **kwargs) if len(fitted) == 2 else real_fit(rows, **kwargs)  # the new one: starved

    monkeypatch.setattr(training, "fit", fit)
    assert router_cmd.retrain(settings, log=str(log)) == 1
    assert "kept the model in use" in capsys.readouterr().out
    assert not user_model_path(settings).exists()
