"""Syntax checks for the languages other than Python that this machine's tools can parse.

Nothing here runs the code: `node --check` and `bash -n` only parse, JSON and YAML are only loaded.
A language whose tool is missing is simply not checked.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from coding_director.nodes.validation.extract import CodeBlock


def _parse_with(command: list[str], suffix: str, code: str) -> str | None:
    """The tool's first error line, or None when the code parses."""
    with tempfile.TemporaryDirectory(prefix="cd-syntax-") as folder:
        path = Path(folder) / f"answer{suffix}"
        path.write_text(code, encoding="utf-8", errors="replace")
        try:
            done = subprocess.run(
                [*command, str(path)],
                capture_output=True,
                text=True,
                timeout=10,
                env={"PATH": "/usr/local/bin:/usr/bin:/bin"},
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None  # the tool could not judge: no verdict
        if done.returncode == 0:
            return None
        lines = [ln.strip() for ln in (done.stderr or done.stdout).splitlines() if ln.strip()]
        detail = next((ln for ln in lines if "Error" in ln or "error" in ln), lines[0] if lines else "")
        return detail.replace(str(path), "answer")[:200]


def _javascript(code: str) -> str | None:
    node = shutil.which("node")
    return _parse_with([node, "--check"], ".js", code) if node else None


def _bash(code: str) -> str | None:
    bash = shutil.which("bash")
    return _parse_with([bash, "-n"], ".sh", code) if bash else None


def _json(code: str) -> str | None:
    try:
        json.loads(code)
    except json.JSONDecodeError as exc:
        return f"{exc.msg} (line {exc.lineno})"
    except RecursionError:
        raise ValueError("JSON nested too deeply to check") from None
    return None


def _yaml(code: str) -> str | None:
    try:
        import yaml
    except ImportError:
        return None
    try:
        yaml.safe_load(code)
    except yaml.YAMLError as exc:
        return str(exc).splitlines()[0]
    except RecursionError:
        raise ValueError("YAML nested too deeply to check") from None
    return None


CHECKERS: dict[str, Callable[[str], str | None]] = {
    "javascript": _javascript,
    "bash": _bash,
    "json": _json,
    "yaml": _yaml,
}


#: Snippets that are fine for a reader but no parser would take: JSX or TypeScript in a
#: `javascript` block, `<placeholders>` in shell, `...` elisions or comments in JSON.
_NOT_FOR_A_PARSER = {
    "javascript": re.compile(r"<[A-Za-z][\w.]*[\s/>]|/>|:\s*(?:string|number|boolean)\b|\binterface\s+\w+\s*\{"),
    "bash": re.compile(r"<[A-Za-z][\w .-]*>|\.\.\."),
    "json": re.compile(r"\.\.\.|//|/\*"),
}


#: Larger blocks are not parsed (a parser's time and memory grow with them).
MAX_BLOCK_CHARS = 200_000


def other_language_errors(blocks: list[CodeBlock]) -> list[str]:
    reasons = []
    for index, block in enumerate(blocks, start=1):
        checker = CHECKERS.get(block.language)
        if checker is None or not block.code.strip():
            continue
        if len(block.code) > MAX_BLOCK_CHARS:
            raise ValueError(f"{block.language} block {index} is too large to parse ({len(block.code):,} characters)")
        illustrative = _NOT_FOR_A_PARSER.get(block.language)
        if illustrative is not None and illustrative.search(block.code):
            continue  # an illustration, not a program: a parse failure would say nothing
        error = checker(block.code)
        if error:
            reasons.append(f"{block.language} block {index} does not parse: {error}")
    return reasons
