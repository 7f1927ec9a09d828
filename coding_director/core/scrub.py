"""Removing what looks like a secret from text before it travels on (prompts, run log, memory, screen).

Generated code's output reaches a verdict's reasons, and from there the next tier's prompt (maybe a
remote server), the run log, the memory and the terminal. `scrub` replaces private-key blocks, API
keys and tokens of the common providers, `key=value` secrets, bearer tokens and passwords inside URLs
with `[redacted]`, and caps the length. It errs on the side of redacting.
"""

from __future__ import annotations

import re

REDACTED = "[redacted]"

_PRIVATE_KEY = re.compile(
    r"-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----.*?(?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\Z)",
    re.DOTALL,
)
#: Tokens whose shape names their provider.
_TOKENS = re.compile(
    r"(?<![A-Za-z0-9])(?:"
    r"sk-(?:ant-|proj-|live-|test-)?[A-Za-z0-9_\-]{16,}"  # OpenAI, Anthropic, Stripe-style
    r"|lsv2_[A-Za-z0-9_]{16,}"  # LangSmith
    r"|hf_[A-Za-z0-9]{20,}"  # Hugging Face
    r"|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}"  # GitHub
    r"|glpat-[A-Za-z0-9_\-]{16,}"  # GitLab
    r"|(?:AKIA|ASIA)[0-9A-Z]{16}"  # AWS access key id
    r"|xox[abposr]-[A-Za-z0-9\-]{10,}"  # Slack
    r"|AIza[0-9A-Za-z_\-]{30,}"  # Google API key
    r"|eyJ[A-Za-z0-9_\-]{8,}+\.eyJ[A-Za-z0-9_\-]{8,}+\.[A-Za-z0-9_\-]{8,}"  # a JWT
    r"|npm_[A-Za-z0-9]{30,}|pypi-[A-Za-z0-9_\-]{30,}"
    r")"
)
#: `API_KEY=...`, `"password": "..."`, `aws_secret_access_key = ...`: the name stays, the value goes.
_ASSIGNED = re.compile(
    r"(?i)((?:[A-Za-z0-9_.\-]{0,64}(?:api[_\-]?key|secret|token|passw(?:or)?d|pwd|credential|auth(?:orization)?"
    r"|private[_\-]?key|access[_\-]?key)[A-Za-z0-9_.\-]{0,64})[\"']?\s*[:=]\s*[\"']?)([^\s\"',;}{]{4,})"
)
_BEARER = re.compile(r"(?i)\b(bearer|basic|token)\s+([A-Za-z0-9_\-.=+/]{12,})")
_URL_PASSWORD = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]{0,30}://[^/\s:@]+:)([^/\s@]+)(@)")
#: Control characters but tab and newline (terminal escapes: a reason is printed on the user's terminal),
#: and the bidirectional overrides that make text read other than it is.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: How much past `limit` is looked at: enough that a secret cut by the final cap is still recognised,
#: while the patterns' cost stays bounded whatever length the text (from generated code) has.
_MARGIN = 2000


def scrub(text: str, limit: int | None = 2000) -> str:
    """`text` with secret-looking parts replaced by `[redacted]`, at most `limit` characters.

    Control characters (terminal escape sequences) other than tab and newline become `?`, and so do
    lone surrogates (text that no log, database or terminal could encode)."""
    if limit is not None:
        text = text[: limit + _MARGIN]
    text = _CONTROL.sub("?", text.encode("utf-8", "replace").decode("utf-8"))
    text = _PRIVATE_KEY.sub(f"{REDACTED} private key", text)
    text = _URL_PASSWORD.sub(rf"\1{REDACTED}\3", text)
    text = _TOKENS.sub(REDACTED, text)
    text = _BEARER.sub(rf"\1 {REDACTED}", text)
    text = _ASSIGNED.sub(lambda m: m.group(1) + (m.group(2) if m.group(2) == REDACTED else REDACTED), text)
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 12, 0)] + " [truncated]"
    return text
