"""What the task asks for: the function it names, and the examples it states."""

from __future__ import annotations

import ast
import doctest
import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    name: str
    params: list[str] | None  # None when the task names the function but shows no signature
    is_class: bool = False


@dataclass(frozen=True, slots=True)
class Example:
    expression: str
    expected: str  # Python source of the expected value, or the text a doctest expects
    kind: str  # "doctest" or "prose"


_PROSE_NAME = re.compile(
    r"(?:function|method)\s+(?:called\s+|named\s+)?`?([A-Za-z_]\w*)`?\s*\(|"
    r"(?:function|method|class)\s+(?:called|named)\s+`?([A-Za-z_]\w*)`?|"
    r"`([A-Za-z_]\w*)\([^`]*\)`",
)
_CLASS_NAME = re.compile(r"\bclass\s+(?:called\s+|named\s+)?`?([A-Z]\w*)`?")
_SEPARATOR = re.compile(
    r"\s*(?:==|->|➞|=>|→|⇒|returns|should return|should be|gives|evaluates to|outputs?)\s*:?\s*", re.I
)
_LITERAL_NODES = (
    ast.Expression,
    ast.Constant,
    ast.List,
    ast.Tuple,
    ast.Set,
    ast.Dict,
    ast.UnaryOp,
    ast.USub,
    ast.UAdd,
    ast.Load,
    ast.Name,
    ast.BinOp,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.Pow,
)
_LITERAL_NAMES = {"True", "False", "None", "inf", "nan"}


def _code_of(task: str) -> ast.Module | None:
    """The task itself when it is Python (a HumanEval-style prompt), else its fenced blocks."""
    try:
        return ast.parse(task)
    except (SyntaxError, ValueError, MemoryError, RecursionError):  # prose, NUL, a long line of tokens
        pass
    blocks = re.findall(r"```(?:python|py)?[^\n]*\n(.*?)```", task, re.S)
    for block in blocks:
        try:
            return ast.parse(block)
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            continue
    return None


def code_of_task(task: str) -> ast.Module | None:
    """The task's Python, parsed (None when it carries none); pass it on so nothing parses it twice."""
    return _code_of(task)


def task_prelude(task: str) -> str:
    """Python the task carries (imports, helpers, the stub), run before the answer."""
    module = _code_of(task)
    return ast.unparse(module) if module is not None else ""


_UNPARSED: ast.Module = ast.Module(body=[], type_ignores=[])


def asked_function(task: str, module: ast.Module | None = _UNPARSED) -> FunctionSpec | None:
    """The function or class the task asks for: from its signature, or from its prose."""
    module = _code_of(task) if module is _UNPARSED else module
    if module is not None:
        defs = [n for n in module.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
        stubs = [d for d in defs if _is_stub(d)] or defs
        if stubs:
            target = stubs[-1]
            return FunctionSpec(target.name, [a.arg for a in target.args.args])
    match = _PROSE_NAME.search(task)
    if match:
        name = next(g for g in match.groups() if g)
        if name not in {"print", "len", "range", "input", "open"}:
            return FunctionSpec(name, None)
    match = _CLASS_NAME.search(task)
    if match:
        return FunctionSpec(match.group(1), None, is_class=True)
    return None


def _is_stub(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    body = [n for n in node.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    return all(isinstance(n, ast.Pass) for n in body) or not body


def _literal_source(text: str) -> str | None:
    """The longest prefix of `text` that is a plain Python value, e.g. `[1, 2]` in `[1, 2].`"""
    text = text.strip()
    for end in range(len(text), 0, -1):
        candidate = text[:end].rstrip(" .,;")
        if not candidate:
            break
        try:
            tree = ast.parse(candidate, mode="eval")
        except SyntaxError:
            continue
        if all(isinstance(node, _LITERAL_NODES) for node in ast.walk(tree)) and all(
            node.id in _LITERAL_NAMES for node in ast.walk(tree) if isinstance(node, ast.Name)
        ):
            return candidate
    return None


def _call_end(text: str, start: int) -> int | None:
    """Index just past the parenthesis that closes the one at `start`."""
    depth = 0
    quote = None
    for index in range(start, len(text)):
        char = text[index]
        if quote:
            if char == quote and text[index - 1] != "\\":
                quote = None
            continue
        if char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                return index + 1
        elif char == "\n" and depth == 0:
            return None
    return None


_QUOTES_LINE = re.compile(r"^\s*(?:\"\"\"|''')\s*$", re.M)


def _implied_true(source: str) -> str:
    """`>>> f(x) == 3` shown with no output means it should be True."""
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError:
        return ""
    body = tree.body
    if isinstance(body, ast.Compare) and all(isinstance(op, ast.Eq | ast.Is) for op in body.ops):
        return "True"
    return ""


def _literal_args(expression: str) -> bool:
    """A prose example is only runnable when its arguments are plain values (`f(a)` is not)."""
    try:
        call = ast.parse(expression, mode="eval").body
    except SyntaxError:
        return False
    if not isinstance(call, ast.Call):
        return False
    values = [*call.args, *(k.value for k in call.keywords)]
    return all(_literal_source(ast.unparse(v)) is not None for v in values)


def _doctest_texts(task: str, module: ast.Module | None) -> list[str]:
    """Docstrings when the task is Python (so the closing quotes are not read as output), else the text."""
    if module is None:
        return [task]
    docs = [
        ast.get_docstring(node, clean=True) or ""
        for node in ast.walk(module)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    ]
    return [d for d in docs if ">>>" in d] or [task]


def task_examples(task: str, function: str | None, module: ast.Module | None = _UNPARSED) -> list[Example]:
    """Doctest examples anywhere in the task, and prose ones such as `f(2) == 4` or `f(2) ➞ 4`."""
    examples: list[Example] = []
    seen: set[str] = set()
    for text in _doctest_texts(task, _code_of(task) if module is _UNPARSED else module):
        try:
            parsed = doctest.DocTestParser().get_examples(text)
        except ValueError:
            continue
        for example in parsed:
            source = example.source.strip()
            want = _QUOTES_LINE.sub("", example.want).strip() or _implied_true(source)
            if source and source not in seen and want:
                seen.add(source)
                examples.append(Example(source, want, "doctest"))
    if not function:
        return examples
    for match in re.finditer(rf"(?<![\w.>]){re.escape(function)}\s*\(", task):
        end = _call_end(task, match.end() - 1)
        if end is None:
            continue
        expression = task[match.start() : end]
        separator = _SEPARATOR.match(task, end)
        if not separator or any(expression in source for source in seen) or not _literal_args(expression):
            continue
        line_end = task.find("\n", separator.end())
        value = _literal_source(task[separator.end() : line_end if line_end != -1 else None])
        if value is not None:
            seen.add(expression)
            examples.append(Example(expression, value, "prose"))
    return examples
