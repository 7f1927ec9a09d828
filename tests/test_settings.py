"""Settings: defaults from the seed, `.env` files, per-role overrides, clear errors."""

from __future__ import annotations

import pytest

from coding_director.core.settings import DEFAULT_MODELS, SettingsError, load_settings, settings_from_env


def test_defaults_are_the_seeds_team():
    settings = settings_from_env({})
    assert {role: spec.model for role, spec in settings.roles.items()} == DEFAULT_MODELS
    assert settings.backend == "auto"
    assert settings.ollama_base_url == "http://127.0.0.1:11434"


def test_every_role_can_be_replaced_and_given_its_own_server():
    settings = settings_from_env(
        {
            "PRINCIPAL_MODEL": "qwen2.5-coder:32b",
            "PRINCIPAL_BASE_URL": "http://gpu-box:11434/",
            "PRINCIPAL_TIMEOUT": "900",
            "ROUTER_MODEL": "qwen3:0.6b",
            "REQUEST_TIMEOUT": "120",
        }
    )
    assert settings.role("principal").model == "qwen2.5-coder:32b"
    assert settings.base_url_for("principal") == "http://gpu-box:11434"
    assert settings.base_url_for("lead") == "http://127.0.0.1:11434"
    assert settings.timeout_for("principal") == 900
    assert settings.timeout_for("lead") == 120
    assert settings.role("router").model == "qwen3:0.6b"


def test_bad_values_name_the_key_and_what_is_allowed():
    with pytest.raises(SettingsError) as caught:
        settings_from_env({"BACKEND": "gpu", "NUM_CTX": "lots", "SENIOR_TIMEOUT": "-5"})
    message = str(caught.value)
    assert "BACKEND='gpu'" in message and "'auto', 'ollama' or 'embedded'" in message
    assert "NUM_CTX='lots'" in message
    assert "SENIOR_TIMEOUT='-5'" in message


def test_dotenv_file_is_read_and_the_environment_wins(tmp_path, monkeypatch):
    env_file = tmp_path / ".env"
    env_file.write_text("LEAD_MODEL=qwen2.5-coder:14b\nMAX_ATTEMPTS=3\nBACKEND=embedded\n")
    monkeypatch.setenv("MAX_ATTEMPTS", "2")
    settings = load_settings(env_file)
    assert settings.role("lead").model == "qwen2.5-coder:14b"
    assert settings.max_attempts == 2
    assert settings.backend == "embedded"


def test_numeric_keep_alive_is_sent_as_seconds():
    settings = settings_from_env({"KEEP_ALIVE": "300", "ROUTER_KEEP_ALIVE": "-1", "LEAD_KEEP_ALIVE": "1h"})
    assert settings.keep_alive_for("senior") == 300
    assert settings.keep_alive_for("router") == -1
    assert settings.keep_alive_for("lead") == "1h"


def test_a_role_can_sample_at_its_own_temperature():
    settings = settings_from_env({"TEMPERATURE": "0.2", "PRINCIPAL_TEMPERATURE": "0.9"})
    assert settings.temperature_for("principal") == 0.9
    assert settings.temperature_for("lead") == 0.2
