"""What an answer states as its result, and whether two numbers say the same thing.

Shared by selection (the math vote) and validation (a stated result must be what the answer's own
code prints), so "the final answer" means one thing everywhere.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

from coding_director.nodes.validation.extract import prose_lines

_BOXED = re.compile(r"\\boxed\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}")
_ANSWER_LINE = re.compile(r"^\W*(?:final answer|answer|réponse|respuesta|antwort)\W*[:：]\s*(.+)$", re.I | re.M)
_FRAC = re.compile(r"\\d?frac\{\s*(-?\d+)\s*\}\{\s*(\d+)\s*\}")
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?(?:/\d+)?")


def _last_number(text: str) -> str | None:
    numbers = _NUMBER.findall(text)
    if not numbers:
        return None
    value = numbers[-1].replace(",", "")
    try:
        return str(float(value)) if "." in value else value
    except ValueError:
        return value


def stated_result(answer: str) -> str | None:
    """The result an answer states explicitly: its last `\\boxed{…}`, else its `Answer:` line; None if neither."""
    answer = _FRAC.sub(r"\1/\2", answer)
    boxed = _BOXED.findall(answer)
    stated = _ANSWER_LINE.findall(answer)
    if not boxed and not stated:
        return None
    return boxed[-1].strip() if boxed else stated[-1].strip()


def result_statement(answer: str) -> str | None:
    """Where an answer gives its result: its explicit statement (`\\boxed{…}`, an `Answer:` line), else its
    last line of prose (outside code blocks) that holds a number; None if it has neither."""
    stated = stated_result(answer)
    if stated is not None:
        return stated
    numbered = [line for line in prose_lines(_FRAC.sub(r"\1/\2", answer)) if _NUMBER.search(line)]
    return numbered[-1].strip() if numbered else None


def final_value(answer: str) -> str | None:
    """What a prose answer gives as its result: the last `\\boxed{…}`, else its `Answer:` line, else the last number."""
    answer = _FRAC.sub(r"\1/\2", answer)
    boxed = _BOXED.findall(answer)
    if boxed:
        return _last_number(boxed[-1]) or boxed[-1].strip() or None
    stated = _ANSWER_LINE.findall(answer)
    return _last_number(stated[-1] if stated else answer)


def _as_number(text: str) -> float | None:
    try:
        return float(Fraction(text.replace(",", ""))) if "/" in text else float(text.replace(",", ""))
    except (ValueError, ZeroDivisionError):
        return None


def same_number(stated: str, printed: str) -> bool | None:
    """Whether a stated result and a printed value agree (None when either is not a number).

    Agreement allows for the stated value being the printed one rounded ("0.33" for 0.3333…) or given
    as a percentage ("25" for 0.25)."""
    a, b = _as_number(stated), _as_number(printed)
    if a is None or b is None:
        return None
    decimals = len(stated.split(".", 1)[1]) if "." in stated and "/" not in stated else 0
    for value in (b, b * 100):
        if math.isclose(a, value, rel_tol=1e-6, abs_tol=1e-9):
            return True
        if "." in stated and math.isclose(a, round(value, decimals), abs_tol=10 ** -(decimals + 3)):
            return True
    return False
