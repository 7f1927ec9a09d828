"""Finding the code in an answer, and what language it is in."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*([\w+#.-]*)[^\n]*\n(.*?)^[ \t]*\1[ \t]*$", re.M | re.S)
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
    """Every closed fenced block, with its language from the tag or from its content."""
    blocks = []
    for match in _FENCE.finditer(answer):
        tag = match.group(2).strip().lower()
        code = match.group(3)
        language = _LANG_ALIASES.get(tag, tag) if tag else _guess_language(code)
        blocks.append(CodeBlock(language=language, code=code))
    return blocks


def has_unclosed_fence(answer: str) -> bool:
    return len(_FENCE_LINE.findall(answer)) % 2 == 1
