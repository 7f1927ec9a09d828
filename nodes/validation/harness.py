"""Runs inside the sandbox: loads the task's code and the answer, runs examples and own tests.

Reads `[prelude, answer, examples, doctested names]` as JSON on stdin and prints one
report line. It is a standalone script: it imports nothing from this project.
"""

import contextlib
import doctest
import io
import json
import math
import sys

PRELUDE, ANSWER, EXAMPLES, OWN_DOCTESTS = json.loads(sys.stdin.read())
report = {"load": None, "load_kind": None, "examples": [], "own_tests": []}
out = sys.__stdout__


def emit():
    out.write("\n@@CD-REPORT@@" + json.dumps(report) + "\n")
    out.flush()


def same(got, want):
    if isinstance(got, (int, float)) and isinstance(want, (int, float)):
        return got == want or math.isclose(got, want, rel_tol=1e-6, abs_tol=1e-9)
    if isinstance(got, (list, tuple)) and isinstance(want, (list, tuple)):
        return len(got) == len(want) and all(same(g, w) for g, w in zip(got, want, strict=True))
    if isinstance(got, dict) and isinstance(want, dict):
        return got.keys() == want.keys() and all(same(got[k], want[k]) for k in got)
    return got == want


def squash(text):
    return " ".join(str(text).split())


def short(value):
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


ns = {"__name__": "answer"}
if PRELUDE:
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(PRELUDE, "task.py", "exec"), ns)
    except BaseException:
        pass
try:
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(ANSWER, "answer.py", "exec"), ns)
except BaseException as exc:
    report["load"] = (type(exc).__name__ + ": " + str(exc))[:300]
    report["load_kind"] = type(exc).__name__
    emit()
    sys.exit(0)
for index, (expression, expected, _kind) in enumerate(EXAMPLES):
    out.write(f"\n@@CD-START@@{index}\n")
    out.flush()
    entry = {"index": index}
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            got = eval(compile(expression, "example", "eval"), ns)
    except SyntaxError:
        try:
            with contextlib.redirect_stdout(printed):
                exec(compile(expression, "example", "exec"), ns)
            got = None
        except BaseException as exc:
            entry["error"] = (type(exc).__name__ + ": " + str(exc))[:200]
            report["examples"].append(entry)
            continue
    except BaseException as exc:
        if expected.startswith("Traceback"):
            entry["ok"] = squash(expected).endswith(type(exc).__name__) or type(exc).__name__ in expected
        else:
            entry["error"] = (type(exc).__name__ + ": " + str(exc))[:200]
        report["examples"].append(entry)
        continue
    if expected.startswith("Traceback"):
        entry["ok"] = False
        entry["got"] = short(got)
        report["examples"].append(entry)
        continue
    text = printed.getvalue()
    try:
        want = eval(expected, {"inf": float("inf"), "nan": float("nan")})
        ok = same(got, want) or (got is None and text and squash(text) == squash(expected))
    except BaseException:
        shown = text if got is None else repr(got)
        ok = (
            squash(shown) == squash(expected)
            or squash(str(got)) == squash(expected)
            or squash(text) == squash(expected)
        )
    entry["ok"] = bool(ok)
    if not ok:
        entry["got"] = short(got) if got is not None or not text else squash(text)[:120]
    report["examples"].append(entry)
for name, value in list(ns.items()):
    if (
        name.startswith("test")
        and callable(value)
        and getattr(value, "__code__", None) is not None
        and value.__code__.co_argcount == 0
        and value.__code__.co_filename == "answer.py"
    ):
        out.write(f"\n@@CD-START@@test:{name}\n")
        out.flush()
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                value()
            report["own_tests"].append({"name": name, "ok": True})
        except BaseException as exc:
            report["own_tests"].append(
                {"name": name, "ok": False, "error": (type(exc).__name__ + ": " + str(exc))[:200]}
            )
if OWN_DOCTESTS:
    finder, runner = doctest.DocTestFinder(), doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for name in OWN_DOCTESTS:
        obj = ns.get(name)
        if obj is None:
            continue
        try:
            tests = finder.find(obj, name, globs=ns)
        except ValueError:
            continue
        for test in tests:
            with contextlib.redirect_stdout(io.StringIO()):
                result = runner.run(test)
            report["own_tests"].append(
                {
                    "name": "doctest of " + name,
                    "ok": result.failed == 0,
                    "error": f"{result.failed} of {result.attempted} doctest examples failed",
                }
            )
emit()
