"""Finding the code in an answer, and what language it is in."""

from __future__ import annotations

import ast
import bisect
import re
from dataclasses import dataclass

_OPENING = re.compile(r"[ \t]*(`{3,}|~{3,})[ \t]*([\w+#.-]*)")
_FENCE_LINE = re.compile(r"^[ \t]*(`{3,}|~{3,})", re.M)

_LANG_ALIASES = {
    "py": "python",
    "python3": "python",
    "py3": "python",
    "ipython": "python",
    "pycon": "python",
    "js": "javascript",
    "node": "javascript",
    "ts": "typescript",
    "sh": "bash",
    "shell": "bash",
    "zsh": "bash",
    "console": "bash",
    "c++": "cpp",
    "golang": "go",
    "yml": "yaml",
}


@dataclass(frozen=True, slots=True)
class CodeBlock:
    language: str
    code: str


def _guess_language(code: str) -> str:
    if re.search(r"^\s*(def |class |import |from \w+ import |print\()", code, re.M):
        return "python"
    if re.search(r"\b(function|const|let|=>|console\.log)\b", code):
        return "javascript"
    if re.search(r"#include\s*<|\bint main\s*\(", code):
        return "c"
    if re.search(r"\bpublic (static |class )", code):
        return "java"
    try:
        ast.parse(code)
    except (SyntaxError, ValueError):
        return "text"
    return "python"


def code_blocks(answer: str) -> list[CodeBlock]:
    """Every closed fenced block, with its language from the tag or from its content.

    A line scan, linear in the answer (a regex over the whole text took minutes on a hostile answer
    full of fences that never close): a fence closes at the next line holding exactly that fence."""
    lines = answer.split("\n")
    closers: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        bare = line.strip(" \t")
        if bare[:3] in ("```", "~~~") and bare == bare[0] * len(bare):
            closers.setdefault(bare, []).append(index)
    blocks = []
    index = 0
    while index < len(lines) - 1:  # an opening line must end with a newline
        match = _OPENING.match(lines[index])
        if match is None:
            index += 1
            continue
        candidates = closers.get(match.group(1), [])
        close = bisect.bisect_right(candidates, index)
        if close == len(candidates):
            index += 1  # never closed
            continue
        end = candidates[close]
        tag = match.group(2).strip().lower()
        code = "\n".join(lines[index + 1 : end]) + ("\n" if end > index + 1 else "")
        language = _LANG_ALIASES.get(tag, tag) if tag else _guess_language(code)
        blocks.append(CodeBlock(language=language, code=code))
        index = end + 1
    return blocks


def has_unclosed_fence(answer: str) -> bool:
    return len(_FENCE_LINE.findall(answer)) % 2 == 1


def prose_lines(answer: str) -> list[str]:
    """The answer's lines outside its fenced blocks (each fence line opens or closes one)."""
    lines, in_code = [], False
    for line in answer.splitlines():
        if _FENCE_LINE.match(line):
            in_code = not in_code
        elif not in_code:
            lines.append(line)
    return lines
