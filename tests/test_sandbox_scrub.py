"""What the sandboxed code hands back is scrubbed of secrets and capped before it travels on."""

from __future__ import annotations

import pytest

from coding_director.core.scrub import scrub
from coding_director.nodes.validation import MAX_REASON_CHARS, validate_answer
from coding_director.nodes.validation.sandbox import sandbox_status


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA\n-----END OPENSSH PRIVATE KEY-----", "b3Blbn"),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7 (cut off here", "MIIEpAIB"),
        ("LANGSMITH_API_KEY=lsv2_pt_0123456789abcdef0123", "lsv2_pt"),
        ("key sk-ant-api03-AbCdEfGhIjKlMnOpQrStUv in the text", "AbCdEfGh"),
        ("hf_AbCdEfGhIjKlMnOpQrStUvWx", "AbCdEfGh"),
        ("ghp_AbCdEfGhIjKlMnOpQrStUvWx0123", "AbCdEfGh"),
        ("AKIAIOSFODNN7EXAMPLE", "IOSFODNN"),
        ("http://admin:hunter2pass@gpu-box:11434/api/chat", "hunter2pass"),
        ("postgresql://me:s3cr3t@db/x", "s3cr3t"),
        ('{"password": "correct horse"}', "correct"),
        ("Authorization: Bearer abcdefghijklmnopqrstuvwxyz", "abcdefghijkl"),
    ],
)
def test_secrets_are_redacted(text, secret):
    cleaned = scrub(text)
    assert secret not in cleaned
    assert "[redacted]" in cleaned


def test_ordinary_reasons_are_left_alone():
    for reason in (
        "example 2 `is_prime(1)` expected False, got True",
        "17 * 23 = 381 is wrong; it is 391",
        "the answer was cut off at the token limit",
        "Python block 1 does not parse: invalid syntax (line 3 `def f(:`)",
    ):
        assert scrub(reason) == reason


def test_scrub_caps_the_length():
    assert len(scrub("x" * 10_000, 500)) <= 500


@pytest.mark.skipif(not sandbox_status()[0], reason="no sandbox here")
def test_a_secret_the_code_returns_never_reaches_the_reasons():
    task = "Write a function leak().\nleak() == 'nothing'\n"
    answer = (
        "```python\ndef leak():\n"
        "    return 'OPENAI_API_KEY=sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz012345 ' + 'z' * 5000\n```"
    )
    verdict = validate_answer(task, answer)
    assert not verdict.passed
    joined = " ".join(verdict.reasons)
    assert "got" in joined  # the value really came back
    assert "AbCdEfGh" not in joined
    assert all(len(r) <= MAX_REASON_CHARS + 20 for r in verdict.reasons)


def test_scrub_takes_little_time_on_long_hostile_text():
    import time

    for text in ("a" * 1_000_000, "a." * 500_000, "eyJ-" * 250_000, "pwd_" * 250_000, "secret" * 150_000):
        started = time.monotonic()
        cleaned = scrub(text, 500)
        assert time.monotonic() - started < 1.0, text[:10]
        assert len(cleaned) <= 500
    assert "[redacted]" in scrub("x" * 400 + " API_KEY=abcdefghijkl" + "y" * 10_000, 500)


def test_scrub_removes_terminal_escapes():
    cleaned = scrub("got '\x1b]52;c;cHduZWQ=\x07\x1b[2J\x9b31m\r' then\ttab\nnext line")
    assert "\x1b" not in cleaned and "\x07" not in cleaned and "\x9b" not in cleaned and "\r" not in cleaned
    assert "\ttab\nnext line" in cleaned
    assert "\u202e" not in scrub("expected 1, got \u202e2 ,1 detcepxe")
