"""What a new user and a hostile input hit in the CLI (issue 12): each test failed before its fix."""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest

from coding_director.core.settings import DEFAULT_MODELS
from tests.standin import GOOD_CODE
from tests.test_cli import EXE, cli, cli_env

pytestmark = pytest.mark.skipif(not EXE, reason="coding-director is not installed (pip install -e .)")

REFUSAL = "I cannot help with that."


@pytest.fixture
def env(tmp_path, ollama):
    return cli_env(tmp_path, ollama, RETRY_BACKOFF="0")


def run_log(env) -> list[dict]:
    path = os.path.join(env["CODING_DIRECTOR_HOME"], "runs.jsonl")
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


# item 1 ------------------------------------------------------------------------------------------


def test_ask_with_human_escalation_and_no_terminal_finishes_with_the_best_attempt(env, ollama):
    ollama.responder = lambda request: REFUSAL
    done = cli("ask", "Write a Python function add(a, b).", env={**env, "HUMAN_ESCALATION": "true"})
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "error:" not in done.stderr
    assert "No tier passed validation" in done.stdout  # the summary
    assert REFUSAL in done.stdout  # the best attempt
    assert "nobody could be asked" in done.stderr
    assert done.stderr.strip().splitlines()[-2].startswith("route: general")  # the trace
    assert run_log(env)[-1]["outcome"] == "no_tier_passed"  # the run-log line


def test_ask_with_human_escalation_on_a_terminal_asks_and_retries_with_the_hint(env, ollama):
    pexpect = pytest.importorskip("pexpect")
    replies = iter([REFUSAL] * 3 + [GOOD_CODE])
    ollama.responder = lambda request: next(replies)
    child = pexpect.spawn(
        EXE,
        ["ask", "--no-stream", "Write a Python function add(a, b)."],
        env={**env, "HUMAN_ESCALATION": "true", "TERM": "dumb"},
        encoding="utf-8",
        timeout=60,
    )
    child.expect("No tier passed review")
    child.expect("decide> ")
    child.sendline("retry principal use the + operator")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert "principal_architect [wizardcoder:13b-python] ✓" in child.before
    assert "use the + operator" in ollama.chat_requests()[-1]["body"]["messages"][-1]["content"]
    assert run_log(env)[-1]["outcome"] == "passed"


# item 4 ------------------------------------------------------------------------------------------


def test_a_cache_hit_exits_0_and_says_which_tier_and_model_answered_and_when(env):
    first = cli("ask", "Write a Python function add(a, b).", env=env)
    assert first.returncode == 0, first.stderr
    hit = cli("ask", "Write a Python function add(a, b).", env=env)
    assert hit.returncode == 0, hit.stderr
    model = DEFAULT_MODELS["lead"]
    assert re.search(
        rf"answered from the cache: lead_developer \({re.escape(model)}\) passed review \d+ s ago", hit.stderr
    )
    assert "math_specialist answering" not in hit.stderr and "lead_developer answering" not in hit.stderr
    trace = hit.stderr.strip().splitlines()[-1]
    assert re.search(rf"cache: lead_developer \[{re.escape(model)}\] ✓ \(answered \d+ s ago\)", trace)
    assert GOOD_CODE in hit.stdout


# item 14 -----------------------------------------------------------------------------------------


def test_invalid_utf8_in_argv_is_replaced_and_the_model_is_asked_once(env, ollama):
    done = subprocess.run(
        [EXE.encode(), b"ask", b"Write a Python function add(a, b). \xff\xfe caf\xe9"],
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert len(ollama.chat_requests()) == 1
    sent = ollama.chat_requests()[0]["body"]["messages"][-1]["content"]
    assert "\ufffd" in sent and "add(a, b)" in sent


# item 16 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ({"KEEP_ALIVE": "forever"}, "KEEP_ALIVE='forever'"),
        ({"SENIOR_BASE_URL": "garbage!@#"}, "SENIOR_BASE_URL='garbage!@#'"),
        ({"REQUEST_TIMEOUT": "1e999"}, "REQUEST_TIMEOUT='1e999': Input should be a finite number"),
        ({"CODING_DIRECTOR_HOME": "/tmp/" + "d" * 100_000}, "CODING_DIRECTOR_HOME="),
    ],
)
def test_settings_that_cannot_work_are_refused_in_one_line_naming_the_key(env, extra, named):
    done = cli("ask", "hello", env={**env, **extra})
    assert done.returncode == 2, done.stderr
    assert named in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr) < 600


@pytest.mark.parametrize(
    ("flag", "value"),
    [("--max-attempts", "0"), ("--max-attempts", "-1"), ("--max-tiers", "-3"), ("--max-wall-s", "nan")],
)
def test_budget_flags_are_checked_like_their_dotenv_keys(env, ollama, flag, value):
    done = cli("ask", f"{flag}={value}", "Write a Python function add(a, b).", env=env)
    assert done.returncode == 2, done.stderr
    assert f"{flag}='{value}'" in done.stderr
    assert ollama.chat_requests() == []


def test_a_missing_or_directory_env_file_is_refused(env, tmp_path):
    missing = cli("--env-file", str(tmp_path / "nope.env"), "route", "hi", env=env)
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    directory = cli("--env-file", str(tmp_path), "route", "hi", env=env)
    assert directory.returncode == 2 and "is a directory" in directory.stderr


def test_a_dotenv_with_invalid_utf8_is_named(env, tmp_path):
    bad = tmp_path / "bad.env"
    bad.write_bytes(b"LEAD_MODEL=caf\xe9\n")
    done = cli("--env-file", str(bad), "route", "hi", env=env)
    assert done.returncode == 2
    assert f"{bad}: not UTF-8 text (byte 0xe9 on line 1)" in done.stderr
    assert "Traceback" not in done.stderr


# item 18 -----------------------------------------------------------------------------------------


def test_a_url_password_is_never_shown_or_stored(env, tmp_path):
    dead = "http://alice:hunter2pw@127.0.0.1:9"
    secret_env = {**env, "OLLAMA_BASE_URL": dead, "BACKEND": "ollama", "RETRIES": "0"}
    done = cli("-v", "ask", "--thread", "t", "Write a Python function add(a, b).", env=secret_env)
    assert "http://alice:[redacted]@127.0.0.1:9" in done.stderr  # the backend line, still useful
    assert "hunter2pw" not in done.stdout + done.stderr
    doctor = cli("doctor", env=secret_env)
    assert "hunter2pw" not in doctor.stdout + doctor.stderr
    bad = cli("ask", "hi", env={**env, "OLLAMA_BASE_URL": "htp://alice:hunter2pw@host"})
    assert bad.returncode == 2 and "hunter2pw" not in bad.stderr
    for stored in (tmp_path / "data").iterdir():
        if stored.is_file():
            assert b"hunter2pw" not in stored.read_bytes(), stored


# item 19 -----------------------------------------------------------------------------------------


def test_global_flags_work_after_the_subcommand_too(env, tmp_path):
    dotenv = tmp_path / "other.env"
    dotenv.write_text("ROUTER_CONFIDENCE=0.5\n")
    done = cli(
        "ask", "--backend", "ollama", "--env-file", str(dotenv), "-v", "Write a Python function add(a, b).", env=env
    )
    assert done.returncode == 0, done.stderr
    assert "backend: ollama" in done.stderr
    assert "INFO" in done.stderr  # -v after the subcommand
    before = cli("--backend", "ollama", "route", "hi", env=env)
    assert before.returncode == 0, before.stderr


def test_routes_argument_has_help_text(env):
    assert "the request to route" in cli("route", "--help", env=env).stdout


# item 20 -----------------------------------------------------------------------------------------


def test_plain_quit_exit_and_clear_are_chat_commands_not_requests(env, ollama):
    done = cli("chat", "--thread", "plain", env=env, stdin="clear\nexit\nWrite add(a, b).\n")
    assert done.returncode == 0, done.stderr
    assert ollama.chat_requests() == []  # nothing went to a model
    assert "(new) — plain is kept" in done.stderr
    again = cli("chat", "--thread", "plain", env=env, stdin="Quit\n")
    assert again.returncode == 0 and ollama.chat_requests() == []


# item 21 -----------------------------------------------------------------------------------------


def test_a_transport_fault_says_the_model_could_not_be_reached_not_failed_review(env, ollama):
    ollama.faults = lambda request: "disconnect" if request["body"]["model"] == DEFAULT_MODELS["lead"] else None
    done = cli("ask", "Write a Python function add(a, b).", env={**env, "RETRIES": "0"})
    assert "✗ lead_developer could not answer: disconnected" in done.stderr
    assert "lead_developer failed review" not in done.stderr


def test_counts_of_one_are_singular(env, ollama):
    ollama.responder = lambda request: REFUSAL
    done = cli("ask", "--max-attempts", "1", "--max-tiers", "1", "Write a Python function add(a, b).", env=env)
    assert "(1 attempt)" in done.stdout or "(1 tier)" in done.stdout
    assert "(1 attempts)" not in done.stdout + done.stderr and "(1 tiers)" not in done.stdout + done.stderr
