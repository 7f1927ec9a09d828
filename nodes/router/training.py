"""Training the learned router (needs scikit-learn: `pip install 'coding-director[train]'`).

scikit-learn because it is the well-kept standard for exactly this: `TfidfVectorizer` over our own
`features` (character n-grams, words and word pairs, the rules' signals, summaries of pasted code and logs) and a
`LogisticRegression`, whose probability is calibrated on prompts it was not fit on (Platt scaling
on out-of-fold scores, folds that keep near-duplicate wordings together: `calibration.py`). Only
the weights and the two calibration numbers are kept (`classifier.RouterModel`, plain JSON), so
routing never imports scikit-learn.

    python -m coding_director.nodes.router.training     # rebuilds the shipped model from data/
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from coding_director.nodes.router.calibration import (
    confident_threshold,
    near_duplicate_groups,
    out_of_fold_decisions,
    platt_scaling,
)
from coding_director.nodes.router.classifier import SHIPPED_MODEL, RouterModel
from coding_director.nodes.router.features import features

TRAINING_SET = Path(__file__).resolve().parent / "data" / "routing_train.jsonl"
#: Chosen by 5-fold cross-validation on the training set alone (never on a held-out set).
C = 8.0
MAX_FEATURES = 40000


def load_rows(path: Path) -> list[dict[str, Any]]:
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            if row.get("category") in ("math", "general") and str(row.get("prompt", "")).strip():
                rows.append(row)
    return rows


def fit(rows: list[dict[str, Any]], c: float = C, max_features: int = MAX_FEATURES, seed: int = 17) -> RouterModel:
    """Train on labelled rows; the calibrated probability of `math` becomes the router's confidence."""
    estimator, vectorizer = _fit_linear(rows, c, max_features, seed)
    scored = [row for row in rows if row.get("kind") != "vague"]
    vague = [row for row in rows if row.get("kind") == "vague"]

    def fit_decision(train: list[dict[str, Any]]) -> Any:
        fold_estimator, fold_vectorizer = _fit_linear(train, c, max_features, seed)
        return lambda prompts: fold_estimator.decision_function(fold_vectorizer.transform(prompts))

    groups = near_duplicate_groups([row["prompt"] for row in scored])
    is_math = [row["category"] == "math" for row in scored]
    decisions = out_of_fold_decisions(scored, groups, vague, fit_decision)
    calibration = platt_scaling(decisions, is_math)
    coef = estimator.coef_[0]
    weights = {
        token: (float(vectorizer.idf_[index]), float(coef[index])) for token, index in vectorizer.vocabulary_.items()
    }
    labels = [row["category"] for row in rows]
    meta = {
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "prompts": len(rows),
        "math": labels.count("math"),
        "general": labels.count("general"),
        "c": c,
        "max_features": max_features,
        "calibration": "Platt scaling on out-of-fold scores, near-duplicate wordings kept in one fold",
        # what ROUTER_CONFIDENCE's default was chosen from: ≤ 1% of confident decisions wrong out of fold
        "out_of_fold": {k: round(v, 4) for k, v in confident_threshold(decisions, is_math, groups).items()},
    }
    return RouterModel(weights, float(estimator.intercept_[0]), calibration, meta)


def _fit_linear(rows: list[dict[str, Any]], c: float, max_features: int, seed: int) -> tuple[Any, Any]:
    """(logistic regression, its TF-IDF vectorizer) fit on the rows; math is the positive class."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer=features, sublinear_tf=True, min_df=2, max_features=max_features)
    matrix = vectorizer.fit_transform([row["prompt"] for row in rows])
    estimator = LogisticRegression(C=c, max_iter=5000, class_weight="balanced", random_state=seed)
    estimator.fit(matrix, [row["category"] == "math" for row in rows])
    return estimator, vectorizer


def accuracy(model: RouterModel, rows: Iterable[dict[str, Any]]) -> float:
    rows = list(rows)
    if not rows:
        return float("nan")
    right = sum((model.probability_math(r["prompt"]) >= 0.5) == (r["category"] == "math") for r in rows)
    return right / len(rows)


def clearly_worse(new: RouterModel, old: RouterModel, rows: Iterable[dict[str, Any]]) -> bool:
    """Whether `new` gets more of `rows` wrong than `old` by more than chance allows (McNemar, one-sided
    5%): a prompt or two flipping either way on a few hundred is noise, not a worse model."""

    def right(model: RouterModel, row: dict[str, Any]) -> bool:
        return (model.probability_math(row["prompt"]) >= 0.5) == (row["category"] == "math")

    lost = gained = 0
    for row in rows:
        old_right, new_right = right(old, row), right(new, row)
        lost += old_right and not new_right
        gained += new_right and not old_right
    return lost - gained > 1.645 * math.sqrt(lost + gained) if lost + gained else False


def split(rows: list[dict[str, Any]], share: float = 0.2, seed: int = 17) -> tuple[list[dict], list[dict]]:
    """(train, held out): a seeded shuffle, so the same rows are held out each time. Vague prompts
    (labelled both ways, so they have no right answer) always train and are never scored."""
    vague = [row for row in rows if row.get("kind") == "vague"]
    shuffled = [row for row in rows if row.get("kind") != "vague"]
    random.Random(seed).shuffle(shuffled)
    cut = max(1, int(len(shuffled) * share)) if len(shuffled) > 1 else 0
    return shuffled[cut:] + vague, shuffled[:cut]


def cross_validate(rows: list[dict[str, Any]], folds: int = 5, **kwargs: Any) -> float:
    vague = [row for row in rows if row.get("kind") == "vague"]
    shuffled = [row for row in rows if row.get("kind") != "vague"]
    random.Random(17).shuffle(shuffled)
    scores = []
    for k in range(folds):
        test = shuffled[k::folds]
        train = [r for i, r in enumerate(shuffled) if i % folds != k] + vague
        scores.append(accuracy(fit(train, **kwargs), test))
    return sum(scores) / len(scores)


def main() -> None:
    rows = load_rows(TRAINING_SET)
    model = fit(rows)
    model.save(SHIPPED_MODEL)
    print(f"trained on {len(rows)} prompts → {SHIPPED_MODEL} ({SHIPPED_MODEL.stat().st_size // 1024} KB)")
    print(f"out of fold (near-duplicate wordings held out together): {model.meta['out_of_fold']}")


if __name__ == "__main__":
    main()
