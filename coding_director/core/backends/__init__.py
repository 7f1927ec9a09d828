"""Where each role's chat model comes from: Ollama, the embedded model, or models given in code."""

from coding_director.core.backends.registry import ModelRegistry

__all__ = ["ModelRegistry"]
