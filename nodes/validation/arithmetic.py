"""Recomputing the arithmetic an answer claims, exactly, without `eval`."""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from coding_director.nodes.validation.final_answer import result_statement

_OPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_NUMBER = r"\d+(?:\.\d+)?"
_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "gcd": math.gcd,
    "lcm": math.lcm,
    "factorial": math.factorial,
    "comb": math.comb,
    "C": math.comb,
    "binom": math.comb,
    "perm": math.perm,
    "P": math.perm,
    "abs": abs,
    "min": min,
    "max": max,
    "floor": math.floor,
    "ceil": math.ceil,
    "isqrt": math.isqrt,
}
_CALL = rf"(?:{'|'.join(_FUNCTIONS)})\(\s*{_NUMBER}(?:\s*,\s*{_NUMBER})*\s*\)"
_FACTORIAL = r"!(?!=)"  # `5!`, but not the `!=` of `i%2!=0`
_ATOM = rf"(?:{_CALL}|{_NUMBER}(?:{_FACTORIAL})?)"
#: A run of numbers, operators and brackets holding at least one operator between numbers.
#: Spaces belong to a bracket or an operator, never to both: `\s*\)?\s*` would give each space two
#: readings, and a line like `1/2 × 1/2 × … × = 3` 2^n ways to fail (12 terms took 22 s).
_EXPR = rf"(?:\(\s*)?-?{_ATOM}(?:\s*(?:\*\*|[-+*/×÷x^%]|mod)\s*(?:\(\s*)?-?{_ATOM}(?:\s*\))?)+(?:\s*\))?"
#: A claim: an expression with an operator, or a single function call or factorial, then its value.
_CLAIMED = rf"{_EXPR}|{_CALL}|{_NUMBER}{_FACTORIAL}"
#: `= value`; the value may itself be an expression, as in the chain `2^3 = 2 × 2 × 2 = 8`.
_LINK = rf"\s*(?:=|equals|is equal to)\s*({_EXPR}|-?{_NUMBER})(?![\w.]*[\^*/!])"
_CLAIM = re.compile(rf"(?<![\w.^])({_CLAIMED}){_LINK}")
#: The link after a claim in a chain: `= 8` in `2^3 = 2 × 2 × 2 = 8` (read from where the claim ended).
_NEXT_LINK = re.compile(_LINK)
#: The expression a task asks for; a full stop after it ends the sentence, not a decimal
#: (`Compute 7 + 39 * 38 - 8.` was read as `7 + 39 * 38`, and an answer of 1489 passed).
_TASK_EXPR = re.compile(rf"(?<![\w.^])({_CLAIMED})(?![\w!]|\.\w)")
_ANY_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
_ANY_FRACTION = re.compile(r"(-?\d+)\s*/\s*(\d+)(?!\.?\d)")
#: LaTeX that answers write arithmetic in, and its plain form: `\times`, `\cdot` → ×, `\div` → ÷,
#: `\frac{a}{b}` → a/b, `\left(` → (, `40{,}320` → 40,320; thin spaces and the delimiters `\(` `\)` dropped.
_LATEX_OPERATORS = re.compile(r"\\(times|cdot|div)(?![a-zA-Z])|\\(?:left|right)(?=[()\[\]])|\\[,!;]|\{,\}|(\\[()\[\]])")
_LATEX_FRACTION = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_LATEX_BINOMIAL = re.compile(r"\\[dt]?binom\s*\{\s*(\d+)\s*\}\s*\{\s*(\d+)\s*\}")
#: A value as a result statement writes it: a number, a fraction or "a out of b", perhaps a percentage.
_STATED_VALUE = re.compile(
    r"(?<![\w.])(-?\d+(?:[.,]\d+)*)(?:\s*(?:/|out of|in|sur|de cada|von)\s*(\d+(?:[.,]\d+)*))?"
    r"(\s*(?:%|percent\b|per cent\b|por ciento\b|pour cent\b|prozent\b))?",
    re.I,
)
#: The question asks for a probability (in the languages the answers are read in) …
_PROBABILITY = re.compile(r"probabilit|probabilidad|wahrscheinlichkeit|likelihood|\bchances? (?:that|of)\b", re.I)
#: … and not for a quantity built from probabilities, which may well exceed 1.
_NOT_A_PROBABILITY = re.compile(
    r"expect|variance|odds|how many|mean|average|espérance|esperanza|erwartung|varianz|combien|cuánt|wie viele",
    re.I,
)
#: Where a sentence ends (a split, not a search for `[^.?!]*\?`: that is quadratic on long text).
_SENTENCE_END = re.compile(r"(?<=[.?!])")
_LATEX_PLAIN = {"times": "×", "cdot": "×", "div": "÷"}
#: What an expression may follow and still be a claim of its own: after `)`, a digit, `!` or an operator
#: it is the tail of a longer product or sum (`C(4, 2) (1/2)^2 = …` is not the claim `(1/2)^2 = …`).
_PART_OF_LONGER = frozenset(")]}!×÷*/^%+0123456789")
_MAX_EXPONENT = 10_000
#: Longer expressions are not recomputed (nobody writes one by hand; parsing them is costly).
MAX_EXPRESSION_CHARS = 1_000
MAX_LINE_CHARS = 200
MAX_LINES = 500
#: At most this many claims are recomputed per answer (each may be a large factorial).
MAX_CLAIMS = 50


def evaluate(expression: str) -> Fraction | None:
    """The exact value of a plain arithmetic expression, or None when it is not one (or too long to judge)."""
    if len(expression) > MAX_EXPRESSION_CHARS:
        return None
    text = expression.replace("×", "*").replace("÷", "/").replace("^", "**").replace("mod", "%")
    text = re.sub(r"(?<=\d)\s*x\s*(?=\d)", "*", text)
    text = re.sub(r"(\d+)!", r"factorial(\1)", text)
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, RecursionError, MemoryError):
        return None
    try:
        return _eval(tree.body)
    except (ZeroDivisionError, ValueError, OverflowError, TypeError, RecursionError):
        return None


def plain_math(text: str) -> str:
    """`text` with the LaTeX arithmetic answers often write (`2 \\times 3`, `\\frac{50}{77}`) in plain form."""
    if "\\" not in text and "{,}" not in text:
        return text

    def operator_(match: re.Match[str]) -> str:
        if match.group(1):
            return _LATEX_PLAIN[match.group(1)]
        if match.group(2):  # the math delimiters \( \) \[ \]: not brackets of the arithmetic
            return " "
        return "," if match.group(0) == "{,}" else ""

    def fraction(match: re.Match[str]) -> str:
        parts = [part.strip() for part in match.groups()]
        return "/".join(part if re.fullmatch(_NUMBER, part) else f"({part})" for part in parts)

    text = _LATEX_BINOMIAL.sub(r"C(\1, \2)", _LATEX_OPERATORS.sub(operator_, text))
    return _LATEX_FRACTION.sub(fraction, text)


def _continues_an_expression(before: str) -> bool:
    """Whether a match that starts after `before` is the tail of a longer expression on its line."""
    before = before.rstrip()
    if before.endswith("-"):  # `3 - 2 × 4 = …`: the minus is an operator when something comes before it
        before = before[:-1].rstrip()
    return bool(before) and before[-1] in _PART_OF_LONGER


def _eval(node: ast.AST) -> Fraction:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return Fraction(str(node.value))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        value = _eval(node.operand)
        return -value if isinstance(node.op, ast.USub) else value
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _FUNCTIONS
        and not node.keywords
    ):
        args = [_eval(arg) for arg in node.args]
        if any(a.denominator != 1 for a in args) or any(abs(a) > 100_000 for a in args):
            raise ValueError("integer functions take small integers")
        return Fraction(_FUNCTIONS[node.func.id](*(int(a) for a in args)))
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        left, right = _eval(node.left), _eval(node.right)
        if isinstance(node.op, ast.Pow) and (right.denominator != 1 or abs(right) > _MAX_EXPONENT):
            raise ValueError("exponent out of range")
        if isinstance(node.op, ast.Mod | ast.FloorDiv) and (left.denominator != 1 or right.denominator != 1):
            raise ValueError("integer operation on a fraction")
        return Fraction(_OPS[type(node.op)](left, right))
    raise ValueError("not plain arithmetic")


def _matches(claimed: str, exact: Fraction) -> bool:
    value = Fraction(claimed)
    if value == exact:
        return True
    decimals = len(claimed.split(".")[1]) if "." in claimed else 0
    if decimals:  # a rounded decimal: accept anything within half its last digit
        return abs(value - exact) <= Fraction(1, 2 * 10**decimals)
    return False


def _show(value: Fraction) -> str:
    if max(abs(value.numerator), value.denominator).bit_length() > 3000:  # ~900 digits: too long to read
        digits = int(abs(value.numerator).bit_length() * 0.30103) + 1
        return f"a number of about {digits:,} digits" if value.denominator == 1 else f"≈ {float(value):.6g}"
    if value.denominator == 1:
        return str(value.numerator)
    return f"{value.numerator}/{value.denominator} (≈ {float(value):.6g})"


def _short_lines(text: str, needles: tuple[str, ...] = ()) -> list[str]:
    """The lines a claim can be on: the claim patterns backtrack quadratically in a line's length, so
    lines longer than MAX_LINE_CHARS (no one writes a claim that long) and lines past MAX_LINES are
    left out: a time bound on a hostile answer."""
    lines = [
        ln for ln in text.splitlines() if len(ln) <= MAX_LINE_CHARS and (not needles or any(n in ln for n in needles))
    ]
    return lines[:MAX_LINES]


def wrong_claims(answer: str) -> list[str]:
    """A reason for every `expression = number` in the answer whose number is wrong.

    A chain (`8! = 8 × 7 × … × 1 = 40320`) is checked link by link, each against the one before it:
    its first link is not read as the claim `8! = 8`."""
    reasons: list[str] = []
    claims = ((line, m) for line in _short_lines(plain_math(answer), ("=", "equal")) for m in _CLAIM.finditer(line))
    for checked, (line, match) in enumerate(claims):
        if checked >= MAX_CLAIMS:
            break
        if _continues_an_expression(line[: match.start()]):
            continue
        expression = _balanced(match.group(1))
        exact = evaluate(expression)
        if exact is None:
            continue
        link: re.Match[str] | None = match
        while link is not None:
            claimed = _balanced(link.groups()[-1])  # the value: the last group of either pattern
            wrong = _wrong_link(expression, exact, claimed, line[link.end() :])
            if wrong is not None:
                if wrong and wrong not in reasons:
                    reasons.append(wrong)
                break
            expression = claimed  # it holds: the next link is checked against it
            link = _NEXT_LINK.match(line, link.end())
    return reasons


def _balanced(expression: str) -> str:
    """`expression` without a bracket the match took from around it: `(434 - 39` → `434 - 39`."""
    expression = expression.strip()
    while expression.startswith("(") and expression.count("(") > expression.count(")"):
        expression = expression[1:].lstrip()
    while expression.endswith(")") and expression.count(")") > expression.count("("):
        expression = expression[:-1].rstrip()
    return expression


def _wrong_link(expression: str, exact: Fraction, claimed: str, after: str) -> str | None:
    """Why `expression = claimed` is wrong; "" when it ends the chain and holds; None to read on."""
    if re.fullmatch(rf"-?{_NUMBER}", claimed):
        percent = "%" if after.lstrip().startswith("%") else ""  # `3/4 = 75%`
        exact *= 100 if percent else 1
        if _matches(claimed, exact):
            return ""
        return f"{expression} = {claimed}{percent} is wrong; it is {_show(exact)}{percent}"
    value = evaluate(claimed)
    if value is None or "." in claimed:  # decimals inside a chain are rounded along the way: not judged
        return ""
    if value != exact:
        return f"{expression} = {claimed} is wrong; it is {_show(exact)}, not {_show(value)}"
    return None


def _readings(number: str) -> list[str]:
    """What a written number may mean: `1,481` is 1481, and `1,2833` (a decimal comma) may be 1.2833."""
    if "," not in number:
        return [number]
    return [number.replace(",", ""), number.replace(".", "").replace(",", ".")]


def _stated_values(statement: str) -> list[tuple[Fraction, Fraction]]:
    """Every value a result statement may mean, each with how far off it may be (half its last digit)."""
    values = []
    for match in _STATED_VALUE.finditer(plain_math(statement)):
        top, bottom, percent = match.groups()
        scale = Fraction(1, 100) if percent else Fraction(1)
        for reading in _readings(top):
            for under in _readings(bottom) if bottom else ["1"]:
                try:
                    value = Fraction(reading) / Fraction(under) * scale
                except (ValueError, ZeroDivisionError):
                    continue
                decimals = len(reading.split(".")[1]) if "." in reading and not bottom else 0
                slack = Fraction(1, 2 * 10**decimals) * scale if decimals else Fraction(0)
                values.append((value, slack))
    return values


def _asked(task: str) -> str | None:
    """What the task asks: its one question, or the whole task when it has none; None for several questions."""
    questions = [sentence for sentence in _SENTENCE_END.split(task) if sentence.endswith("?")]
    if len(questions) > 1:
        return None
    return questions[0] if questions else task


def wrong_task_result(task: str, answer: str) -> str | None:
    """When what the task asks is one plain expression, the answer must state its value, and end on it: an
    answer that works it out right on the way and then gives another result is wrong. (A fraction the task
    only mentions, `a head with probability 1/2`, is not what it asks.)"""
    asked = _asked(task)
    if asked is None:
        return None
    expressions = [m.group(1) for line in _short_lines(asked) for m in _TASK_EXPR.finditer(line)]
    if len(expressions) != 1:
        return None
    exact = evaluate(expressions[0])
    if exact is None:
        return None
    plain = plain_math(answer)
    numbers = [n.replace(",", "") for n in _ANY_NUMBER.findall(plain)]
    stated = any(_matches(n, exact) for n in numbers if n.strip("-")) or any(
        Fraction(int(n), int(d)) == exact for n, d in _ANY_FRACTION.findall(plain) if int(d)
    )
    if not stated:
        return f"{expressions[0].strip()} is {_show(exact)}, and the answer never states it"
    statement = result_statement(answer) or ""
    values = _stated_values(statement)
    if not values or any(abs(value - exact) <= slack for value, slack in values):
        return None
    return f"{expressions[0].strip()} is {_show(exact)}, but the answer's result is {statement[:60]!r}"


def impossible_probability(task: str, answer: str) -> str | None:
    """When the task asks for a probability, a result outside 0–1 (0–100 %) cannot be right."""
    asked = _asked(task)
    if asked is None or not _PROBABILITY.search(asked) or _NOT_A_PROBABILITY.search(asked):
        return None
    statement = result_statement(answer) or ""
    values = _stated_values(statement)
    if not values or any(0 <= value <= 1 for value, _ in values):
        return None
    return f"the task asks for a probability, and the answer's result {statement[:60]!r} is not between 0 and 1"
