"""Runs inside the sandbox: one candidate's definitions on the task's examples and on extra inputs.

Reads `{prelude, code, function, examples: [[expression, expected]], inputs: [argument tuple source]}`
as JSON on stdin and prints one report line: whether it loaded, which examples it passed, and its
output on each extra input (a canonical repr, or `raises <Error>`), for comparing candidates.
It is a standalone script: it imports nothing from this project.
"""

import contextlib
import io
import json
import math
import signal
import sys

TASK = json.loads(sys.stdin.read())
report = {"load": None, "examples": [], "outputs": []}
out = sys.__stdout__
PER_CALL_S = 1.0


class TookTooLong(Exception):
    pass


def alarm(_signum, _frame):
    raise TookTooLong()


signal.signal(signal.SIGALRM, alarm)


def call(thunk):
    signal.setitimer(signal.ITIMER_REAL, PER_CALL_S)
    try:
        with contextlib.redirect_stdout(io.StringIO()) as printed:
            value = thunk()
        return value, printed.getvalue()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def same(got, want):
    if isinstance(got, bool) or isinstance(want, bool):
        return got == want
    if isinstance(got, (int, float)) and isinstance(want, (int, float)):
        return got == want or math.isclose(got, want, rel_tol=1e-6, abs_tol=1e-9)
    if isinstance(got, (list, tuple)) and isinstance(want, (list, tuple)):
        return len(got) == len(want) and all(same(g, w) for g, w in zip(got, want, strict=True))
    if isinstance(got, dict) and isinstance(want, dict):
        return got.keys() == want.keys() and all(same(got[k], want[k]) for k in got)
    return got == want


def squash(text):
    return " ".join(str(text).split())


def canonical(value, depth=0):
    """A repr that ignores float noise, for comparing outputs across candidates."""
    if depth > 20:
        return "…"
    if isinstance(value, float):
        return "nan" if value != value else repr(round(value, 6))
    if isinstance(value, (list, tuple)):
        inner = ", ".join(canonical(v, depth + 1) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(canonical(v, depth + 1) for v in value)) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{canonical(k, depth + 1)}: {canonical(v, depth + 1)}" for k, v in value.items()) + "}"
    if hasattr(value, "__next__"):  # a generator: compare what it yields
        return canonical(list(value), depth + 1)
    return repr(value)[:500]


def emit():
    out.write("\n@@CD-SELECT@@" + json.dumps(report) + "\n")
    out.flush()


ns = {"__name__": "candidate"}
for source, name in ((TASK["prelude"], "task.py"), (TASK["code"], "candidate.py")):
    if not source:
        continue
    try:
        call(lambda source=source, name=name: exec(compile(source, name, "exec"), ns))
    except BaseException as exc:
        if name == "candidate.py":
            report["load"] = (type(exc).__name__ + ": " + str(exc))[:200]
            emit()
            sys.exit(0)
function = ns.get(TASK["function"]) if TASK["function"] else None
if TASK["function"] and not callable(function):
    report["load"] = "does not define " + TASK["function"]
    emit()
    sys.exit(0)

for expression, expected in TASK["examples"]:
    try:
        got, printed = call(lambda expression=expression: eval(compile(expression, "example", "eval"), ns))
    except BaseException as exc:
        report["examples"].append(expected.startswith("Traceback") and type(exc).__name__ in expected)
        continue
    try:
        ok = same(got, eval(expected, {"inf": math.inf, "nan": math.nan}))
    except BaseException:
        shown = printed if got is None else repr(got)
        ok = squash(expected) in (squash(shown), squash(got), squash(printed))
    report["examples"].append(bool(ok))

for source in TASK["inputs"]:
    try:
        value, _ = call(lambda source=source: canonical(function(*eval(source, {}))))
    except TookTooLong:
        value = "raises TimeoutError"
    except BaseException as exc:
        value = "raises " + type(exc).__name__
    report["outputs"].append(value)
emit()
