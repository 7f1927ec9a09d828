"""PostgreSQL as the shared store, on a real throwaway server (tests/postgres_cluster.py).

Locally these skip with one line when PostgreSQL is not installed; .ci/run installs it and sets
CD_REQUIRE_POSTGRES=1, so there a missing server fails the run instead.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from coding_director import build_graph
from coding_director.core.postgres import (
    MIGRATIONS,
    PostgresThreadLocks,
    ThreadBusy,
    migrate,
    open_pool,
    postgres_checkpointer,
)
from coding_director.core.settings import DEFAULT_MODELS, settings_from_env
from coding_director.core.store import StoreUnavailable, open_store
from tests.conftest import free_port
from tests.fakes import team
from tests.postgres_cluster import cluster, own_cluster
from tests.standin import GOOD_CODE

CODE_TASK = "Write a Python function add(a, b) that returns the sum."
EXE = shutil.which("coding-director") or ""


@pytest.fixture
def pg_settings(postgres_url, tmp_path):
    return settings_from_env(
        {"DATABASE_URL": postgres_url, "CODING_DIRECTOR_HOME": str(tmp_path / "data"), "RETRY_BACKOFF": "0"}
    )


def test_memory_cache_negative_record_and_run_log_live_in_the_database(pg_settings, tmp_path):
    first_worker = build_graph(settings=pg_settings, models=team(lead=["I cannot.", GOOD_CODE], senior=[GOOD_CODE]))
    config = {"configurable": {"thread_id": "shared"}}
    first = first_worker.invoke({"messages": [("user", CODE_TASK)]}, config)
    assert first["outcome"] == "passed"

    # another worker, another process's view: the conversation, the cache and the record are shared
    second_worker = build_graph(settings=pg_settings, models=team(lead=["Because it adds."]))
    history = second_worker.get_state(config).values["messages"]
    assert [m.type for m in history] == ["human", "ai"]
    again = second_worker.invoke({"messages": [("user", CODE_TASK)]}, {"configurable": {"thread_id": "other"}})
    assert again["outcome"] == "cached"  # served from the cache the first worker filled
    store = open_store(pg_settings)
    try:
        assert [r["outcome"] for r in store.run_log.records()] == ["passed", "cached"]
        assert ("fake-lead", "general", "refusal", 1) in store.cache.negative_record()
    finally:
        store.close()
    assert not (tmp_path / "data" / "memory.sqlite").exists()  # nothing went to the SQLite files
    assert not (tmp_path / "data" / "runs.jsonl").exists()


def test_stats_reads_the_configured_database(pg_settings, postgres_url, tmp_path):
    graph = build_graph(settings=pg_settings, models=team(lead=[GOOD_CODE]), checkpointer=None)
    graph.invoke({"messages": [("user", CODE_TASK)]})
    env = {**os.environ, "DATABASE_URL": postgres_url, "CODING_DIRECTOR_HOME": str(tmp_path / "data")}
    done = subprocess.run([EXE, "stats", "--json"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["requests"] == 1


def test_workers_starting_together_migrate_once_without_errors(postgres_url):
    script = textwrap.dedent(
        f"""
        from coding_director.core.postgres import open_pool
        open_pool({postgres_url!r}, max_size=2).close()
        """
    )
    workers = [subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE) for _ in range(6)]
    errors = [w.communicate(timeout=120)[1].decode() for w in workers]
    assert [w.returncode for w in workers] == [0] * 6, errors
    with psycopg.connect(postgres_url) as conn:
        versions = [row[0] for row in conn.execute("SELECT version FROM cd_schema ORDER BY version")]
    assert versions == list(range(1, len(MIGRATIONS) + 1))


def test_a_later_schema_change_applies_once_on_an_existing_database(postgres_url, monkeypatch):
    pool = open_pool(postgres_url, max_size=2)
    try:
        change = ("ALTER TABLE cd_runs ADD COLUMN served BOOLEAN NOT NULL DEFAULT false",)
        monkeypatch.setattr("coding_director.core.postgres.MIGRATIONS", (*MIGRATIONS, change))
        assert migrate(pool) == len(MIGRATIONS) + 1
        assert migrate(pool) == len(MIGRATIONS) + 1  # already applied: nothing runs twice
        with pool.connection() as conn:
            conn.execute("SELECT served FROM cd_runs")
    finally:
        pool.close()


def test_a_busy_thread_waits_then_is_refused_and_is_freed_when_its_holder_dies(postgres_url):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import time
                from coding_director.core.postgres import PostgresThreadLocks, open_pool
                locks = PostgresThreadLocks(open_pool({postgres_url!r}, max_size=2))
                with locks.hold("conversation", wait_s=5):
                    print("held", flush=True)
                    time.sleep(60)
                """
            ),
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout.readline().strip() == b"held"
        pool = open_pool(postgres_url, max_size=2)
        locks = PostgresThreadLocks(pool)
        started = time.monotonic()
        with pytest.raises(ThreadBusy, match="thread conversation is busy"), locks.hold("conversation", wait_s=0.5):
            pass
        assert 0.4 < time.monotonic() - started < 5
        with locks.hold("another conversation", wait_s=0.5):
            pass  # other threads are not held up
        holder.send_signal(signal.SIGKILL)  # the worker dies mid-request
        holder.wait(timeout=10)
        with locks.hold("conversation", wait_s=10):
            pass  # its session ended, so the lock is free for a retry on another worker
        pool.close()
    finally:
        holder.kill()


def test_eight_concurrent_requests_on_one_thread_keep_every_turn(postgres_url):
    pool = open_pool(postgres_url, max_size=12)
    locks = PostgresThreadLocks(pool)
    settings = settings_from_env({"DATABASE_URL": postgres_url, "CACHE": "false"})
    config = {"configurable": {"thread_id": "busy"}}
    workers = [build_graph(settings=settings, models=team(lead=[f"Answer {n}." for n in range(4)])) for _ in "ab"]

    def one_turn(n: int) -> str:
        graph = workers[n % 2]  # two workers sharing the database, four requests each
        with locks.hold("busy", wait_s=60):
            return graph.invoke({"messages": [("user", f"Explain step {n} of git rebase.")]}, config)["outcome"]

    with ThreadPoolExecutor(max_workers=8) as pool_of_workers:
        outcomes = list(pool_of_workers.map(one_turn, range(8)))
    assert outcomes == ["passed"] * 8
    messages = workers[0].get_state(config).values["messages"]
    assert len(messages) == 16  # 8 questions and 8 answers: no turn lost
    for graph in workers:
        graph.services.store.close()
    pool.close()


def test_an_unreachable_database_is_one_clear_message_and_exit_2(tmp_path):
    url = f"postgresql://director:hunter2secret@127.0.0.1:{free_port()}/coding"
    env = {**os.environ, "DATABASE_URL": url, "CODING_DIRECTOR_HOME": str(tmp_path), "BACKEND": "embedded"}
    done = subprocess.run([EXE, "ask", "hello"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 2
    assert "DATABASE_URL=postgresql://director:[redacted]@127.0.0.1" in done.stderr
    assert "hunter2secret" not in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def test_the_database_going_away_fails_the_request_clearly_and_the_worker_recovers(tmp_path):
    with cluster() as server_url:
        settings = settings_from_env({"DATABASE_URL": server_url, "CODING_DIRECTOR_HOME": str(tmp_path)})
        graph = build_graph(settings=settings, models=team(lead=[GOOD_CODE, GOOD_CODE]))
        config = {"configurable": {"thread_id": "t"}}
        assert graph.invoke({"messages": [("user", CODE_TASK)]}, config, context={"no_cache": True})["outcome"]
        with psycopg.connect(server_url, autocommit=True) as admin:  # end every session but this one
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()")
        # the pool notices the dead connections and reconnects: the next turn is answered and stored
        result = graph.invoke({"messages": [("user", "And now subtract?")]}, config, context={"no_cache": True})
        assert result["outcome"] == "passed"
        assert len(graph.get_state(config).values["messages"]) == 4


def test_a_stopped_database_fails_the_turn_clearly_leaves_the_thread_whole_and_recovers(tmp_path):
    try:
        server_cm = own_cluster()
        server = server_cm.__enter__()
    except (FileNotFoundError, subprocess.CalledProcessError) as exc:
        if os.environ.get("CD_REQUIRE_POSTGRES"):
            raise
        pytest.skip(f"no PostgreSQL server for the tests: {exc}")
    try:
        url = server.url.replace("cd@", "cd:pa55word@")  # trust auth ignores it; it must never be shown
        settings = settings_from_env({"CODING_DIRECTOR_HOME": str(tmp_path), "RETRY_BACKOFF": "0"})
        pool = open_pool(url, max_size=2, timeout_s=2)
        graph = build_graph(
            settings=settings,
            models=team(lead=[GOOD_CODE] * 5),
            checkpointer=postgres_checkpointer(pool),
            run_log=False,
            cache=False,
        )
        config = {"configurable": {"thread_id": "t"}}
        assert graph.invoke({"messages": [("user", CODE_TASK)]}, config)["outcome"] == "passed"

        server.stop()
        with pytest.raises(StoreUnavailable) as caught:
            graph.invoke({"messages": [("user", "And now subtract?")]}, config)
        message = str(caught.value)
        assert "stopped answering" in message and "cd:[redacted]@127.0.0.1" in message
        assert "pa55word" not in message

        server.start()
        deadline = time.monotonic() + 60
        while True:  # the pool reconnects on its own; the worker needs no restart
            try:
                state = graph.get_state(config)
                break
            except StoreUnavailable:
                assert time.monotonic() < deadline, "the pool did not reconnect within 60 s"
                time.sleep(1)
        # nothing half-written: the failed turn left no trace, the thread is as after the first turn
        assert [m.type for m in state.values["messages"]] == ["human", "ai"]
        result = graph.invoke({"messages": [("user", "And now subtract?")]}, config)
        assert result["outcome"] == "passed"
        assert len(graph.get_state(config).values["messages"]) == 4
        pool.close()
    finally:
        server_cm.__exit__(None, None, None)


def test_a_database_url_that_is_not_postgresql_is_refused_naming_the_key():
    from coding_director.core.settings import SettingsError

    with pytest.raises(SettingsError, match="DATABASE_URL"):
        settings_from_env({"DATABASE_URL": "mysql://root@localhost/db"})


def test_open_store_names_the_url_with_its_password_redacted():
    url = f"postgresql://me:s3cr3tpass@127.0.0.1:{free_port()}/x"
    with pytest.raises(StoreUnavailable) as caught:
        open_store(settings_from_env({"DATABASE_URL": url}))
    assert "postgresql://me:[redacted]@127.0.0.1" in str(caught.value)
    assert "s3cr3tpass" not in str(caught.value)


@pytest.mark.skipif(not EXE, reason="the coding-director command is not installed")
def test_the_cli_keeps_its_conversations_in_the_configured_database(postgres_url, tmp_path):
    from tests.standin import GOOD_CODE, StandinOllama

    with StandinOllama(
        models=list(DEFAULT_MODELS.values()),
        responder=lambda r: GOOD_CODE,
    ) as server:
        env = {**os.environ, "DATABASE_URL": postgres_url, "BACKEND": "ollama", "OLLAMA_BASE_URL": server.url,
               "CODING_DIRECTOR_HOME": str(tmp_path / "data"), "CACHE": "false"}  # fmt: skip
        for text in (CODE_TASK, "Now make it subtract."):
            done = subprocess.run(
                [EXE, "ask", "--thread", "team", text], capture_output=True, text=True, env=env, timeout=120
            )
            assert done.returncode == 0, done.stderr
    settings = settings_from_env({"DATABASE_URL": postgres_url, "CODING_DIRECTOR_HOME": str(tmp_path / "data")})
    state = build_graph(settings=settings, models=team()).get_state({"configurable": {"thread_id": "team"}})
    assert [m.type for m in state.values["messages"]] == ["human", "ai", "human", "ai"]
    assert not (tmp_path / "data" / "memory.sqlite").exists()
