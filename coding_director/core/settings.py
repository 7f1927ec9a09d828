"""One typed settings object, read from the environment and `.env`.

Every knob a user can turn lives here, so a bad value fails once, at start-up,
with a message that names the key and what it accepts.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Literal, get_args

import platformdirs
from dotenv import dotenv_values, find_dotenv
from pydantic import BaseModel, Field, ValidationError, field_validator

from coding_director.core.team import DEFAULT_MODELS, ROLES, Role

Backend = Literal["auto", "ollama", "embedded"]
BACKENDS: tuple[Backend, ...] = get_args(Backend)


class SettingsError(ValueError):
    """A configuration value is missing or malformed; the message says which and why."""


class RoleSettings(BaseModel):
    """How one role reaches its model; unset fields fall back to the global ones."""

    model: str
    base_url: str | None = None
    timeout_s: float | None = Field(default=None, gt=0)
    keep_alive: str | None = None
    temperature: float | None = Field(default=None, ge=0, le=2)


class Settings(BaseModel):
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
    cache: bool = True
    cache_ttl_s: float = Field(default=7 * 24 * 3600, ge=0)
    skip_failing_tiers: int = Field(default=0, ge=0)
    keep_alive_plan: Literal["off", "auto"] = "off"
    retries: int = Field(default=2, ge=0, le=10)
    retry_backoff_s: float = Field(default=0.5, ge=0, le=60)
    router_confidence: float = Field(default=0.75, ge=0, le=1)
    """Below this calibrated probability of its choice, the router asks the router model."""
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
    data_dir: Path = Field(default_factory=lambda: Path(platformdirs.user_data_dir("coding-director")))
    memory_path: Path | None = None
    run_log_path: Path | None = None
    database_url: str | None = None
    """PostgreSQL for memory, cache, run log and thread locks, shared by many workers (None: SQLite files)."""

    secrets: list[str] = Field(default_factory=list, repr=False, exclude=True)
    """Values of secret-looking settings (API keys, tokens, URL passwords), to redact from logs."""

    @field_validator("ollama_base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _postgres_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("postgresql://", "postgres://")):
            raise ValueError("must be a PostgreSQL URL: postgresql://user:password@host:5432/database")
        return value

    @field_validator("data_dir", "memory_path", "run_log_path", "embedded_model_path", "router_classifier_path")
    @classmethod
    def _expand_home(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    def role(self, role: Role) -> RoleSettings:
        return self.roles[role]

    def base_url_for(self, role: Role) -> str:
        return (self.roles[role].base_url or self.ollama_base_url).rstrip("/")

    def timeout_for(self, role: Role) -> float:
        return self.roles[role].timeout_s or self.request_timeout_s

    def temperature_for(self, role: Role) -> float:
        value = self.roles[role].temperature
        return self.temperature if value is None else value

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
    def cache_file(self) -> Path:
        return self.data_dir / "cache.sqlite"


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
    "CACHE": "cache",
    "CACHE_TTL": "cache_ttl_s",
    "SKIP_FAILING_TIERS": "skip_failing_tiers",
    "KEEP_ALIVE_PLAN": "keep_alive_plan",
    "RETRIES": "retries",
    "RETRY_BACKOFF": "retry_backoff_s",
    "ROUTER_CONFIDENCE": "router_confidence",
    "ROUTER_CLASSIFIER": "router_classifier_path",
    "COMPLEX_START": "complex_start",
    "VALIDATOR_JUDGE": "validator_judge",
    "HUMAN_ESCALATION": "human_escalation",
    "JUDGE_ROLE": "judge_role",
    "EMBEDDED_MODEL_PATH": "embedded_model_path",
    "EMBEDDED_N_CTX": "embedded_n_ctx",
    "EMBEDDED_MAX_TOKENS": "embedded_max_tokens",
    "EMBEDDED_THREADS": "embedded_threads",
    "CODING_DIRECTOR_HOME": "data_dir",
    "MEMORY_DB": "memory_path",
    "RUN_LOG": "run_log_path",
    "DATABASE_URL": "database_url",
}
_LOWERCASE_FIELDS = {"backend", "complex_start", "judge_role", "keep_alive_plan"}
_ROLE_SUFFIXES = {
    "MODEL": "model",
    "BASE_URL": "base_url",
    "TIMEOUT": "timeout_s",
    "KEEP_ALIVE": "keep_alive",
    "TEMPERATURE": "temperature",
}


def _env_key_for(loc: tuple) -> str:
    if loc and loc[0] == "roles" and len(loc) >= 3:
        suffix = {v: k for k, v in _ROLE_SUFFIXES.items()}.get(str(loc[2]), str(loc[2]).upper())
        return f"{str(loc[1]).upper()}_{suffix}"
    field = str(loc[0]) if loc else "?"
    return {v: k for k, v in _GLOBAL_KEYS.items()}.get(field, field.upper())


_SECRET_KEY = re.compile(r"KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH", re.IGNORECASE)
_URL_PASSWORD = re.compile(r"^[a-z][a-z0-9+.-]*://[^/:@\s]+:([^/@\s]+)@", re.IGNORECASE)


def secret_values(env: Mapping[str, str]) -> list[str]:
    """Values that must never be written to a log: secret-named keys, and passwords inside URLs."""
    found = set()
    for key, value in env.items():
        value = (value or "").strip()
        if len(value) >= 6 and _SECRET_KEY.search(key):
            found.add(value)
        match = _URL_PASSWORD.match(value)
        if match:
            found.add(match.group(1))
    return sorted(found, key=len, reverse=True)


def redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "[redacted]")
    return text


def settings_from_env(env: Mapping[str, str]) -> Settings:
    """Build settings from a mapping of environment variables; empty values mean unset."""
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
    values["secrets"] = secret_values(env)
    try:
        return Settings.model_validate(values)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            key = _env_key_for(tuple(err["loc"]))
            problems.append(f"{key}={err.get('input')!r}: {err['msg']}")
        raise SettingsError("Invalid configuration:\n  " + "\n  ".join(problems)) from None


def unknown_role_keys(keys: list[str]) -> list[str]:
    """`MATHS_MODEL=...`: per-role keys whose role looks like a typo of ours, with the roles that exist.

    Keys for other tools that share the `.env` (`OPENAI_MODEL`) are not ours and are left alone.
    """
    known = set(_GLOBAL_KEYS)
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


def load_settings(env_file: str | os.PathLike[str] | None = None) -> Settings:
    """Settings from `.env` (found from the working directory up) overlaid by the real environment."""
    path = env_file if env_file is not None else find_dotenv(usecwd=True)
    merged: dict[str, str] = {}
    if path and Path(path).is_file():
        from_file = {k: v for k, v in dotenv_values(path).items() if v is not None}
        problems = unknown_role_keys(list(from_file))
        if problems:
            raise SettingsError(f"Invalid configuration in {path}:\n  " + "\n  ".join(problems))
        merged.update(from_file)
    merged.update(os.environ)
    return settings_from_env(merged)
