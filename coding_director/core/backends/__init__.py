"""Where each role's chat model comes from: one module per backend (ollama, embedded), one table of them.

To add a backend: a module with a class that implements `base.Backend`, and its entry in
`registry.BACKENDS` (and its name in settings' `Backend`).
"""

from coding_director.core.backends.base import Availability, Backend
from coding_director.core.backends.registry import BACKENDS, ModelRegistry

__all__ = ["BACKENDS", "Availability", "Backend", "ModelRegistry"]
