"""An answer that shows what its code prints, or states a result its code computes, is checked by
running that code.

Models often add an output block they did not run (`math.comb(10, 10)` "prints" 1048576), or box a
result other than the one their program prints: what the code really prints, in the sandbox, must
agree with the output the answer shows and with the result it states.
"""

from __future__ import annotations

import re
from itertools import pairwise

from coding_director.nodes.validation.final_answer import final_value, same_number, stated_result
from coding_director.nodes.validation.sandbox import SandboxLimits, SandboxMode, SandboxResult, run_python

_OPEN = re.compile(r"^```\s*([\w+.-]*)")
_SAYS_OUTPUT = re.compile(r"\b(?:output|prints?|printed|displays?|shows?)\b", re.IGNORECASE)
_OUTPUT_LANGUAGES = {"output", "console", "stdout", "shell-session"}
_PLAIN = {"", "text", "plaintext", "txt"}
_PYTHON = {"python", "py", "python3"}
_LIMITS = SandboxLimits(timeout_s=5.0, cpu_s=5)
MAX_CHECKED = 2


class CodeRuns:
    """Runs each piece of code once per verdict: the shown-output and the stated-result checks often
    run the same block (the last printing one), and each run is a sandbox start."""

    def __init__(self, sandbox: SandboxMode = "bwrap") -> None:
        self.sandbox = sandbox
        self._results: dict[str, SandboxResult] = {}

    def __call__(self, code: str) -> SandboxResult:
        if code not in self._results:
            self._results[code] = run_python(code, limits=_LIMITS, mode=self.sandbox)
        return self._results[code]


def _fenced(text: str) -> list[tuple[str, str, str]]:
    """(language, code, text before the block) for each closed fenced block, in one linear pass."""
    blocks: list[tuple[str, str, str]] = []
    lines = text.split("\n")
    language: str | None = None
    body: list[str] = []
    before: list[str] = []
    for line in lines:
        if language is None:
            opened = _OPEN.match(line)
            if opened:
                language, body = opened.group(1).lower(), []
            else:
                before.append(line)
        elif line.strip().startswith("```"):
            blocks.append((language, "\n".join(body), "\n".join(before[-3:])))
            language, before = None, []
        else:
            body.append(line)
    return blocks


def shown_outputs(text: str) -> list[tuple[str, str]]:
    """(Python code, the output the answer shows for it) for each Python block followed by its output."""
    blocks = _fenced(text)
    pairs = []
    for (language, code, _), (next_language, shown, between) in pairwise(blocks):
        if language not in _PYTHON:
            continue
        if next_language in _OUTPUT_LANGUAGES or (next_language in _PLAIN and _SAYS_OUTPUT.search(between)):
            pairs.append((code, shown))
    return pairs


def _squash(text: str) -> str:
    return " ".join(text.split())


def wrong_shown_output(text: str, sandbox: SandboxMode = "bwrap", runs: CodeRuns | None = None) -> list[str]:
    """A failure for each output block that is not what its code prints (code that reads input, fails
    or cannot run here is not compared: other checks judge that)."""
    run = runs or CodeRuns(sandbox)
    failures = []
    for code, shown in shown_outputs(text)[:MAX_CHECKED]:
        if "input(" in code or not _squash(shown):
            continue
        result = run(code)
        printed = _squash(result.stdout)
        if result.not_run or not result.ok or not printed:
            continue
        if printed != _squash(shown):
            failures.append(
                f"the answer shows its code printing {_squash(shown)[:80]!r}, but it prints {printed[:80]!r}"
            )
    return failures


def wrong_stated_result(text: str, sandbox: SandboxMode = "bwrap", runs: CodeRuns | None = None) -> list[str]:
    """A failure when the answer states a result (`\\boxed{…}`, an `Answer:` line) that its last printing
    Python block does not print (program-of-thought: the code is the computation, the result must be its)."""
    stated = stated_result(text)
    if stated is None:
        return []
    printing = [code for language, code, _ in _fenced(text) if language in _PYTHON and "print(" in code]
    if not printing or "input(" in printing[-1]:
        return []
    result = (runs or CodeRuns(sandbox))(printing[-1])
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    if result.not_run or not result.ok or not lines:
        return []
    printed = final_value(lines[-1])
    claimed = final_value(f"\\boxed{{{stated}}}")
    if printed is None or claimed is None or same_number(claimed, printed) is not False:
        return []
    return [f"the answer states the result {claimed[:40]!r}, but its code prints {printed[:40]!r}"]
