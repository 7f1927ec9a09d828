"""Extra inputs for comparing candidate programs, derived from the task's examples' types and values.

The task's examples say what the arguments look like; small changes to them (one argument at a
time: a number moved by one, a list reversed or shortened, a string reversed) give inputs no example
shows, on which candidates that agree with one another are more likely right (the CodeT idea).
No expected values are needed: only whether candidates give the same output.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import re
from collections.abc import Iterator
from itertools import zip_longest

from coding_director.nodes.validation.examples import call_end

#: Inputs per task: enough to split wrong programs from right ones, few enough to run in a second.
MAX_INPUTS = 12


def call_arguments(expression: str, function: str) -> tuple[object, ...] | None:
    """The literal positional arguments of `function(...)` in an example, or None if they are not plain values."""
    try:
        tree = ast.parse(expression, mode="eval").body
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == function:
            if node.keywords:
                return None
            try:
                return tuple(ast.literal_eval(arg) for arg in node.args)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                return None
    return None


def calls_in_text(text: str, function: str) -> list[tuple[object, ...]]:
    """Literal argument tuples of every `function(...)` call written anywhere in the task, with or
    without an expected value next to it (`is_simple_power(1, 4) => true` still shows the types)."""
    found: list[tuple[object, ...]] = []
    for match in re.finditer(rf"(?<![\w.]){re.escape(function)}\s*\(", text):
        depth = 0
        for end in range(match.end() - 1, min(len(text), match.end() + 2000)):
            depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(text[end], 0)
            if depth == 0:
                args = call_arguments(text[match.start() : end + 1], function)
                if args and args not in found:
                    found.append(args)
                break
    return found


#: A typical value per annotation, for tasks that show the signature but no call (`def decode(s: str)`).
_TYPICAL: dict[str, object] = {
    "str": "hello world",
    "int": 7,
    "float": 2.5,
    "bool": True,
    "list": [3, 1, 2],
    "list[int]": [3, 1, 2],
    "list[float]": [1.5, 2.0, 3.5],
    "list[str]": ["ab", "c", "dd"],
    "tuple": (1, 2),
    "tuple[int, int]": (1, 2),
    "dict": {"a": 1, "b": 2},
    "dict[str, int]": {"a": 1, "b": 2},
}


def signature_arguments(text: str, function: str) -> tuple[object, ...] | None:
    """One typical argument tuple from the annotations of `def function(...)` in the task, or None
    when the task shows no such signature or a parameter has no annotation this knows."""
    match = re.search(rf"^[ \t]*def\s+{re.escape(function)}\s*\(", text, re.M)
    if match is None:
        return None
    end = call_end(text, match.end() - 1)
    if end is None:
        return None
    header = text[match.start() : end].strip()
    try:
        tree = ast.parse(f"{header}:\n    pass")
    except SyntaxError:
        return None
    definition = tree.body[0]
    if not isinstance(definition, ast.FunctionDef):
        return None
    args = definition.args
    if args.posonlyargs or args.vararg or args.kwonlyargs or args.kwarg or args.defaults or not args.args:
        return None
    values = []
    for arg in args.args:
        if arg.annotation is None:
            return None
        source = ast.unparse(arg.annotation).replace("List", "list").replace("Tuple", "tuple").replace("Dict", "dict")
        if source not in _TYPICAL:
            return None
        values.append(copy.deepcopy(_TYPICAL[source]))
    return tuple(values)


def _variants(value: object) -> Iterator[object]:
    """Nearby values of the same type."""
    if isinstance(value, bool):
        yield not value
    elif isinstance(value, int):
        yield from (value + 1, value - 1, 0, 2 * value + 3, -value)
    elif isinstance(value, float):
        yield from (value + 0.5, value * 2, 0.0, -value)
    elif isinstance(value, str):
        yield from (value[::-1], value[1:], value + value[:1], "", value.upper(), value.lower())
    elif isinstance(value, list | tuple):
        items: list[object] = list(value)
        kind = type(value)
        yield from (kind(reversed(items)), kind(items[:-1]), kind(items + items[:1]), kind())
        with contextlib.suppress(TypeError):
            yield kind(sorted(items))  # type: ignore[type-var]
        for index, item in enumerate(items[:3]):
            for changed in list(_variants(item))[:2]:
                yield kind([*items[:index], changed, *items[index + 1 :]])
    elif isinstance(value, dict):
        keys = list(value)
        if keys:
            yield {k: value[k] for k in keys[1:]}
        yield {}


def _interleaved(lists: list[list[tuple[object, ...]]]) -> list[tuple[object, ...]]:
    """One change to each argument in turn, so every argument gets changed early."""
    return [item for group in zip_longest(*lists) for item in group if item is not None]


def derive_inputs(example_args: list[tuple[object, ...]], limit: int = MAX_INPUTS) -> list[str]:
    """Argument tuples (as Python source) near the examples' and unlike any of them, at most `limit`."""
    seen = {repr(args) for args in example_args}
    found: list[str] = []
    rounds = [
        _interleaved([[(*args[:i], v, *args[i + 1 :]) for v in _variants(args[i])] for i in range(len(args))])
        for args in example_args
    ]
    # take from every example in turn, so the inputs spread over all of them
    for position in range(max((len(r) for r in rounds), default=0)):
        for variants in rounds:
            if position >= len(variants):
                continue
            source = repr(variants[position])
            if source not in seen and len(source) <= 2000:
                seen.add(source)
                found.append(source)
                if len(found) >= limit:
                    return found
    return found
