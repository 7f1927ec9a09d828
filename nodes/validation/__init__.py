"""Validation: the verdict that decides whether an answer stands or escalates.

`validate_answer` is deterministic and makes no model call. Checks run in order
of cost, and every failure carries a short, specific reason that the next tier
sees in its prompt.
"""

from __future__ import annotations

import ast
import re
from dataclasses import asdict, dataclass, field

from nodes.validation.arithmetic import missing_task_result, wrong_claims
from nodes.validation.extract import CodeBlock, code_blocks, has_unclosed_fence

_REFUSAL = re.compile(
    r"^\W*(?:i'?m sorry|i am sorry|sorry,|i can(?:no|')t|i cannot|i am unable|i'm unable|"
    r"i am not able|i'm not able|i won't|as an ai\b|unfortunately,? i)",
    re.IGNORECASE,
)
_ASKS_FOR_CODE = re.compile(
    r"\b(?:write|implement|create|code|give me|generate|build)\b[^.?!\n]{0,60}?"
    r"\b(?:function|class|script|program|code|method|snippet|module)\b",
    re.IGNORECASE,
)
_CODE_LINE = re.compile(
    r"^\s*(?:def |class |import |from \w+ import |return\b|function |const |#include)", re.M
)


@dataclass(slots=True)
class Verdict:
    passed: bool
    reasons: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def _python_syntax_errors(blocks: list[CodeBlock]) -> list[str]:
    reasons = []
    for index, block in enumerate(blocks, start=1):
        if block.language != "python":
            continue
        try:
            ast.parse(block.code)
        except SyntaxError as exc:
            line = (exc.text or "").strip()
            where = f"line {exc.lineno}" + (f" `{line}`" if line else "")
            reasons.append(f"syntax: Python block {index} does not parse: {exc.msg} ({where})")
    return reasons


def validate_answer(
    task: str,
    answer: str,
    category: str = "general",
    *,
    done_reason: str | None = None,
) -> Verdict:
    """Judge `answer` to `task`; `passed` is False with reasons when any check fails."""
    verdict = Verdict(passed=True)

    def check(name: str, reasons: list[str]) -> None:
        verdict.checks.append(name)
        verdict.reasons.extend(reasons)

    text = answer.strip()
    check("not empty", [] if text else ["empty: the answer is empty"])
    if not text:
        verdict.passed = False
        return verdict
    check(
        "no refusal",
        ["refusal: the answer declines the request"] if _REFUSAL.match(text) and "```" not in text else [],
    )
    truncated = []
    if done_reason == "length":
        truncated.append("truncated: the answer was cut off at the token limit")
    elif has_unclosed_fence(text):
        truncated.append("truncated: a code block is opened but never closed")
    check("complete", truncated)

    blocks = code_blocks(text)
    if _ASKS_FOR_CODE.search(task):
        has_code = bool(blocks) or bool(_CODE_LINE.search(text))
        check(
            "contains code",
            [] if has_code else ["no code: the request asks for code, the answer has none"],
        )
    check("python parses", _python_syntax_errors(blocks))

    arithmetic = wrong_claims(text)
    if category == "math" and not arithmetic:
        missing = missing_task_result(task, text)
        arithmetic += [missing] if missing else []
    check("arithmetic", arithmetic)

    verdict.passed = not verdict.reasons
    return verdict


__all__ = ["Verdict", "validate_answer"]
