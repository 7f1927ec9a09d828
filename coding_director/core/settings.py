"""One typed settings object, read from the environment and `.env`.

Every knob a user can turn lives here, so a bad value fails once, at start-up,
with a message that names the key and what it accepts.
"""

from __future__ import annotations

import difflib
import io
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Literal, get_args
from urllib.parse import urlsplit

import platformdirs
from dotenv import dotenv_values, find_dotenv
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from coding_director.core.redaction import is_secret_key, redact, redact_urls, secret_values
from coding_director.core.team import DEFAULT_MODELS, ROLES, Role
from coding_director.core.tracing import configure_tracing

Backend = Literal["auto", "ollama", "embedded"]
BACKENDS: tuple[Backend, ...] = get_args(Backend)


class SettingsError(ValueError):
    """A configuration value is missing or malformed; the message says which and why."""


class RoleSettings(BaseModel):
    """How one role reaches its model; unset fields fall back to the global ones."""

    model_config = ConfigDict(allow_inf_nan=False)  # REQUEST_TIMEOUT=1e999 is infinity: refused

    model: str
    base_url: str | None = None
    timeout_s: float | None = Field(default=None, gt=0)
    keep_alive: str | None = None
    temperature: float | None = Field(default=None, ge=0, le=2)
    samples: int | None = Field(default=None, ge=1, le=20)
    """Candidates the tier draws and chooses among by running them (None: the team's default)."""
    sample_temperature: float | None = Field(default=None, ge=0, le=2)

    @field_validator("base_url")
    @classmethod
    def _server_url(cls, value: str | None) -> str | None:
        return None if value is None else server_urls(value)

    @field_validator("keep_alive")
    @classmethod
    def _duration(cls, value: str | None) -> str | None:
        return None if value is None else keep_alive_duration(value)


class Settings(BaseModel):
    model_config = ConfigDict(allow_inf_nan=False)
    backend: Backend = "auto"
    ollama_base_url: str = "http://127.0.0.1:11434"
    keep_alive: str = "10m"
    num_ctx: int = Field(default=8192, ge=512)
    request_timeout_s: float = Field(default=300.0, gt=0)
    temperature: float = Field(default=0.2, ge=0, le=2)
    max_attempts: int = Field(default=4, ge=1, le=20)
    max_tiers: int = Field(default=4, ge=1, le=4)
    max_model_s: float | None = Field(default=None, gt=0)
    max_wall_s: float | None = Field(default=None, gt=0)
    early_stop: bool = True
    confirm_unchecked: bool = True
    """Whether a passing answer that no example of the task ran goes on to the next tier while a tier
    that samples and compares candidates lies ahead (chosen on HumanEval's even half)."""
    feedback_answer: bool = False
    """Whether the next tier also sees the failed answer (default: the failure reasons only; chosen on
    HumanEval's even half, where the two tied at 80% and reasons only cost 21% less model time)."""
    cache: bool = True
    cache_ttl_s: float = Field(default=7 * 24 * 3600, ge=0)
    skip_failing_tiers: int = Field(default=0, ge=0)
    keep_alive_plan: Literal["off", "auto"] = "off"
    retries: int = Field(default=2, ge=0, le=10)
    retry_backoff_s: float = Field(default=0.5, ge=0, le=60)
    router_confidence: float = Field(default=0.96, ge=0, le=1)
    """Below this calibrated probability of its choice, the router asks the router model. 0.96: the
    lowest at which ≤ 1% of confident decisions are wrong (95% upper bound) on the training set's
    out-of-fold prompts (`meta.out_of_fold` in the shipped router model)."""
    router_model_below: float | None = Field(default=None, ge=0, le=1)
    """Below this confidence the router model is asked; between it and ROUTER_CONFIDENCE the classifier's
    choice stands (unsure, but no model call). None: ROUTER_CONFIDENCE, except for an embedded router
    model (the router node's EMBEDDED_ROUTER_MODEL_BELOW, measured)."""
    router_classifier_path: Path | None = None
    """The learned router's weights; None: the retrained one in the data dir, else the shipped one."""
    complex_start: Literal["lead", "senior", "principal", "loaded"] = "lead"
    validator_judge: bool = False
    human_escalation: bool = False
    judge_role: Role = "router"
    roles: dict[Role, RoleSettings] = Field(
        default_factory=lambda: {r: RoleSettings(model=m) for r, m in DEFAULT_MODELS.items()}
    )
    embedded_model_path: Path | None = None
    embedded_n_ctx: int = Field(default=4096, ge=512)
    embedded_max_tokens: int = Field(default=512, ge=16)
    embedded_threads: int | None = Field(default=None, ge=1)
    embedded_models: dict[Role, str] = Field(default_factory=dict)
    """EMBEDDED_<ROLE>_MODEL: a catalogue name (core/catalogue.py) or a GGUF file, per role."""
    embedded_model_dir_path: Path | None = None
    """EMBEDDED_MODEL_DIR: where catalogue models are assembled (default: <data dir>/models)."""
    data_dir: Path = Field(default_factory=lambda: Path(platformdirs.user_data_dir("coding-director")))
    memory_path: Path | None = None
    run_log_path: Path | None = None
    database_url: str | None = None
    """PostgreSQL for memory, cache, run log and thread locks, shared by many workers (None: SQLite files)."""
    sandbox: Literal["bwrap", "unsafe-limits"] = "bwrap"
    """How the validator runs generated code: in a bubblewrap sandbox, or (explicit opt-in) unisolated."""
    thread_wait_s: float = Field(default=30.0, ge=0, le=24 * 3600)
    """How long a request waits for another request on the same thread to finish before it is refused."""

    # `coding-director serve`: auth, CORS, and the limits that keep one server responsive
    serve_api_key: str | None = Field(default=None, repr=False, min_length=8)
    """Bearer token every request must carry (required to bind anything but loopback, unless --insecure)."""
    serve_cors_origins: list[str] = Field(default_factory=list)
    serve_max_concurrent: int = Field(default=4, ge=1, le=256)
    serve_max_queue: int = Field(default=32, ge=0, le=10_000)
    serve_max_body_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    serve_max_messages: int = Field(default=500, ge=1)
    serve_max_message_chars: int = Field(default=200_000, ge=100)
    serve_keepalive_s: float = Field(default=10.0, gt=0, le=300)
    serve_shutdown_grace_s: float = Field(default=20.0, ge=0, le=3600)

    @field_validator("serve_cors_origins", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            origins = [o.strip().rstrip("/") for o in value.split(",") if o.strip()]
            bad = [o for o in origins if o != "*" and not o.startswith(("http://", "https://"))]
            if bad:
                raise ValueError(f"origins are http(s)://host[:port] or *, comma-separated; not {bad[0]!r}")
            return origins
        return value

    secrets: list[str] = Field(default_factory=list, repr=False, exclude=True)
    """Values of secret-looking settings (API keys, tokens, URL passwords), to redact from logs."""

    @field_validator("ollama_base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return server_urls(value)

    @field_validator("keep_alive")
    @classmethod
    def _duration(cls, value: str) -> str:
        return keep_alive_duration(value)

    @field_validator("database_url")
    @classmethod
    def _postgres_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("postgresql://", "postgres://")):
            raise ValueError("must be a PostgreSQL URL: postgresql://user:password@host:5432/database")
        return value

    @field_validator(
        "data_dir", "memory_path", "run_log_path", "embedded_model_path", "embedded_model_dir_path", mode="before"
    )
    @classmethod
    def _usable_path(cls, value: object) -> object:
        if isinstance(value, str | Path):
            text = str(value)
            if "\x00" in text:
                raise ValueError("must not contain a NUL character")
            longest = max((len(part.encode("utf-8", "surrogateescape")) for part in Path(text).parts), default=0)
            if len(text) > _PATH_MAX or longest > _NAME_MAX:
                raise ValueError(
                    f"path too long ({len(text):,} characters; at most {_PATH_MAX}, and {_NAME_MAX} bytes per name)"
                )
        return value

    @field_validator("embedded_models")
    @classmethod
    def _embedded_model(cls, value: dict[Role, str]) -> dict[Role, str]:
        from coding_director.core.catalogue import CATALOGUE

        for role, chosen in value.items():
            if chosen not in CATALOGUE and not Path(chosen).expanduser().is_file():
                raise ValueError(
                    f"EMBEDDED_{role.upper()}_MODEL={chosen!r} is neither a catalogue model "
                    f"({', '.join(CATALOGUE)}) nor a GGUF file"
                )
        return value

    @field_validator(
        "data_dir",
        "memory_path",
        "run_log_path",
        "embedded_model_path",
        "embedded_model_dir_path",
        "router_classifier_path",
    )
    @classmethod
    def _expand_home(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    def role(self, role: Role) -> RoleSettings:
        return self.roles[role]

    def hosts_for(self, role: Role) -> tuple[str, ...]:
        """The Ollama servers of a role, in order of preference: one, or a pool (a comma-separated list)."""
        return tuple(url.strip() for url in (self.roles[role].base_url or self.ollama_base_url).split(","))

    def base_url_for(self, role: Role) -> str:
        """The role's first (preferred) Ollama server."""
        return self.hosts_for(role)[0]

    def timeout_for(self, role: Role) -> float:
        return self.roles[role].timeout_s or self.request_timeout_s

    def temperature_for(self, role: Role) -> float:
        value = self.roles[role].temperature
        return self.temperature if value is None else value

    def sample_temperature_for(self, role: Role) -> float:
        """The temperature of every candidate after the first (which keeps the role's own)."""
        value = self.roles[role].sample_temperature
        return 0.8 if value is None else value

    def keep_alive_for(self, role: Role) -> str | int:
        """A duration ("10m", "1h") or plain seconds; Ollama reads a bare string like "-1" as invalid."""
        return as_keep_alive(self.roles[role].keep_alive or self.keep_alive)

    @property
    def memory_file(self) -> Path:
        return self.memory_path or self.data_dir / "memory.sqlite"

    @property
    def run_log_file(self) -> Path:
        return self.run_log_path or self.data_dir / "runs.jsonl"

    @property
    def thread_locks_dir(self) -> Path:
        """A lock file per conversation thread, beside the memory file (see core/thread_lock.py)."""
        return self.memory_file.with_name(self.memory_file.name + ".locks")

    @property
    def embedded_threads_or_default(self) -> int:
        """llama.cpp threads: EMBEDDED_THREADS, else every core (see BENCHMARKS.md, embedded throughput)."""
        return self.embedded_threads or os.cpu_count() or 1

    @property
    def embedded_model_dir(self) -> Path:
        return self.embedded_model_dir_path or self.data_dir / "models"

    @property
    def cache_file(self) -> Path:
        return self.data_dir / "cache.sqlite"


_PATH_MAX, _NAME_MAX = 4096, 255
#: Ollama's keep_alive: plain seconds ("300", "-1") or a Go duration ("10m", "1h30m", "90s").
_KEEP_ALIVE = re.compile(r"-?\d+|-?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+")


def server_url(value: str) -> str:
    """An http(s) URL with a host, without its trailing slash."""
    parsed = urlsplit(value.strip())
    try:
        parsed.port  # noqa: B018  # raises on a port that is not a number
        host = parsed.hostname or ""
        ok = parsed.scheme in ("http", "https") and _HOST.fullmatch(host) is not None
    except ValueError:
        ok = False
    if not ok:
        raise ValueError("must be a server URL such as http://127.0.0.1:11434 (http:// or https://, then a host)")
    return value.strip().rstrip("/")


def server_urls(value: str) -> str:
    """One server URL, or a pool of them separated by commas (each checked, duplicates refused)."""
    urls = [server_url(part) for part in value.split(",") if part.strip()]
    if not urls:
        raise ValueError("must be a server URL such as http://127.0.0.1:11434, or several separated by commas")
    if len(set(urls)) < len(urls):
        raise ValueError("lists the same server twice")
    return ",".join(urls)


_HOST = re.compile(r"[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f:.]+")


def keep_alive_duration(value: str) -> str:
    if not _KEEP_ALIVE.fullmatch(value.strip()):
        raise ValueError('must be seconds ("300", "-1" for ever, "0" to unload at once) or a duration ("10m", "1h")')
    return value.strip()


def as_keep_alive(value: str) -> str | int:
    """Plain seconds as a number ("-1" → -1); Ollama reads a bare numeric string as an invalid duration."""
    return int(value) if value.lstrip("-").isdigit() else value


#: Environment key → Settings field. Per-role keys are added below.
_GLOBAL_KEYS = {
    "BACKEND": "backend",
    "OLLAMA_BASE_URL": "ollama_base_url",
    "KEEP_ALIVE": "keep_alive",
    "NUM_CTX": "num_ctx",
    "REQUEST_TIMEOUT": "request_timeout_s",
    "TEMPERATURE": "temperature",
    "MAX_ATTEMPTS": "max_attempts",
    "MAX_TIERS": "max_tiers",
    "MAX_MODEL_SECONDS": "max_model_s",
    "MAX_WALL_SECONDS": "max_wall_s",
    "EARLY_STOP": "early_stop",
    "CONFIRM_UNCHECKED": "confirm_unchecked",
    "FEEDBACK_ANSWER": "feedback_answer",
    "CACHE": "cache",
    "CACHE_TTL": "cache_ttl_s",
    "SKIP_FAILING_TIERS": "skip_failing_tiers",
    "KEEP_ALIVE_PLAN": "keep_alive_plan",
    "RETRIES": "retries",
    "RETRY_BACKOFF": "retry_backoff_s",
    "ROUTER_CONFIDENCE": "router_confidence",
    "ROUTER_MODEL_BELOW": "router_model_below",
    "ROUTER_CLASSIFIER": "router_classifier_path",
    "COMPLEX_START": "complex_start",
    "VALIDATOR_JUDGE": "validator_judge",
    "HUMAN_ESCALATION": "human_escalation",
    "JUDGE_ROLE": "judge_role",
    "EMBEDDED_MODEL_PATH": "embedded_model_path",
    "EMBEDDED_N_CTX": "embedded_n_ctx",
    "EMBEDDED_MAX_TOKENS": "embedded_max_tokens",
    "EMBEDDED_THREADS": "embedded_threads",
    "EMBEDDED_MODEL_DIR": "embedded_model_dir_path",
    "CODING_DIRECTOR_HOME": "data_dir",
    "MEMORY_DB": "memory_path",
    "RUN_LOG": "run_log_path",
    "DATABASE_URL": "database_url",
    "SANDBOX": "sandbox",
    "THREAD_WAIT_S": "thread_wait_s",
    "SERVE_API_KEY": "serve_api_key",
    "SERVE_CORS_ORIGINS": "serve_cors_origins",
    "SERVE_MAX_CONCURRENT": "serve_max_concurrent",
    "SERVE_MAX_QUEUE": "serve_max_queue",
    "SERVE_MAX_BODY": "serve_max_body_bytes",
    "SERVE_MAX_MESSAGES": "serve_max_messages",
    "SERVE_MAX_MESSAGE_CHARS": "serve_max_message_chars",
    "SERVE_KEEPALIVE": "serve_keepalive_s",
    "SERVE_SHUTDOWN_GRACE": "serve_shutdown_grace_s",
}
_LOWERCASE_FIELDS = {"backend", "complex_start", "judge_role", "keep_alive_plan", "sandbox"}
_ROLE_SUFFIXES = {
    "MODEL": "model",
    "BASE_URL": "base_url",
    "TIMEOUT": "timeout_s",
    "KEEP_ALIVE": "keep_alive",
    "TEMPERATURE": "temperature",
    "SAMPLES": "samples",
    "SAMPLE_TEMPERATURE": "sample_temperature",
}


def _env_key_for(loc: tuple) -> str:
    if loc and loc[0] == "embedded_models":
        return f"EMBEDDED_{str(loc[1]).upper()}_MODEL" if len(loc) > 1 else "EMBEDDED_<ROLE>_MODEL"
    if loc and loc[0] == "roles" and len(loc) >= 3:
        suffix = {v: k for k, v in _ROLE_SUFFIXES.items()}.get(str(loc[2]), str(loc[2]).upper())
        return f"{str(loc[1]).upper()}_{suffix}"
    field = str(loc[0]) if loc else "?"
    return {v: k for k, v in _GLOBAL_KEYS.items()}.get(field, field.upper())


#: CLI flags that set a setting: validated by the same fields as the `.env` keys, and named in errors.
FLAG_KEYS = {
    "--backend": "BACKEND",
    "--max-attempts": "MAX_ATTEMPTS",
    "--max-tiers": "MAX_TIERS",
    "--max-model-s": "MAX_MODEL_SECONDS",
    "--max-wall-s": "MAX_WALL_SECONDS",
}


def _shown(value: object, limit: int = 80) -> str:
    """A bad value as an error shows it: redacted, and cut when long."""
    text = redact_urls(str(value))
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit] + '…'!r} ({len(text):,} characters)"


def settings_from_env(env: Mapping[str, str], flags: Mapping[str, str] | None = None) -> Settings:
    """Build settings from a mapping of environment variables (empty values mean unset), then CLI
    flags (`{"--max-attempts": "3"}`, see FLAG_KEYS) over them; an error names the key or the flag."""
    flags = {flag: value for flag, value in (flags or {}).items() if value is not None}
    given_by = {FLAG_KEYS[flag]: flag for flag in flags}
    env = {**env, **{FLAG_KEYS[flag]: str(value) for flag, value in flags.items()}}
    values: dict[str, object] = {}
    for key, field in _GLOBAL_KEYS.items():
        raw = env.get(key, "").strip()
        if raw:
            values[field] = raw.lower() if field in _LOWERCASE_FIELDS else raw
    roles: dict[str, dict[str, str]] = {}
    for role in ROLES:
        spec: dict[str, str] = {"model": DEFAULT_MODELS[role]}
        for suffix, field in _ROLE_SUFFIXES.items():
            raw = env.get(f"{role.upper()}_{suffix}", "").strip()
            if raw:
                spec[field] = raw
        roles[role] = spec
    values["roles"] = roles
    embedded_models = {r: env.get(f"EMBEDDED_{r.upper()}_MODEL", "").strip() for r in ROLES}
    values["embedded_models"] = {r: chosen for r, chosen in embedded_models.items() if chosen}
    values["secrets"] = secret_values(env)
    try:
        return Settings.model_validate(values)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            key = _env_key_for(tuple(err["loc"]))
            shown = "[redacted]" if is_secret_key(key) else _shown(err.get("input"))
            message = redact(str(err["msg"]).removeprefix("Value error, "), values["secrets"])  # type: ignore[arg-type]
            problems.append(f"{given_by.get(key, key)}={shown}: {message}")
        raise SettingsError("Invalid configuration:\n  " + "\n  ".join(problems)) from None


def unknown_role_keys(keys: list[str]) -> list[str]:
    """`MATHS_MODEL=...`: per-role keys whose role looks like a typo of ours, with the roles that exist.

    Keys for other tools that share the `.env` (`OPENAI_MODEL`) are not ours and are left alone.
    """
    known = set(_GLOBAL_KEYS) | {f"EMBEDDED_{r.upper()}_MODEL" for r in ROLES}
    problems = []
    for key in keys:
        if key in known:
            continue
        for suffix in sorted(_ROLE_SUFFIXES, key=len, reverse=True):
            if key.endswith("_" + suffix):
                role = key[: -len(suffix) - 1]
                if role.lower() not in ROLES and difflib.get_close_matches(role.lower(), ROLES, cutoff=0.6):
                    allowed = ", ".join(f"{r.upper()}_{suffix}" for r in ROLES)
                    problems.append(f"{key}: unknown role {role!r} (allowed: {allowed})")
                break
    return problems


def read_env_file(path: str | os.PathLike[str]) -> dict[str, str]:
    """The keys of a `.env` file; SettingsError (naming the file) when it cannot be read as UTF-8 text."""
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise SettingsError(
            f"{path}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} on line {line}); save it as UTF-8"
        ) from None
    except OSError as exc:
        raise SettingsError(f"cannot read {path}: {exc.strerror or exc}") from None
    return {k: v for k, v in dotenv_values(stream=io.StringIO(text)).items() if v is not None}


def load_settings(env_file: str | os.PathLike[str] | None = None, flags: Mapping[str, str] | None = None) -> Settings:
    """Settings from `.env` (found from the working directory up, or `env_file`, which must exist)
    overlaid by the real environment, then by CLI `flags`."""
    if env_file is not None and not Path(env_file).is_file():
        why = "is a directory" if Path(env_file).is_dir() else "does not exist"
        raise SettingsError(f"--env-file {env_file} {why}: give the path of a .env file")
    path = env_file if env_file is not None else find_dotenv(usecwd=True)
    merged: dict[str, str] = {}
    if path and Path(path).is_file():
        from_file = read_env_file(path)
        problems = unknown_role_keys(list(from_file))
        if problems:
            raise SettingsError(f"Invalid configuration in {path}:\n  " + "\n  ".join(problems))
        merged.update(from_file)
    merged.update(os.environ)
    settings = settings_from_env(merged, flags)
    configure_tracing(merged)  # LangSmith's keys in .env count like the environment's
    return settings
