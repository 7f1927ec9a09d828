"""`stats`: what the figures and the plot show (issue 12, item 24)."""

from __future__ import annotations

import pytest

from coding_director.app.stats import draw, render_table, summarise

RECORDS = [
    {
        "outcome": "passed",
        "route": {"category": "math", "source": "rules"},
        "attempts": [
            {"tier": "math_specialist", "model": "m", "duration_s": 4.0, "retries": 2, "passed": False},
            {"tier": "lead_developer", "model": "l", "duration_s": 5.0, "retries": 0, "passed": True},
        ],
    },
    {
        "outcome": "passed",
        "route": {"category": "general", "source": "rules"},
        "attempts": [{"tier": "lead_developer", "model": "l", "duration_s": 6.0, "retries": 1, "passed": True}],
    },
]


def test_retries_are_counted_per_tier_and_shown():
    summary = summarise(RECORDS)
    assert summary["tiers"]["math_specialist"]["retries"] == 2
    assert summary["tiers"]["lead_developer"]["retries"] == 1
    table = render_table(summary)
    assert any(line.startswith("tier") and "retries" in line for line in table.splitlines())


def test_the_plot_starts_latency_at_zero_and_labels_every_bar_even_at_zero():
    pytest.importorskip("matplotlib")
    figure = draw(summarise(RECORDS), RECORDS)
    latency, escalation = figure.axes
    assert latency.get_ylim()[0] == 0  # 4-6 s would otherwise start the axis near 4
    labels = [text.get_text() for text in escalation.texts]
    assert labels == ["100%", "0%"]  # the lead never escalated: a 0% bar is still visible as its label
