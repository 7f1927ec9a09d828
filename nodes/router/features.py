"""What the learned router reads: the request's own words, with pasted code and logs summarised.

A prompt is split into its *request part* (the prose a person wrote) and what it carries (code
blocks, stack traces, log lines, tables of numbers). The prose gives character n-grams (language
agnostic: they work for Chinese as for English), its words and word pairs (what is asked for:
"write a function" against "how many"), and the rules' signals; what is carried gives a few summary
tokens. Work is bounded: a prompt longer than `_HEAD + _TAIL` characters is read at its head and
tail only, and the prose at most `_PROSE` characters, so a pasted 100 KB file costs no more than a
4 KB one.

The same `features` function builds the training matrix (as scikit-learn's analyzer) and routes
at run time, so the two can never drift apart.
"""

from __future__ import annotations

import re
from itertools import pairwise

from coding_director.nodes.router.rules import Signal, fired_signals

NGRAM_SIZES = (2, 3, 4)
_HEAD, _TAIL = 2000, 1000
_PROSE = 700

_TRACE_LINE = re.compile(
    r"""^\s*(?:Traceback\ \(most|File\ "|at\ [\w$.<>]+\(|at\ \w|\w+(?:\.\w+)*(?:Error|Exception|Warning)\b:?|"""
    r"""panic:|goroutine\ \d|error(?:\[E\d+\])?:|npm\ ERR!|E\s{2,}|-->|\d+\ +\||\s*\|\s|FAILED\ |"""
    r"""\[?\d{4}-\d\d-\d\d[T\ ]\d|\[?(?:ERROR|WARN|WARNING|INFO|DEBUG|FATAL)\b|\$\ |[A-Z]{2,}\ +\[)""",
    re.VERBOSE,
)
_CODE_LINE = re.compile(
    r"^(?:\s{2,}|\t)\S|^\s*(?:def |class |for |while |if |elif |else:|return\b|assert |import |from \S+ import|"
    r"function |const |let |var |fn |func |pub |public |private |#include|SELECT |FROM |WHERE |[{}\])]+;?\s*$)|"
    r"[;{]\s*$|^\s*//|^\s*#!"
)
_LOOP = re.compile(r"\b(?:for|while|loop|forEach|map)\b")
_RECURSE = re.compile(r"\breturn\b[^\n]*\b(\w+)\([^\n]*\b\1\(")
_THREE_NUMBERS = re.compile(r"\d(?:[^\d\n]+\d+){2}")
_LETTER = re.compile(r"[^\W\d_]")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def _is_numbers_line(line: str) -> bool:
    """A row of data: three or more numbers and few letters."""
    if not _THREE_NUMBERS.search(line):
        return False
    return len(_LETTER.findall(line)) < 0.35 * (len(line) - line.count(" "))


def request_part(prompt: str) -> tuple[str, list[str]]:
    """(the prose, summary tokens for what the prompt carries); bounded work whatever its length."""
    summary: list[str] = []
    if len(prompt) > _HEAD + _TAIL:
        prompt = prompt[:_HEAD] + "\n" + prompt[-_TAIL:]
        summary.append("~long")
    code_lines = 0
    loops = 0
    outside: list[str] = []
    start = 0
    while (opening := prompt.find("```", start)) != -1:
        outside.append(prompt[start:opening])
        body_at = prompt.find("\n", opening)
        body_at = len(prompt) if body_at == -1 else body_at + 1
        closing = prompt.find("```", body_at)
        body = prompt[body_at : len(prompt) if closing == -1 else closing]
        code_lines += body.count("\n") + 1
        loops += len(_LOOP.findall(body))
        if _RECURSE.search(body):
            summary.append("~recursion")
        start = len(prompt) if closing == -1 else closing + 3
    outside.append(prompt[start:])
    text = "\n".join(outside)
    prose: list[str] = []
    trace = numbers = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        if _TRACE_LINE.match(line):
            trace += 1
        elif _is_numbers_line(line):
            numbers += 1
        elif _CODE_LINE.search(line) and len(line) > 3:
            code_lines += 1
            loops += len(_LOOP.findall(line))
        else:
            prose.append(line.strip())
    if code_lines:
        summary.append("~code")
        summary.append("~code_lines_" + ("1" if code_lines < 5 else "5" if code_lines < 15 else "15"))
    if loops:
        summary.append("~loops_" + ("1" if loops == 1 else "2+"))
    if trace:
        summary.append("~trace")
        summary.append("~trace_" + ("1" if trace < 3 else "3+"))
    if numbers:
        summary.append("~numbers_table")
    joined = " ".join(prose)
    if len(joined) > _PROSE:
        joined = joined[: _PROSE - 200] + " " + joined[-200:]
    return joined, summary


def _ngrams(text: str) -> list[str]:
    """Character n-grams within words padded by spaces (scikit-learn's `char_wb`)."""
    grams: list[str] = []
    for word in text.split():
        padded = f" {word} "
        size = len(padded) + 1
        grams += [padded[i : i + n] for n in NGRAM_SIZES for i in range(size - n)]
    return grams


def features(prompt: str) -> list[str]:
    """The tokens the classifier weighs: n-grams of the prose, the rules' signals, the summary."""
    prose, summary = request_part(prompt)
    return tokens(prose, summary, fired_signals(prose))


def tokens(prose: str, summary: list[str], fired: tuple[Signal, ...]) -> list[str]:
    lowered = _SPACES.sub(" ", prose.lower())
    tokens = _ngrams(lowered)
    # words and adjacent pairs, as "w word" and "b word word": a space inside a token never comes
    # out of `_ngrams` (its spaces are only the padding at either end), so the two cannot collide
    said = _WORD.findall(lowered)
    tokens.extend("w " + word for word in said)
    tokens.extend(f"b {first} {second}" for first, second in pairwise(said))
    tokens.extend("§" + s.name for s in fired)
    tokens.extend(summary)
    words = len(lowered.split())
    tokens.append("~words_" + ("1-3" if words <= 3 else "4-8" if words <= 8 else "9-20" if words <= 20 else "21+"))
    if not prose:
        tokens.append("~no_prose")
    return tokens
