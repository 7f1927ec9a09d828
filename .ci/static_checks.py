"""Type-check the package and check its layering, as it is installed: one import root.

setuptools maps graph/, nodes/, prompts/ and state/ into `coding_director` (package-dir); type
checkers and import-linter read files, not import hooks, so this builds the installed tree as
symlinks in a temporary folder, runs mypy and lint-imports there, and reports repository paths.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAPPED = {"graph": "graph", "nodes": "nodes", "prompts": "prompts", "state": "state"}


def installed_tree(into: Path) -> Path:
    package = into / "coding_director"
    package.mkdir()
    for entry in (ROOT / "coding_director").iterdir():
        if entry.name != "__pycache__":
            (package / entry.name).symlink_to(entry)
    for name, folder in MAPPED.items():
        (package / name).symlink_to(ROOT / folder)
    return package


def to_repository_paths(text: str) -> str:
    def repl(match: re.Match[str]) -> str:
        head, rest = match.group(1), match.group(2)
        return (head if head in MAPPED else f"coding_director/{head}") + rest

    return re.sub(r"coding_director/([\w.]+)(/[\w/.]*\.py|\.py)", repl, text)


def main() -> int:
    failed = False
    with tempfile.TemporaryDirectory(prefix="cd-static-") as folder:
        installed_tree(Path(folder))
        env = {**os.environ, "PYTHONPATH": folder}
        for command in (
            [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), "coding_director"],
            ["lint-imports", str(ROOT / "pyproject.toml")],
        ):
            done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, check=False)
            print(to_repository_paths(done.stdout + done.stderr).rstrip())
            failed |= done.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
