"""What the task asks for: the function it names, and the examples it states."""

from __future__ import annotations

import ast
import builtins
import doctest
import re
from collections import Counter
from collections.abc import Iterator
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
    r"`([A-Za-z_]\w*)\([^`]*\)`|"
    r"\b[Ii]mplement\s+`?([A-Za-z_]\w*)\s*\(",  # "Implement sum_list(xs)"
)
_CLASS_NAME = re.compile(r"\bclass\s+(?:called\s+|named\s+)?`?([A-Z]\w*)`?")
_SEPARATOR = re.compile(
    r"\s*(?:==>|==|->|➞|=>|→|⇒|returns|should return|should be|gives|evaluates to|outputs?|is(?: equal to)?\b)\s*:?\s*",
    re.I,
)  # not a lone "=": in prose it defines ("tri(1) = 3" in a recurrence) as often as it shows a result
#: "For lst = [1, 2] the output should be 3", "For s = "ab", c = "b", the result should be ('a', False)"
_FOR_INPUTS = re.compile(r"\bFor\s+(\w+\s*=.+?),?\s+the\s+(?:output|result)\s+(?:should|will)\s+be\s+(.+)$", re.M)
#: "Input: arr = [4, -4, 4], k = 2" then, on a later line, "Output: [4, 4]"
_INPUT_OUTPUT = re.compile(r"^\s*Input\s*:\s*(.+?)\s*\n(?:\s*\n)*\s*Output\s*:\s*(.+)$", re.M)
#: JSON-style and other languages' spellings of Python's constants, in a prose example's expected value.
_CONSTANT_SPELLINGS = {"true": "True", "false": "False", "null": "None", "none": "None"}
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
    asserted = Counter(
        node.func.id
        for _, test in _assert_tests(task)
        for node in ast.walk(test)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id not in _BUILTIN_NAMES
    )
    if asserted:
        return FunctionSpec(asserted.most_common(1)[0][0], None)
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


_GOES_ON = re.compile(r"\s*[*/+\-%^&|@<>]+\s*[\d.(\[{'\"]|[(\[]")


def _literal_source(text: str) -> str | None:
    """The longest prefix of `text` that is a plain Python value, e.g. `[1, 2]` in `[1, 2].`"""
    text = text.strip()
    for end in range(len(text), 0, -1):
        candidate = text[:end].rstrip(" .,;")
        if not candidate:
            break
        if _GOES_ON.match(text, len(candidate)):  # `9**9` of `9**9**9`: a prefix cut inside an expression
            continue
        try:
            tree = ast.parse(candidate, mode="eval")
        except SyntaxError:
            continue
        if (
            all(isinstance(node, _LITERAL_NODES) for node in ast.walk(tree))
            and all(node.id in _LITERAL_NAMES for node in ast.walk(tree) if isinstance(node, ast.Name))
            and all(_cheap(node) for node in ast.walk(tree) if isinstance(node, ast.BinOp))
        ):
            return candidate
    return None


def _number(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp):
        return _number(node.operand)
    if isinstance(node, ast.BinOp):
        return _number(node.left) and _number(node.right)
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


def _cheap(node: ast.BinOp) -> bool:
    """Arithmetic on numbers only, and powers of a plain number to a small one: an expected value is
    computed before the examples run, so `9**9**9**9` or `[0] * 10**9` would stall every check."""
    if not (_number(node.left) and _number(node.right)):
        return False
    if isinstance(node.op, ast.Pow):
        base, exponent = node.left, node.right
        return (
            isinstance(base, ast.Constant | ast.UnaryOp)
            and not isinstance(getattr(base, "operand", None), ast.BinOp)
            and isinstance(exponent, ast.Constant)
            and isinstance(exponent.value, int)
            and abs(exponent.value) <= 4096
        )
    return True


def call_end(text: str, start: int) -> int | None:
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


_CLOSING_LINE = re.compile(r"^\s*(?:\"\"\"|'''|```)\s*$", re.M)  # a docstring's or a fence's end, not output


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


def _expected_value(text: str) -> str | None:
    """The plain Python value a prose example expects: `[1, 2]` in `[1, 2].`, `True` for `true`."""
    word = re.match(r"\s*([A-Za-z]+)\b\s*[.,;]?\s*$", text)
    if word and word.group(1).lower() in _CONSTANT_SPELLINGS:
        return _CONSTANT_SPELLINGS[word.group(1).lower()]
    return _literal_source(text)


def _call_from_inputs(function: str, params: list[str] | None, inputs: str) -> str | None:
    """`f([1, 2], 3)` from the inputs as a task writes them (`lst = [1, 2], k = 3`, or `[1, 2], 3`),
    trying shorter comma-cut prefixes when prose follows them; None unless every argument is a plain
    value and, when named, every name is one of the function's parameters."""
    pieces = inputs.split(",")
    for cut in range(len(pieces), 0, -1):
        try:
            call = ast.parse(f"{function}({','.join(pieces[:cut])})", mode="eval").body
        except SyntaxError:
            continue
        if not isinstance(call, ast.Call) or not (call.args or call.keywords):
            continue
        names = [k.arg for k in call.keywords]
        if names and (params is None or None in names or any(n not in params for n in names)):
            continue
        if len(call.args) + len(names) != (len(params) if params is not None else len(call.args) + len(names)):
            continue
        if names and params is not None:  # positional, in the signature's order: an answer may rename them
            by_name = {k.arg: k.value for k in call.keywords}
            call.args += [by_name[p] for p in params if p in by_name]
            call.keywords = []
        expression = ast.unparse(call)
        return expression if _literal_args(expression) else None
    return None


def _stated_examples(task: str, function: str, params: list[str] | None) -> list[Example]:
    """Examples written as inputs and an output rather than as a call: "For x = 1 the output should be
    2", or an "Input:" line followed by an "Output:" line."""
    found = []
    for pattern in (_FOR_INPUTS, _INPUT_OUTPUT):
        for match in pattern.finditer(task):
            expression = _call_from_inputs(function, params, match.group(1))
            value = _expected_value(match.group(2))
            if expression is not None and value is not None:
                found.append(Example(expression, value, "prose"))
    return found


_LONE_EQUALS = re.compile(r"\s*=(?!=)\s*")


def _shown_calls(task: str, function: str) -> Iterator[tuple[str, int]]:
    """Each complete call of `function` in the text, and where it ends (past the closing backtick of a
    quoted one: `f(3)` should return `6`)."""
    for match in re.finditer(rf"(?<![\w.>]){re.escape(function)}\s*\(", task):
        end = call_end(task, match.end() - 1)
        if end is not None:
            quoted = task.startswith("`", end) and task[: match.start()].endswith("`")
            yield task[match.start() : end], end + quoted


def _line_from(task: str, start: int) -> str:
    line_end = task.find("\n", start)
    return task[start : line_end if line_end != -1 else None]


def _equation_examples(task: str, function: str) -> list[Example]:
    """`choose_num(12, 15) = 14`: a lone "=" read as a result, only where nothing else shows one and the
    equations cannot be a definition. None when any of them has a symbolic argument (`tri(n) = …`, a
    recurrence), continues the working (`tri(2) = 1 + 1 = 2`), or when their values differ in type."""
    found: list[Example] = []
    for expression, end in _shown_calls(task, function):
        separator = _LONE_EQUALS.match(task, end)
        if separator is None:
            continue
        if not _literal_args(expression):
            return []
        rest = _line_from(task, separator.end())
        value = _expected_value(rest)
        if value is None or "=" in rest[len(value) :]:
            return []
        found.append(Example(expression, value, "prose"))
    return found if len({_value_kind(e.expected) for e in found}) == 1 else []


def _value_kind(source: str) -> str:
    """What kind of value a plain-value source is: `[1]` a list, `-1`, `2 / 3` and `inf` numbers."""
    node = ast.parse(source, mode="eval").body
    if _number(node) or isinstance(node, ast.Name):  # a plain value's only names besides constants: inf, nan
        return "number"
    return type(node.value).__name__ if isinstance(node, ast.Constant) else type(node).__name__


#: `assert f(x) == y` lines, as MBPP-style tasks give their tests.
_ASSERT_LINE = re.compile(r"^[ \t>]*assert\s+(.+?)\s*$", re.M)
_BUILTIN_NAMES = frozenset(dir(builtins))


def _assert_tests(task: str) -> list[tuple[str, ast.expr]]:
    """The task's `assert` lines that parse as Python: each line's text and its condition."""
    tests = []
    for match in _ASSERT_LINE.finditer(task):
        line = match.group(1).rstrip("`")
        try:
            statement = ast.parse("assert " + line).body[0]
        except (SyntaxError, ValueError, RecursionError):
            continue
        if isinstance(statement, ast.Assert):
            tests.append((line, statement.test))
    return tests


def _assert_examples(task: str, function: str) -> list[tuple[str, Example]]:
    """Each `assert` line that calls the function on plain values, as an example (with the line's text).

    `assert f(x) == y` expects y from f(x); any other condition (`assert set(f(x)) == {1}`, `assert not
    f(x)`) is expected to hold. Conditions that need names the answer need not define (`math.isclose`)
    are left out: they would fail a right answer."""
    found = []
    for line, test in _assert_tests(task):
        asked = [
            n
            for n in ast.walk(test)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == function
        ]
        names = {n.id for n in ast.walk(test) if isinstance(n, ast.Name)} - {function}
        if not asked or not all(_literal_args(ast.unparse(c)) for c in asked) or not names <= _BUILTIN_NAMES:
            continue
        source = ast.unparse(test)
        left, comparators = (test.left, test.comparators) if isinstance(test, ast.Compare) else (None, [])
        if left in asked and len(comparators) == 1 and isinstance(test.ops[0], ast.Eq):  # type: ignore[attr-defined]
            value = _literal_source(ast.unparse(comparators[0]))
            if value is not None:
                found.append((line, Example(ast.unparse(left), value, "prose")))
                continue
        holds = isinstance(test, ast.Compare | ast.BoolOp) or (
            isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
        )
        found.append((line, Example(source if holds else f"bool({source})", "True", "prose")))
    return found


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


def task_examples(
    task: str, function: str | None, module: ast.Module | None = _UNPARSED, params: list[str] | None = None
) -> list[Example]:
    """Doctest examples anywhere in the task, prose ones such as `f(2) == 4` or `f(2) ➞ 4`, and inputs
    with their output ("For n = 2 the output should be 4", "Input: …" / "Output: …")."""
    examples: list[Example] = []
    seen: set[str] = set()
    module = _code_of(task) if module is _UNPARSED else module
    for text in _doctest_texts(task, module):
        try:
            parsed = doctest.DocTestParser().get_examples(text)
        except ValueError:
            continue
        for example in parsed:
            source = example.source.strip()
            want = _CLOSING_LINE.sub("", example.want).strip() or _implied_true(source)
            if source and source not in seen and want:
                seen.add(source)
                examples.append(Example(source, want, "doctest"))
    if not function:
        return examples
    for line, asserted in _assert_examples(task, function):
        if not any(line in known or known in line for known in seen):
            seen.add(line)
            examples.append(asserted)
    for expression, end in _shown_calls(task, function):
        separator = _SEPARATOR.match(task, end)
        if not separator or any(expression in source for source in seen) or not _literal_args(expression):
            continue
        said = _line_from(task, separator.end())
        value = _expected_value(said[1:].split("`", 1)[0] if said.startswith("`") else said)
        if value is not None:
            seen.add(expression)
            examples.append(Example(expression, value, "prose"))
    if not examples:
        examples = _equation_examples(task, function)
    if not examples:
        for stated in _stated_examples(task, function, params):
            if stated.expression not in seen:
                seen.add(stated.expression)
                examples.append(stated)
    return examples or round_trip_examples(function, module)


#: A function and its inverse, by name: a task that defines one and asks for the other can be checked
#: by a round trip even when it shows no example.
_INVERSES = (
    ("encode", "decode"),
    ("encrypt", "decrypt"),
    ("encipher", "decipher"),
    ("compress", "decompress"),
    ("serialize", "deserialize"),
)
#: Values to send through the task's own encoder, by its parameter's annotation: lowercase letters of a
#: few lengths, the domain such string ciphers are written for; small and larger integers.
_ROUND_TRIP_VALUES: dict[str, tuple[object, ...]] = {
    "str": ("abc", "helloworld", "xyz", "abcdefgh", "a"),
    "int": (0, 1, 7, 42, 12345),
}


def round_trip_examples(function: str, module: ast.Module | None) -> list[Example]:
    """`decode_x(encode_x(v)) == v` for a few typical `v`, when the task's code defines `encode_x` (one
    annotated parameter) and asks for `decode_x`: the task's own encoder makes the examples it lacks."""
    if module is None:
        return []
    encoders = {
        node.name: node
        for node in module.body
        if isinstance(node, ast.FunctionDef) and not _is_stub(node) and len(node.args.args) == 1
    }
    for forward, inverse in _INVERSES:
        match = re.search(rf"(?i)(?<![a-z]){inverse}", function)
        if match is None:
            continue
        word = forward if match.group().islower() else forward.title()
        encoder = encoders.get(function[: match.start()] + word + function[match.end() :])
        annotation = encoder.args.args[0].annotation if encoder is not None else None
        values = _ROUND_TRIP_VALUES.get(ast.unparse(annotation)) if annotation is not None else None
        if encoder is not None and values:
            return [Example(f"{function}({encoder.name}({value!r}))", repr(value), "prose") for value in values]
    return []
