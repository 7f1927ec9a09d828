"""A verdict as the state stores it: typed failures, what ran, and how strong the evidence is."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal, NotRequired, TypedDict


class FailureKind(StrEnum):
    """Why an attempt failed. The value is the word shown before the reason (`example: …`)."""

    MODEL = "model"
    """The model gave no answer at all (unreachable, timed out, not pulled, …): not a review failure."""
    EMPTY = "empty"
    REFUSAL = "refusal"
    TRUNCATED = "truncated"
    NO_CODE = "no code"
    SYNTAX = "syntax"
    LANGUAGE = "language"
    MISSING = "missing"
    """The function or class the task names is not defined."""
    SIGNATURE = "signature"
    IMPORT = "import"
    RUN = "run"
    """The code crashed, hung or hit a limit when it ran."""
    EXAMPLE = "example"
    OWN_TEST = "own test"
    ARITHMETIC = "arithmetic"
    OUTPUT = "output"
    """The output the answer shows for its code is not what the code prints."""
    RESULT = "result"
    """The result is not what the task asks: never stated, another value at the end, an impossible probability."""
    UNCHECKED = "could not check"
    """A check itself could not run on this answer (too large, too deep, …)."""
    JUDGE = "judge"

    @property
    def task_bound(self) -> bool:
        """Failing this the same way twice points at the task (an example that contradicts it, a
        package that is not installed) rather than at the models."""
        return self in (FailureKind.EXAMPLE, FailureKind.IMPORT)


class Failure(TypedDict):
    kind: str
    """A FailureKind's value (stored as a plain string, so any checkpointer can load it)."""
    message: str


#: How strong a passing verdict's evidence is: the task's examples ran, or only the answer's own
#: tests, or nothing ran (static checks only).
Strength = Literal["examples", "own tests", "static"]


class VerdictInfo(TypedDict):
    passed: bool
    failures: list[Failure]
    reasons: list[str]
    """The failures as the user reads them: `kind: message`, one per failure."""
    checks: list[str]
    """The checks that ran, in order."""
    notes: list[str]
    """What could not be decided (e.g. code that needs its environment to run)."""
    strength: Strength
    evidence: str
    """The strength in words: "checked by running 3 examples", "static checks only", …"""
    unchecked_function: NotRequired[str | None]
    """The function the task asks for, when the answer defines it and passed without any of the
    task's examples running it (the task shows none that can run): a pass with no evidence it works."""


def reason_of(failure: Failure) -> str:
    return f"{failure['kind']}: {failure['message']}"
