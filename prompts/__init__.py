"""Prompts are data: one Markdown file per prompt, read once and formatted by name."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def load_prompt(name: str) -> str:
    """The text of `prompts/<name>.md`, without its trailing newline."""
    return resources.files(__package__).joinpath(f"{name}.md").read_text(encoding="utf-8").strip()


def render_prompt(name: str, **values: object) -> str:
    return load_prompt(name).format(**values)
