"""What the nodes need from the outside world, bundled once per graph."""

from __future__ import annotations

from dataclasses import dataclass

from coding_director.core.backends.registry import ModelRegistry
from coding_director.core.cache import AnswerCache
from coding_director.core.runlog import RunLog
from coding_director.core.settings import Settings


@dataclass(slots=True)
class Services:
    settings: Settings
    models: ModelRegistry
    run_log: RunLog | None = None
    cache: AnswerCache | None = None
