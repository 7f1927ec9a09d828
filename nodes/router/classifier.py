"""The learned router at run time: a calibrated linear model over `features`, in plain Python.

The model was trained with scikit-learn (TF-IDF over the feature tokens, logistic regression,
sigmoid calibration; see `training.py`) and is stored as plain JSON weights: no pickle to trust,
no scikit-learn or numpy import at run time (importing scikit-learn alone takes longer than a
thousand routings), and it loads in milliseconds. Scoring replicates scikit-learn's
`TfidfVectorizer(sublinear_tf=True)` + `decision_function` + `_SigmoidCalibration` exactly; a
test checks the two agree.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from coding_director.nodes.router.features import features

if TYPE_CHECKING:
    from collections.abc import Iterable

    from coding_director.core.settings import Settings

SHIPPED_MODEL = Path(__file__).resolve().parent / "data" / "router_model.json"
#: `coding-director router retrain` writes the user's model here, in the data dir (ROUTER_CLASSIFIER overrides).
USER_MODEL_NAME = "router_model.json"
FORMAT = 1


class ModelFileError(ValueError):
    """A router model file that cannot be read; the message names the file."""


@dataclass(frozen=True)
class RouterModel:
    """P(math | prompt) = sigmoid(-(a * f + b)), f = w·x + intercept, x the l2-normalised TF-IDF."""

    weights: dict[str, tuple[float, float]]
    """token → (idf, coefficient)."""
    intercept: float
    calibration: tuple[float, float]
    meta: dict[str, Any] = field(default_factory=dict)
    _terms: dict[str, tuple[float, float]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # token → (idf · coefficient, idf²): a token seen once (most are) adds these as they are
        terms = {token: (idf * coef, idf * idf) for token, (idf, coef) in self.weights.items()}
        object.__setattr__(self, "_terms", terms)

    def decision(self, prompt: str) -> float:
        return self.decision_of(features(prompt))

    def decision_of(self, tokens: list[str]) -> float:
        counts = Counter(tokens)
        # the look-ups run in C (`map`, `compress`); Python only loops over the tokens the model knows
        entries = list(map(self._terms.get, counts))
        known = cast(  # compress drops the tokens the model does not know (None)
            "Iterable[tuple[tuple[float, float], int]]", compress(zip(entries, counts.values(), strict=True), entries)
        )
        dot = norm = 0.0
        for (weighted, squared), count in known:
            if count == 1:
                dot += weighted
                norm += squared
            else:
                tf = 1.0 + math.log(count)
                dot += tf * weighted
                norm += tf * tf * squared
        return (dot / math.sqrt(norm) if norm else 0.0) + self.intercept

    def probability_math(self, prompt: str) -> float:
        return self.probability_of(features(prompt))

    def probability_of(self, tokens: list[str]) -> float:
        a, b = self.calibration
        z = a * self.decision_of(tokens) + b
        return 1.0 / (1.0 + math.exp(z)) if z > -700 else 1.0

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "intercept": self.intercept,
            "calibration": list(self.calibration),
            "meta": self.meta,
            "weights": {t: [round(i, 5), round(c, 5)] for t, (i, c) in sorted(self.weights.items())},
        }

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> RouterModel:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ModelFileError(f"{path}: router model format {data.get('format')!r}, expected {FORMAT}")
            weights = {t: (float(v[0]), float(v[1])) for t, v in data["weights"].items()}
            a, b = data["calibration"]
            return cls(weights, float(data["intercept"]), (float(a), float(b)), data.get("meta", {}))
        except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
            if isinstance(exc, ModelFileError):
                raise
            raise ModelFileError(f"cannot read the router model {path}: {exc}") from exc


def user_model_path(settings: Settings) -> Path:
    """Where `router retrain` writes, and routing looks first: ROUTER_CLASSIFIER, else the data dir."""
    return settings.router_classifier_path or settings.data_dir / USER_MODEL_NAME


@lru_cache(maxsize=4)
def load_model(path: Path = SHIPPED_MODEL) -> RouterModel:
    """A model file, read once per process."""
    return RouterModel.load(path)


def active_model(user_model: Path | None = None) -> RouterModel:
    """The user's retrained model where one exists and reads, else the one shipped in the package."""
    if user_model is not None and user_model.is_file():
        try:
            return load_model(user_model)
        except ModelFileError:
            pass  # a damaged retrained model must not stop routing: the shipped one still works
    return load_model(SHIPPED_MODEL)
