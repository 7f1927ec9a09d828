"""An answer's definitions apart from its top-level script code, as HumanEval's usual post-processing keeps them.

Real coder models append demos and self-checks (`print(f(3))`, `assert f(0) == "db000000db"`) whose
expected values are often wrong. Judging the function means loading what the answer defines —
imports, functions, classes and constants — without running that script code first.
"""

from __future__ import annotations

import ast

_KEPT = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
#: Calls that make an assignment script code rather than a constant.
_SCRIPT_CALLS = {"input", "print", "open", "exit", "quit", "main"}


def _is_constant(node: ast.Assign | ast.AnnAssign, defined: set[str]) -> bool:
    """`MOD = 10**9 + 7` or `WORD = re.compile(...)` is a definition; `result = solve(5)` is script code."""
    if node.value is None:
        return True
    for inner in ast.walk(node.value):
        called = inner.func.id if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) else None
        if called in defined or called in _SCRIPT_CALLS:
            return False
    return True


def definitions_only(code: str) -> str:
    """`code` with only its imports, functions, classes and constants; `code` unchanged if it does not parse."""
    try:
        module = ast.parse(code)
    except SyntaxError:
        return code
    defined = {n.name for n in module.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)}
    kept: list[ast.stmt] = [
        node
        for node in module.body
        if isinstance(node, _KEPT) or (isinstance(node, ast.Assign | ast.AnnAssign) and _is_constant(node, defined))
    ]
    return ast.unparse(ast.Module(body=kept, type_ignores=[]))


def split_definitions(code: str) -> tuple[str, str]:
    """(definitions, script): the answer's imports, functions, classes and constants, and the rest of
    its top-level code (demos, self-checks) in order; `(code, "")` if it does not parse."""
    try:
        module = ast.parse(code)
    except SyntaxError:
        return code, ""
    defined = {n.name for n in module.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)}
    kept: list[ast.stmt] = []
    rest: list[ast.stmt] = []
    for node in module.body:
        keep = isinstance(node, _KEPT) or (isinstance(node, ast.Assign | ast.AnnAssign) and _is_constant(node, defined))
        (kept if keep else rest).append(node)
    script = ast.unparse(ast.Module(body=rest, type_ignores=[])) if rest else ""
    return ast.unparse(ast.Module(body=kept, type_ignores=[])), script
