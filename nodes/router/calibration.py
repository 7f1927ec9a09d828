"""Calibrating the learned router on prompts its model was not fit on (training only; needs scikit-learn).

The training set is mostly generated from templates: a prompt's siblings (the same template with
other slot fillers) sit beside it. Plain k-fold cross-validation scores a prompt with a model that
saw its siblings, so the out-of-fold scores are as sure as on training data (98.8% right) and a
calibration fit on them is over-confident on prompts written by someone else. Here the folds keep
near-duplicates together (`near_duplicate_groups`): each prompt is scored by a model that saw no
prompt worded like it, which is what a new user's request is (95.5% right out of fold, where the
unseen held-out sets measured 95.6%). Platt scaling (a logistic regression on the one decision value)
fit on those scores is the calibration map: two numbers, which the JSON model file keeps.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import Any

#: Two prompts whose word sets (digits folded) overlap this much are worded alike: one group.
SAME_WORDING = 0.5
FOLDS = 5
_DIGITS = re.compile(r"\d+")


def wording(prompt: str) -> frozenset[str]:
    """A prompt's words, lower-cased, digits folded: what `worded_alike` compares."""
    return frozenset(_DIGITS.sub("0", prompt.lower()).split())


def worded_alike(mine: frozenset[str], theirs: frozenset[str], same_wording: float = SAME_WORDING) -> bool:
    return bool(mine and theirs) and len(mine & theirs) >= same_wording * len(mine | theirs)


def near_duplicate_groups(prompts: Sequence[str], same_wording: float = SAME_WORDING) -> list[int]:
    """A group id per prompt: prompts linked by a chain of word-set Jaccard ≥ `same_wording` share one."""
    words = [wording(prompt) for prompt in prompts]
    parent = list(range(len(prompts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, mine in enumerate(words):
        for j in range(i):
            if worded_alike(mine, words[j], same_wording):
                parent[root(i)] = root(j)
    return [root(i) for i in range(len(prompts))]


def out_of_fold_decisions(
    rows: list[dict[str, Any]],
    groups: Sequence[int],
    always_train: list[dict[str, Any]],
    fit_decision: Callable[[list[dict[str, Any]]], Callable[[list[str]], Sequence[float]]],
) -> list[float]:
    """Each row's decision value from a model fit without it and without any prompt of its group.

    `fit_decision(train_rows)` returns the fitted model's decision function; `always_train` rows
    (vague prompts labelled both ways) are in every fold's training and are never scored."""
    from sklearn.model_selection import GroupKFold

    prompts = [row["prompt"] for row in rows]
    decisions = [0.0] * len(rows)
    for train, test in GroupKFold(n_splits=FOLDS).split(prompts, groups=groups):
        decide = fit_decision([rows[i] for i in train] + always_train)
        for i, value in zip(test, decide([prompts[i] for i in test]), strict=True):
            decisions[i] = float(value)
    return decisions


def platt_scaling(decisions: Sequence[float], is_math: Sequence[bool]) -> tuple[float, float]:
    """(a, 0) with P(math) = 1 / (1 + exp(a * decision)), fit by logistic regression without an intercept.

    No intercept, so calibration changes how sure the router says it is, never which way it decides:
    the linear model's own boundary stays (with an intercept the map moved it, and out-of-fold accuracy
    fell from 95.5% to 95.1%, the misses going one way: math sent to general)."""
    from sklearn.linear_model import LogisticRegression

    column = [[value] for value in decisions]
    fitted = LogisticRegression(C=1e4, max_iter=1000, fit_intercept=False).fit(column, list(is_math))
    return -float(fitted.coef_[0][0]), 0.0


def confident_threshold(
    decisions: Sequence[float], is_math: Sequence[bool], groups: Sequence[int], max_wrong: float = 0.01
) -> dict[str, float]:
    """The lowest confidence (in steps of 0.01) at which the decisions called confident are wrong at
    most `max_wrong` of the time, by the one-sided 95% upper bound (Clopper-Pearson) on the
    out-of-fold prompts, each calibrated by a map fit on the other folds; with what it gives there."""
    from scipy.stats import beta
    from sklearn.model_selection import GroupKFold

    p_math = [0.0] * len(decisions)
    for train, test in GroupKFold(n_splits=FOLDS).split(decisions, groups=groups):
        a, b = platt_scaling([decisions[i] for i in train], [is_math[i] for i in train])
        for i in test:
            p_math[i] = 1.0 / (1.0 + math.exp(min(700.0, a * decisions[i] + b)))
    outcomes = [(max(p, 1.0 - p), (p >= 0.5) == right) for p, right in zip(p_math, is_math, strict=True)]
    for step in range(50, 100):
        threshold = step / 100
        confident = [ok for confidence, ok in outcomes if confidence >= threshold]
        wrong = len(confident) - sum(confident)
        if confident and beta.ppf(0.95, wrong + 1, len(confident) - wrong) <= max_wrong:
            return {
                "threshold": threshold,
                "accuracy": sum(ok for _, ok in outcomes) / len(outcomes),
                "confident_wrong": wrong / len(confident),
                "decided": len(confident) / len(outcomes),
            }
    return {"threshold": 1.0, "accuracy": sum(ok for _, ok in outcomes) / len(outcomes)}
