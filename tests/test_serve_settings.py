"""The SERVE_* settings: validated once, naming the key; the API key never echoed."""

from __future__ import annotations

import pytest

from coding_director.core.settings import SettingsError, settings_from_env


def test_serve_defaults_keep_the_server_local_and_bounded():
    settings = settings_from_env({})
    assert settings.serve_api_key is None and settings.serve_cors_origins == []
    assert settings.serve_max_concurrent >= 1 and settings.serve_max_queue >= 0
    assert settings.serve_max_body_bytes >= 1024


def test_cors_origins_are_a_comma_separated_list():
    settings = settings_from_env({"SERVE_CORS_ORIGINS": "http://localhost:3000, https://chat.example/"})
    assert settings.serve_cors_origins == ["http://localhost:3000", "https://chat.example"]


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("SERVE_MAX_CONCURRENT", "0", "SERVE_MAX_CONCURRENT='0'"),
        ("SERVE_MAX_QUEUE", "many", "SERVE_MAX_QUEUE='many'"),
        ("SERVE_MAX_BODY", "10", "SERVE_MAX_BODY='10'"),
        ("SERVE_KEEPALIVE", "-1", "SERVE_KEEPALIVE='-1'"),
        ("SERVE_CORS_ORIGINS", "localhost:3000", "http(s)://host"),
    ],
)
def test_bad_serve_values_name_the_key(key, value, says):
    with pytest.raises(SettingsError, match=r"(?s)" + says.replace("(", r"\(").replace(")", r"\)")):
        settings_from_env({key: value})


def test_a_bad_api_key_is_named_but_never_echoed():
    with pytest.raises(SettingsError) as error:
        settings_from_env({"SERVE_API_KEY": "short1"})
    assert "SERVE_API_KEY=[redacted]" in str(error.value) and "short1" not in str(error.value)
