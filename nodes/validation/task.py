"""What a task asks for, parsed once: whether it wants code, in which language, the function it
names with its signature and stub, and the examples it states. Validation and selection both
read a `TaskSpec`, so the task's text is never picked apart in more than one place."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from coding_director.nodes.validation.examples import Example, FunctionSpec, asked_function, code_of_task, task_examples

ASKS_FOR_CODE = re.compile(
    r"\b(?:write|implement|create|code|give me|generate|build)\b[^.?!\n]{0,60}?"
    r"\b(?:function|class|script|program|code|method|snippet|module)\b",
    re.IGNORECASE,
)
ASKED_LANGUAGE = {
    "javascript": r"javascript|\bjs\b|node\.?js|\breact\b|express",
    "typescript": r"typescript|\bts\b",
    "java": r"\bjava\b(?!script)",
    "cpp": r"c\+\+|\bcpp\b",
    "c": r"(?-i:\bC (?:program|function|code)\b)",
    "csharp": r"c#|csharp|\.net\b",
    "go": r"\bgolang\b|\bin go\b|\bgo (?:function|program|code)\b",
    "rust": r"\brust\b",
    "ruby": r"\bruby\b",
    "php": r"\bphp\b",
    "bash": r"\bbash\b|\bshell script\b",
    "sql": r"\bsql\b|\bquery\b",
    "python": r"\bpython\b",
}


@dataclass(frozen=True, slots=True)
class TaskSpec:
    text: str
    asks_for_code: bool
    languages: tuple[str, ...]
    """Languages the task's prose names (empty when the task is itself code: its language is asked)."""
    prelude: str
    """Python the task carries (imports, helpers, the stub), run before the answer."""
    function: FunctionSpec | None
    examples: tuple[Example, ...]


def parse_task(task: str) -> TaskSpec:
    """Never raises: a task too odd to read (too deep, too large) asks for nothing the checks can use."""
    try:
        module: ast.Module | None = code_of_task(task)
        function = asked_function(task, module)
        prelude = ast.unparse(module) if module is not None else ""
        examples = tuple(
            task_examples(task, function.name if function else None, module, function.params if function else None)
        )
    except (Exception, RecursionError, MemoryError):
        module, function, prelude, examples = None, None, "", ()
    languages = (
        ()
        if prelude
        else tuple(lang for lang, pattern in ASKED_LANGUAGE.items() if re.search(pattern, task, re.IGNORECASE))
    )
    return TaskSpec(
        text=task,
        asks_for_code=bool(ASKS_FOR_CODE.search(task)),
        languages=languages,
        prelude=prelude,
        function=function,
        examples=examples,
    )
