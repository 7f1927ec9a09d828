"""Bad input gets a clear message and loses nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest

from coding_director import build_graph
from coding_director.core.settings import DEFAULT_MODELS, SettingsError, load_settings, settings_from_env
from tests.fakes import team
from tests.standin import GOOD_CODE, StandinOllama

EXE = shutil.which("coding-director") or ""


def test_a_1_mb_prompt_is_trimmed_to_the_context_with_a_visible_notice(settings):
    models = team(lead=["Here is a summary."])
    huge = "Summarise this log:\n" + ("ERROR worker crashed; retrying\n" * 34_000)
    assert len(huge) > 1_000_000
    started = time.perf_counter()
    result = build_graph(settings=settings, models=models, checkpointer=None).invoke({"messages": [("user", huge)]})
    assert time.perf_counter() - started < 30
    sent = models["lead"].calls[0][-1].content
    assert len(sent) < 40_000
    assert sent.endswith("[… the rest was cut to fit the model's context]")
    assert "Note: your request is about" in result["final_answer"]
    assert f"of {len(huge):,} characters were sent" in result["final_answer"]
    assert result["messages"][0].content == huge  # the thread keeps the whole request


def test_control_characters_do_not_break_routing_or_answers(settings):
    result = build_graph(settings=settings, models=team(lead=[GOOD_CODE]), checkpointer=None).invoke(
        {"messages": [("user", "\x1b[31mWrite a Python function add(a, b).\x00\x07")]}
    )
    assert result["task"] == "[31mWrite a Python function add(a, b)."
    assert result["outcome"] == "passed"


def test_a_misspelled_role_in_dotenv_is_named_at_start_up(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("MATHS_MODEL=qwen2.5:7b\nOPENAI_MODEL=gpt-4o\n")
    with pytest.raises(SettingsError) as caught:
        load_settings(env_file)
    assert "MATHS_MODEL: unknown role 'MATHS'" in str(caught.value)
    assert "MATH_MODEL" in str(caught.value)
    assert "OPENAI_MODEL" not in str(caught.value)  # another tool's key is not ours to judge


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere; the permission check needs a user")
def test_an_unwritable_data_dir_is_a_clear_message(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    from coding_director.core.memory import MemoryUnavailable

    with pytest.raises(MemoryUnavailable, match="CODING_DIRECTOR_HOME or MEMORY_DB"):
        build_graph(settings=settings_from_env({"CODING_DIRECTOR_HOME": str(locked / "sub")}))


def test_a_data_dir_that_is_a_file_is_a_clear_message_from_the_cli(tmp_path):
    if not EXE:
        pytest.skip("coding-director is not installed")
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "CODING_DIRECTOR_HOME": str(blocker / "data")}
    done = subprocess.run(
        [EXE, "ask", "--thread", "t", "hello"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "cannot use the memory file" in done.stderr
    assert "Traceback" not in done.stderr


def test_invalid_utf8_on_stdin_is_replaced_not_fatal(tmp_path):
    if not EXE:
        pytest.skip("coding-director is not installed")
    with StandinOllama(models=list(DEFAULT_MODELS.values()), responder=lambda r: GOOD_CODE) as server:
        env = {
            "PATH": os.environ["PATH"],
            "HOME": str(tmp_path),
            "CODING_DIRECTOR_HOME": str(tmp_path / "d"),
            "OLLAMA_BASE_URL": server.url,
        }
        for command in (["ask"], ["chat", "--thread", "u"]):
            done = subprocess.run(
                [EXE, *command],
                input=b"Write a Python function add(a, b). \xff\xfe\n/quit\n",
                capture_output=True,
                env=env,
                timeout=60,
                check=False,
            )
            assert done.returncode == 0, done.stderr.decode()
            assert b"def add" in done.stdout
            assert b"Traceback" not in done.stderr
