"""Keeping secrets out of what is shown or stored: passwords inside URLs, and secret-looking settings.

A URL such as `http://user:PASSWORD@host` is needed as it is to connect, but every place that shows
or stores one (the backend line, `doctor`, `-v`'s HTTP log, a failed attempt's reason, memory, the
run log, a settings error) shows `http://user:[redacted]@host` instead.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

REDACTED = "[redacted]"

#: A setting is secret when a word of its name says so (`LANGSMITH_API_KEY`, `HF_TOKEN`, `DB_PASSWORD`);
#: whole words only, so `EMBEDDED_MAX_TOKENS` or `KEEP_ALIVE` are not.
_SECRET_KEY = re.compile(
    r"(?:^|_)(?:API_?KEY|KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?|AUTH)(?:_|$)", re.IGNORECASE
)
#: `scheme://user:password@` anywhere in a text; the password is group 2.
#: Bounded parts keep it linear on long texts (a 100 KB path scanned in microseconds, not minutes).
_URL_USERINFO = re.compile(r"\b([a-z][a-z0-9+.-]{0,31}://[^/:@\s]{0,256}:)([^/@\s]{1,1024})(@)", re.IGNORECASE)


def _split_userinfo(url: str) -> tuple[str, str, str, str] | None:
    """(scheme, user, password, rest) of a URL with a password in it (which may itself hold an @)."""
    head, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return None
    userinfo, _, host = rest.rpartition("@")
    user, colon, password = userinfo.partition(":")
    return (head, user, password, host) if colon else None


def is_secret_key(key: str) -> bool:
    """Whether a setting's name says its value is a secret (an API key, a token, a password)."""
    return bool(_SECRET_KEY.search(key))


def redact_url_password(url: str) -> str:
    """`postgresql://me:secret@host/db` → `postgresql://me:[redacted]@host/db`."""
    parts = _split_userinfo(url)
    return url if parts is None else f"{parts[0]}://{parts[1]}:{REDACTED}@{parts[3]}"


def redact_urls(text: str) -> str:
    """Every `scheme://user:password@` in a free text, with the password redacted."""
    if "://" not in text:
        return text
    return _URL_USERINFO.sub(lambda m: f"{m.group(1)}{REDACTED}{m.group(3)}", text)


def secret_values(env: Mapping[str, str]) -> list[str]:
    """Values that must never be written to a log: secret-named keys, and passwords inside URLs."""
    found = set()
    for key, value in env.items():
        value = (value or "").strip()
        if len(value) >= 6 and _SECRET_KEY.search(key):
            found.add(value)
        if "://" in value:
            found.update(match.group(2) for match in _URL_USERINFO.finditer(value))
            whole = _split_userinfo(value)
            if whole is not None and whole[2]:
                found.add(whole[2])
    return sorted(found, key=len, reverse=True)


def redact(text: str, secrets: list[str]) -> str:
    """`text` with each secret value and every URL password replaced by [redacted]."""
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return redact_urls(text)


class RedactingFilter(logging.Filter):
    """A log handler's filter: a record's message is formatted, then redacted (httpx logs full URLs)."""

    def __init__(self, secrets: list[str] | None = None):
        super().__init__()
        self.secrets = list(secrets or [])

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logging's problem, not ours
            return True
        cleaned = redact(message, self.secrets)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


__all__ = [
    "REDACTED",
    "RedactingFilter",
    "is_secret_key",
    "redact",
    "redact_url_password",
    "redact_urls",
    "secret_values",
]
