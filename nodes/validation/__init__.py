"""Validation: the verdict that decides whether an answer stands or escalates.

`validate_answer` is deterministic and makes no model call. Checks run in order
of cost, and every failure carries a short, specific reason that the next tier
sees in its prompt.
"""

from __future__ import annotations

import ast
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from coding_director.core.scrub import scrub
from coding_director.nodes.validation.arithmetic import impossible_probability, wrong_claims, wrong_task_result
from coding_director.nodes.validation.extract import CodeBlock, code_blocks, has_unclosed_fence
from coding_director.nodes.validation.python_checks import check_python
from coding_director.nodes.validation.sandbox import SandboxMode
from coding_director.nodes.validation.shown_output import CodeRuns, wrong_shown_output, wrong_stated_result
from coding_director.nodes.validation.syntax import other_language_errors
from coding_director.nodes.validation.task import TaskSpec, parse_task
from coding_director.state.verdicts import Failure, FailureKind, Strength, VerdictInfo, reason_of

log = logging.getLogger(__name__)

#: The most of one reason that travels on (to the next prompt, the run log, the memory, the screen).
MAX_REASON_CHARS = 500
#: Longer answers are not checked at all (each check's cost grows with the text).
MAX_ANSWER_CHARS = 1_000_000

_REFUSAL = re.compile(
    r"^\W*(?:i'?m sorry|i am sorry|sorry,|i can(?:no|')t|i cannot|i am unable|i'm unable|"
    r"i am not able|i'm not able|i won't|as an ai\b|unfortunately,? i)",
    re.IGNORECASE,
)
_CODE_LINE = re.compile(r"^\s*(?:def |class |import |from \w+ import |return\b|function |const |#include)", re.M)


@dataclass(slots=True)
class Verdict:
    passed: bool
    failures: list[Failure] = field(default_factory=list)
    """Why the answer failed: one typed, short, specific failure per failed check."""
    checks: list[str] = field(default_factory=list)
    """The checks that ran, in order."""
    notes: list[str] = field(default_factory=list)
    """What could not be decided (e.g. code that needs its environment to run)."""
    examples_run: int = 0
    """How many of the task's examples ran in the sandbox."""
    own_tests_run: int = 0
    """How many of the answer's own tests (asserts, test functions, doctests) ran."""
    unchecked_function: str | None = None
    """The function the task asks for, defined by a passing answer that no example of the task ran."""

    def fail(self, kind: FailureKind, message: str) -> None:
        """Record a failure; its text is scrubbed of secrets and capped (it travels to prompts and logs)."""
        self.failures.append({"kind": kind.value, "message": scrub(message, MAX_REASON_CHARS)})
        self.passed = False

    @property
    def reasons(self) -> list[str]:
        """The failures as the user reads them: `kind: message`."""
        return [reason_of(f) for f in self.failures]

    @property
    def failed_checks(self) -> list[str]:
        """The kinds of check that failed (`syntax`, `example`, `arithmetic`, ...)."""
        return sorted({f["kind"] for f in self.failures})

    @property
    def strength(self) -> Strength:
        if self.examples_run:
            return "examples"
        return "own tests" if self.own_tests_run else "static"

    @property
    def evidence(self) -> str:
        """How strong the verdict is, in words: what really ran."""
        if self.examples_run:
            return f"checked by running {self.examples_run} example{'s' if self.examples_run != 1 else ''}"
        if self.own_tests_run:
            return "the answer's own tests ran"
        return "static checks only"

    def to_info(self) -> VerdictInfo:
        return {
            "passed": self.passed,
            "failures": list(self.failures),
            "reasons": self.reasons,
            "checks": list(self.checks),
            "notes": list(self.notes),
            "strength": self.strength,
            "evidence": self.evidence,
            "unchecked_function": self.unchecked_function,
        }


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
            reasons.append(f"Python block {index} does not parse: {exc.msg} ({where})")
    return reasons


_LANGUAGE_EQUIVALENTS = {
    "javascript": {"javascript", "jsx", "typescript"},
    "typescript": {"typescript", "ts", "tsx"},
    "csharp": {"csharp", "cs", "c#"},
    "cpp": {"cpp", "c++", "cc", "c"},
    "bash": {"bash", "sh"},
    "sql": {"sql", "postgresql", "mysql", "sqlite"},
}


def _language_mismatch(spec: TaskSpec, blocks: list[CodeBlock]) -> list[str]:
    """An answer whose code is all in one language when the task named another."""
    asked = spec.languages
    if len(asked) != 1 or not blocks:
        return []
    wanted = _LANGUAGE_EQUIVALENTS.get(asked[0], {asked[0]})
    given = {b.language for b in blocks if b.language not in ("text", "", "console", "output")}
    if not given or given & wanted:
        return []
    return [f"the task asks for {asked[0]}, the answer's code is {', '.join(sorted(given))}"]


def _python_program(answer: str, blocks: list[CodeBlock]) -> str:
    """The answer's Python, blocks in order (a later block's definition wins), sessions left out."""
    python = [b.code for b in blocks if b.language == "python" and not b.code.lstrip().startswith(">>>")]
    if python:
        return "\n\n".join(python)
    if not blocks and _CODE_LINE.search(answer):
        try:
            ast.parse(answer)
        except SyntaxError:
            return ""
        return answer
    return ""


def validate_answer(
    task: str,
    answer: str,
    category: str = "general",
    *,
    done_reason: str | None = None,
    sandbox: SandboxMode = "bwrap",
) -> Verdict:
    """Judge `answer` to `task`; `passed` is False with typed failures when any check fails.

    Never raises on a hostile answer: a check that cannot run on it (too deep, too large, a value
    too big to show) is that check's failure, `could not check: <check> (...)`, and the rest go on."""
    verdict = Verdict(passed=True)
    # lone surrogates and the like: replaced here, so no check meets text it cannot encode
    task = task.encode("utf-8", "replace").decode("utf-8")
    answer = answer.encode("utf-8", "replace").decode("utf-8")
    spec = parse_task(task)

    def check(name: str, kind: FailureKind, compute: Callable[[], list[str]]) -> list[str] | None:
        """Run one check; its messages become failures of `kind`. None when the check itself failed."""
        verdict.checks.append(name)
        try:
            messages = compute()
        except (Exception, RecursionError, MemoryError) as exc:
            log.warning("check %r could not run: %s", name, type(exc).__name__)
            verdict.fail(FailureKind.UNCHECKED, f"{name} ({type(exc).__name__}: {str(exc)[:120]})")
            return None
        for message in messages:
            verdict.fail(kind, message)
        return messages

    text = answer.strip()
    check("not empty", FailureKind.EMPTY, lambda: [] if text else ["the answer is empty"])
    if not text:
        return verdict
    if len(text) > MAX_ANSWER_CHARS:
        verdict.fail(FailureKind.UNCHECKED, f"the answer is too long to check ({len(text):,} characters)")
        verdict.passed = False
        return verdict
    refuses = _REFUSAL.match(text) and "```" not in text
    check("no refusal", FailureKind.REFUSAL, lambda: ["the answer declines the request"] if refuses else [])
    truncated = []
    if done_reason == "length":
        truncated.append("the answer was cut off at the token limit")
    elif has_unclosed_fence(text):
        truncated.append("a code block is opened but never closed")
    check("complete", FailureKind.TRUNCATED, lambda: truncated)

    blocks = code_blocks(text)
    if spec.asks_for_code:
        has_code = bool(blocks) or bool(_CODE_LINE.search(text))
        check(
            "contains code",
            FailureKind.NO_CODE,
            lambda: [] if has_code else ["the request asks for code, the answer has none"],
        )
    syntax = check("python parses", FailureKind.SYNTAX, lambda: _python_syntax_errors(blocks))
    check("language as asked", FailureKind.LANGUAGE, lambda: _language_mismatch(spec, blocks))
    check("other languages parse", FailureKind.SYNTAX, lambda: other_language_errors(blocks))
    program = _python_program(text, blocks) if syntax == [] else ""
    if program:
        try:
            findings = check_python(program, spec.function, list(spec.examples), spec.prelude, sandbox=sandbox)
        except (Exception, RecursionError, MemoryError) as exc:
            log.warning("python checks could not run: %s", type(exc).__name__)
            verdict.checks.append("python checks")
            verdict.fail(FailureKind.UNCHECKED, f"python checks ({type(exc).__name__}: {str(exc)[:120]})")
        else:
            verdict.checks.extend(findings.checks)
            verdict.failures.extend(findings.failures)
            verdict.notes.extend(scrub(note, MAX_REASON_CHARS) for note in findings.notes)
            verdict.examples_run = findings.examples_run
            verdict.own_tests_run = findings.own_tests_run

    if syntax == [] and any(block.language == "python" for block in blocks):
        runs = CodeRuns(sandbox)  # the two checks often run the same block: once is enough
        check("output as shown", FailureKind.OUTPUT, lambda: wrong_shown_output(text, sandbox, runs))
        check("result as computed", FailureKind.OUTPUT, lambda: wrong_stated_result(text, sandbox, runs))
    arithmetic = check("arithmetic", FailureKind.ARITHMETIC, lambda: wrong_claims(text))
    if category == "math" and arithmetic == []:
        check("states the result", FailureKind.RESULT, lambda: _listed(wrong_task_result(task, text)))
        check("probability in range", FailureKind.RESULT, lambda: _listed(impossible_probability(task, text)))

    verdict.passed = not verdict.failures
    if verdict.passed and spec.function is not None and program and not verdict.examples_run:
        verdict.unchecked_function = spec.function.name
    return verdict


def _listed(message: str | None) -> list[str]:
    return [message] if message else []


__all__ = ["Verdict", "validate_answer"]
