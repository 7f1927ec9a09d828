"""Per-call options are a typed context: validated before any model is called, named in every error."""

from __future__ import annotations

import pytest

from coding_director import build_graph
from coding_director.core.context import Context, OptionError
from coding_director.state.messages import InvalidRequest
from tests.fakes import team
from tests.standin import GOOD_CODE

CODE_TASK = "Write a Python function add(a, b) that returns the sum."


def ask(graph, prompt=CODE_TASK, **options):
    return graph.invoke({"messages": [("user", prompt)]}, {"configurable": {"thread_id": "t"}}, context=options)


@pytest.fixture
def models():
    return team(lead=[GOOD_CODE], senior=[GOOD_CODE], principal=[GOOD_CODE], math=["391"])


@pytest.fixture
def graph(settings, models):
    return build_graph(settings=settings, models=models, checkpointer=None, run_log=False, cache=False)


def test_the_graph_publishes_its_options_for_studios_form(graph):
    schema = graph.get_context_jsonschema()
    assert schema is not None
    assert set(schema["properties"]) == set(Context.model_fields)
    assert all(p.get("description") for p in schema["properties"].values())


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"max_attempts": "abc"}, "max_attempts='abc'"),
        ({"max_attempts": 0}, "max_attempts=0"),
        ({"router_confidence": "high"}, "router_confidence='high'"),
        ({"max_wall_s": float("nan")}, "max_wall_s=nan"),
        ({"start_tier": "intern"}, "start_tier='intern'"),
        ({"force_route": "physics"}, "force_route='physics'"),
        ({"max_atempts": 2}, "max_atempts=2"),
    ],
)
def test_a_bad_option_fails_before_any_model_is_called_naming_it(graph, models, options, named):
    with pytest.raises(OptionError) as caught:
        ask(graph, **options)
    assert named in str(caught.value)
    assert "\n" not in str(caught.value)
    assert all(model.calls == [] for model in models.values())


def test_an_alias_names_the_starting_tier(graph, models):
    result = ask(graph, start_tier="senior")
    assert [a["tier"] for a in result["attempts"]] == ["senior_developer"]
    assert models["lead"].calls == []


def test_options_in_configurable_still_count_under_the_context(graph):
    result = graph.invoke(
        {"messages": [("user", CODE_TASK)]},
        {"configurable": {"thread_id": "t", "start_tier": "principal_architect"}},
    )
    assert [a["tier"] for a in result["attempts"]] == ["principal_architect"]
    with pytest.raises(OptionError, match="max_attempts='abc'"):
        graph.invoke({"messages": [("user", CODE_TASK)]}, {"configurable": {"thread_id": "t", "max_attempts": "abc"}})


def test_options_default_to_the_settings(settings):
    from coding_director.core.context import Options
    from coding_director.core.settings import settings_from_env

    configured = settings_from_env({"MAX_ATTEMPTS": "2", "ROUTER_CONFIDENCE": "0.5"})
    options = Options.resolve(None, configured)
    assert options.budgets.max_attempts == 2 and options.router_confidence == 0.5
    assert Options.resolve({"max_attempts": 3}, configured).budgets.max_attempts == 3


@pytest.mark.parametrize(
    "given",
    [{"messages": None}, {"messages": 5}, {"messages": [{"role": "user"}]}, {"messages": [object()]}],
)
def test_a_wrong_input_shape_gets_one_error_naming_the_shape_expected(graph, models, given):
    with pytest.raises(InvalidRequest, match=r"`messages` must be a list of messages"):
        graph.invoke(given, context={})
    assert all(model.calls == [] for model in models.values())


def test_a_lone_surrogate_in_a_message_is_replaced_not_fatal(graph, models):
    result = ask(graph, "Write a Python function add(a, b) \ud800 that returns the sum.")
    assert result["outcome"] == "passed"
    sent = models["lead"].calls[0][-1].content
    assert "\ud800" not in sent and "\ufffd" in sent
    sent.encode("utf-8")  # what reaches a model can always be encoded


def test_human_escalation_without_a_checkpointer_is_refused_at_the_start(graph, models):
    with pytest.raises(OptionError, match="human_escalation needs a checkpointer"):
        ask(graph, human_escalation=True)
    assert all(model.calls == [] for model in models.values())


def test_the_decision_after_each_verdict_is_recorded_in_the_state(settings):
    models = team(lead=["I cannot help with that."], senior=[GOOD_CODE])
    graph = build_graph(settings=settings, models=models, checkpointer="sqlite", run_log=False, cache=False)
    config = {"configurable": {"thread_id": "decisions"}}
    graph.invoke({"messages": [("user", CODE_TASK)]}, config)
    decisions = [
        snapshot.values["decision"]
        for snapshot in graph.get_state_history(config)
        if snapshot.metadata and snapshot.metadata.get("source") == "loop" and "decision" in snapshot.values
    ]
    steps = [d["next"] for d in reversed(decisions)]
    assert steps[0] == "lead_developer"  # after routing
    assert "senior_developer" in steps  # after the lead's failed verdict
    assert steps[-1] == "finish"
    assert graph.get_state(config).values["decision"]["outcome"] == "passed"
