"""Python checks, cheapest first: defines what was asked, imports exist, then runs in the sandbox."""

from __future__ import annotations

import ast
import doctest
import importlib.util
import json
import sys
from dataclasses import dataclass, field

from coding_director.core.scrub import scrub
from coding_director.nodes.definitions import split_definitions
from coding_director.nodes.validation.examples import Example, FunctionSpec
from coding_director.nodes.validation.sandbox import (
    MEMORY_EXCEEDED,
    SandboxLimits,
    SandboxMode,
    SandboxResult,
    run_harness,
)
from coding_director.state.verdicts import Failure, FailureKind

#: What a verdict's note says when the task's examples overrule a failing test of the answer's own.
OWN_TEST_OVERRULED = "so the answer's own check is taken to be wrong"

#: Exceptions at load time that say more about the environment than about the code.
ENVIRONMENT_ERRORS = {
    "EOFError",
    "OSError",
    "FileNotFoundError",
    "PermissionError",
    "ConnectionError",
    "ConnectionRefusedError",
    "TimeoutError",
    "KeyboardInterrupt",
    "ModuleNotFoundError",
    "ImportError",
    "SystemExit",
    "gaierror",
    "URLError",
}


@dataclass
class PythonFindings:
    failures: list[Failure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    examples_run: int = 0
    own_tests_run: int = 0

    def fail(self, kind: FailureKind, message: str) -> None:
        self.failures.append({"kind": kind.value, "message": scrub(message, 500)})

    def failed(self, kind: FailureKind) -> bool:
        return any(f["kind"] == kind for f in self.failures)


def _defined_names(module: ast.Module) -> dict[str, ast.AST]:
    names: dict[str, ast.AST] = {}
    for node in ast.walk(module):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names[node.name] = node
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    names.setdefault(target.id, node)
    return names


def _signature_compatible(node: ast.AST, params: list[str]) -> bool:
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return True
    args = node.args
    positional = [a.arg for a in args.posonlyargs + args.args]
    if positional and positional[0] in ("self", "cls") and (not params or params[0] not in ("self", "cls")):
        positional = positional[1:]
    required = len(positional) - len(args.defaults)
    if args.vararg is not None:
        return required <= len(params)
    return required <= len(params) <= len(positional)


def missing_imports(module: ast.Module) -> list[str]:
    """Top-level modules the code imports that are not installed here."""
    missing = []
    for node in ast.walk(module):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            top = name.split(".")[0]
            if top in sys.stdlib_module_names or top in missing:
                continue
            if importlib.util.find_spec(top) is None:
                missing.append(top)
    return missing


def _has_own_checks(module: ast.Module) -> tuple[bool, list[str]]:
    """Whether the answer brings its own asserts or tests, and which functions carry doctests."""
    own = False
    doctested = []
    for node in module.body:
        if isinstance(node, ast.Assert):
            own = True
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
            own = True
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            doc = ast.get_docstring(node) or ""
            if ">>>" in doc:
                doctested.append(node.name)
    return own, doctested


def _doctests_repeat_the_task(node: ast.AST, task_sources: set[str]) -> bool:
    """An answer that restates the task's docstring brings no tests of its own."""
    doc = ast.get_docstring(node) or ""  # type: ignore[arg-type]
    try:
        sources = {e.source.strip() for e in doctest.DocTestParser().get_examples(doc)}
    except ValueError:  # malformed doctest: nothing we could run anyway
        return True
    return sources <= task_sources


def check_python(
    code: str,
    function: FunctionSpec | None,
    examples: list[Example],
    prelude: str = "",
    limits: SandboxLimits | None = None,
    sandbox: SandboxMode = "bwrap",
) -> PythonFindings:
    findings = PythonFindings()
    module = ast.parse(code)  # the caller has already checked that it parses

    findings.checks.append("defines what was asked")
    defined = _defined_names(module)
    runnable_examples = examples
    if function is not None:
        node = defined.get(function.name)
        if node is None:
            kind = "class" if function.is_class else "function"
            have = ", ".join(n for n in defined if not n.startswith("_")) or "nothing"
            findings.fail(
                FailureKind.MISSING, f"the task asks for the {kind} `{function.name}`; the answer defines {have}"
            )
            runnable_examples = [e for e in examples if function.name not in e.expression]
        elif function.params is not None and not _signature_compatible(node, function.params):
            findings.fail(
                FailureKind.SIGNATURE, f"`{function.name}` must accept ({', '.join(function.params)}) as the task shows"
            )

    findings.checks.append("imports exist")
    for name in missing_imports(module):
        findings.fail(FailureKind.IMPORT, f"the answer imports `{name}`, which is not installed")
    if findings.failed(FailureKind.IMPORT):
        return findings

    own, doctested = _has_own_checks(module)
    task_sources = {e.expression for e in examples}
    doctested = [name for name in doctested if not _doctests_repeat_the_task(defined[name], task_sources)]
    if not runnable_examples and not own and not doctested:
        return findings  # nothing to check by running: a script may wait for input or run forever

    findings.checks.append("runs in the sandbox")
    # with examples to run, the answer's definitions load first and its own top-level checks run after
    # them, as weaker evidence: a wrong self-test must not stop the task's examples from running
    loaded, script = split_definitions(code) if runnable_examples else (code, "")
    examples_payload = [[e.expression, e.expected, e.kind] for e in runnable_examples]
    payload = json.dumps([prelude, loaded, examples_payload, doctested, script])
    result = run_harness(payload, limits=limits, mode=sandbox)
    if result.not_run:
        findings.checks.remove("runs in the sandbox")
        findings.notes.append(result.not_run)
        return findings
    if not result.started:
        findings.checks.remove("runs in the sandbox")
        findings.notes.append("not run: the sandbox did not start the code in time (twice); the machine is busy")
        return findings
    report = result.report
    if report is None:  # the supervisor itself did not report: the run is not trusted, the answer fails
        findings.fail(FailureKind.RUN, f"the code {result.failure()[:300]} before the sandbox could report")
        return findings
    if report["load"]:
        if not runnable_examples and report["load_kind"] in ENVIRONMENT_ERRORS:
            findings.notes.append(f"not run: loading needs its environment ({report['load']})")
        elif report["load_kind"] == "AssertionError":
            findings.fail(FailureKind.OWN_TEST, f"an assert in the answer fails: {report['load']}")
        else:
            findings.fail(FailureKind.RUN, f"the answer raises on load: {report['load']}")
        return findings
    ended = report.get("ended")
    if ended:
        where = _where(report.get("where"), runnable_examples)
        findings.fail(FailureKind.RUN, f"the code {_how_it_ended(ended, result)} {where}")
        return findings
    if not script:
        findings.own_tests_run += sum(isinstance(node, ast.Assert) for node in module.body)  # they ran on load
    for entry in report["examples"]:
        example = runnable_examples[entry["index"]]
        findings.examples_run += 1
        label = f"example {entry['index'] + 1} `{example.expression}`"
        if "error" in entry:
            findings.fail(FailureKind.EXAMPLE, f"{label} raised {entry['error']}")
        elif not entry["ok"]:
            findings.fail(FailureKind.EXAMPLE, f"{label} expected {example.expected}, got {entry.get('got')}")
    if len(report["examples"]) < len(runnable_examples):  # the code ended the run itself (os._exit, ...)
        missing = len(runnable_examples) - len(report["examples"])
        findings.fail(FailureKind.RUN, f"the code stopped the run before {missing} example(s) gave a result")
    examples_pass = findings.examples_run > 0 and not findings.failed(FailureKind.EXAMPLE)
    for entry in report["own_tests"]:
        findings.own_tests_run += 1
        if entry["ok"]:
            continue
        message = f"{entry['name']} failed: {entry.get('error')}"
        if examples_pass:  # the task's examples are the stronger evidence: they win, and the verdict says so
            findings.notes.append(
                f"{message} — but the task's {findings.examples_run} example(s) pass, {OWN_TEST_OVERRULED}"
            )
        else:
            findings.fail(FailureKind.OWN_TEST, message)
    return findings


def _how_it_ended(ended: str, result: SandboxResult) -> str:
    if ended == "timed out":
        return "timed out (an infinite loop, or waiting for input?)"
    if ended == MEMORY_EXCEEDED:
        return "exceeded the memory limit (all its processes together)"
    if ended.startswith("signal:"):
        name = ended.split(":", 1)[1]
        if result.memory_exceeded and name == "SIGKILL":
            return "exceeded the memory limit (all its processes together)"
        known = {"SIGXCPU": "hit the CPU time limit", "SIGXFSZ": "hit the file size limit"}
        return known.get(name, f"was killed by {name}")
    return ended


def _where(where: object, examples: list[Example]) -> str:
    if where == "load" or where is None:
        return "while loading"
    if isinstance(where, int) and 0 <= where < len(examples):
        return f"in example {where + 1} `{examples[where].expression}`"
    if isinstance(where, str) and where.startswith("test:"):
        return f"in the answer's own {where[5:]}"
    return "while running"
