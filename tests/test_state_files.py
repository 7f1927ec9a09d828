"""Corrupt state files (issue 12, item 17): a clear message, nothing lost, nothing overwritten."""

from __future__ import annotations

import json
import os

import pytest

from coding_director.core.cache import AnswerCache
from coding_director.core.runlog import RunLog
from coding_director.core.settings import DEFAULT_MODELS
from tests.standin import StandinOllama
from tests.test_cli import EXE, GOOD_CODE, cli

needs_cli = pytest.mark.skipif(not EXE, reason="coding-director is not installed (pip install -e .)")
GARBAGE = b"this is not a database, it is a torn download \x00\xff" * 200


@pytest.fixture
def ollama():
    with StandinOllama(models=list(DEFAULT_MODELS.values()), responder=lambda r: GOOD_CODE) as server:
        yield server


@pytest.fixture
def env(tmp_path, ollama):
    (tmp_path / "data").mkdir()
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "CODING_DIRECTOR_HOME": str(tmp_path / "data"),
        "OLLAMA_BASE_URL": ollama.url,
    }


@needs_cli
def test_a_corrupt_cache_is_moved_aside_with_one_warning_and_rebuilt(env, tmp_path):
    cache = tmp_path / "data" / "cache.sqlite"
    cache.write_bytes(GARBAGE)
    first = cli("ask", "Write a Python function add(a, b).", env=env)
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr
    warnings = [line for line in first.stderr.splitlines() if "cache" in line and "corrupt" in line]
    assert len(warnings) == 1, first.stderr
    aside = list((tmp_path / "data").glob("cache.sqlite.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == GARBAGE  # kept, for whoever wants to look
    second = cli("ask", "Write a Python function add(a, b).", env=env)
    assert second.returncode == 0 and "corrupt" not in second.stderr
    assert "answered from the cache" in second.stderr  # the rebuilt cache works


def test_a_cache_that_is_not_a_database_is_rebuilt_in_process(tmp_path):
    path = tmp_path / "cache.sqlite"
    path.write_bytes(GARBAGE)
    cache = AnswerCache(path, ttl_s=60)
    cache.put("k", "answer", "lead_developer", "m")
    assert cache.get("k").answer == "answer"


def test_the_run_log_skips_torn_and_wrong_shaped_lines_and_counts_them(tmp_path):
    path = tmp_path / "runs.jsonl"
    good = {"outcome": "passed", "route": {"category": "math"}, "attempts": [{"tier": "lead_developer", "model": "m"}]}
    path.write_bytes(
        json.dumps(good).encode()
        + b"\n"
        + '{"outcome": "passed", "note": "caf\u00e9'.encode()[:-1]  # a write torn inside a UTF-8 character
        + b"\n[1, 2, 3]\n"
        + b'{"attempts": "not a list"}\n'
        + b'{"attempts": [{"model": "no tier"}]}\n'
        + json.dumps(good).encode()
        + b"\n"
    )
    log = RunLog(path)
    assert log.records() == [good, good]
    assert log.skipped == 4


@needs_cli
def test_stats_on_a_damaged_run_log_summarises_the_good_lines_and_says_how_many_it_skipped(env, tmp_path):
    cli("ask", "Write a Python function add(a, b).", env=env)
    with (tmp_path / "data" / "runs.jsonl").open("ab") as handle:
        handle.write(b'{"outcome": "pass\xc3\n["wrong", "shape"]\n{"attempts": [{"tier": 3}]}\n')
    done = cli("stats", env=env)
    assert done.returncode == 0, done.stderr
    assert "requests: 1" in done.stdout
    assert "skipped 3 unreadable lines" in done.stderr
    assert "Traceback" not in done.stderr
    as_json = cli("stats", "--json", env=env)
    assert json.loads(as_json.stdout)["skipped_lines"] == 3


@needs_cli
def test_a_corrupt_memory_file_is_named_as_corrupt_and_never_overwritten(env, tmp_path):
    memory = tmp_path / "data" / "memory.sqlite"
    memory.write_bytes(GARBAGE)
    for command in (["ask", "--thread", "t", "Write add(a, b)."], ["chat", "--thread", "t"]):
        done = cli(*command, env=env, stdin="/quit\n")
        assert done.returncode == 2, done.stderr
        assert f"the memory file {memory} is corrupt" in done.stderr
        assert "writable place" not in done.stderr
        assert "Traceback" not in done.stderr
    assert memory.read_bytes() == GARBAGE
