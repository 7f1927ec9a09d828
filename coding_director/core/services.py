"""What the nodes need from the outside world, bundled once per graph."""

from __future__ import annotations

from dataclasses import dataclass

from coding_director.core.backends.registry import ModelRegistry
from coding_director.core.settings import Settings
from coding_director.core.store import Cache, Log, Store


@dataclass(slots=True)
class Services:
    settings: Settings
    models: ModelRegistry
    run_log: Log | None = None
    cache: Cache | None = None
    store: Store | None = None
