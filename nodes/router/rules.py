"""Deterministic routing signals: the word table (`word_table.py`) compiled and scored.

Each signal adds evidence for `math` or `general`; the margin between the two is the rules'
own verdict. The signals are also features of the learned router (`classifier.py`), which
decides the category and its calibrated confidence.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from coding_director.core.team import Category, Complexity
from coding_director.nodes.router.word_table import ANALYSIS_OF_CODE, COMPLEX_HINTS, SIGNAL_TABLE


@dataclass(frozen=True, slots=True)
class Signal:
    name: str
    category: Category
    weight: float
    pattern: re.Pattern[str]


def _compile(regex: str) -> re.Pattern[str]:
    """Patterns run on lower-cased text; only one with an upper-case letter still needs IGNORECASE (slower)."""
    return re.compile(regex, re.IGNORECASE if re.search(r"(?<!\\)[A-Z]", regex) else 0)


SIGNALS: tuple[Signal, ...] = tuple(
    Signal(name, category, weight, _compile(regex)) for name, category, weight, regex in SIGNAL_TABLE
)
_ANALYSIS_OF_CODE = _compile(ANALYSIS_OF_CODE)
_COMPLEX_HINTS = _compile(COMPLEX_HINTS)
_REQUIREMENT_LINE = re.compile(r"^\s*(?:\d+[.)]|[-*•])\s+\S", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class RuleVerdict:
    category: Category
    complexity: Complexity
    confidence: float
    reasons: list[str] = field(default_factory=list)
    fired: tuple[Signal, ...] = ()


def _confidence(margin: float) -> float:
    """0.5 when the evidence is even, approaching 1 as one side dominates."""
    return round(0.5 + 0.5 * (1.0 - math.exp(-abs(margin) / 2.0)), 3)


def assess_complexity(text: str) -> Complexity:
    if len(text) > 2500:
        return "complex"
    requirements = len(_REQUIREMENT_LINE.findall(text))
    if _COMPLEX_HINTS.search(text.lower()) or requirements >= 6:
        return "complex"
    if len(text) > 400 or requirements >= 3 or "```" in text:
        return "moderate"
    return "simple"


def fired_signals(text: str) -> tuple[Signal, ...]:
    lowered = text.lower()
    return tuple(signal for signal in SIGNALS if signal.pattern.search(lowered))


def apply_rules(text: str, fired: tuple[Signal, ...] | None = None) -> RuleVerdict:
    """The rules' own verdict; `fired` when the signals were already found in `text`."""
    scores: dict[Category, float] = {"math": 0.0, "general": 0.0}
    reasons: list[str] = []
    if fired is None:
        fired = fired_signals(text)
    for signal in fired:
        scores[signal.category] += signal.weight
        reasons.append(f"{signal.category}: {signal.name}")
    asks_for_code = any(
        f"general: {name}" in reasons for name in ("code deliverable", "code work", "code with a named tool")
    )
    analysis = _ANALYSIS_OF_CODE.search(text.lower())
    if asks_for_code and not analysis:
        # Code asked for about a quantity is still code ...
        scores["math"] *= 0.5
    elif analysis and not asks_for_code:
        # ... and code shown to be analysed (complexity, proof) is the object of a math question.
        scores["general"] *= 0.3
    margin = scores["math"] - scores["general"]
    category: Category = "math" if margin > 0 else "general"
    if not reasons:
        reasons.append("no signal: defaulting to general")
    return RuleVerdict(category, assess_complexity(text), _confidence(margin), reasons, fired)
