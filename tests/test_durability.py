"""Nothing committed is lost: a killed process resumes; concurrent threads and processes stay separate."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

from coding_director import build_graph
from coding_director.core.settings import DEFAULT_MODELS, settings_from_env
from tests.fakes import ScriptedChatModel
from tests.standin import GOOD_CODE, StandinOllama

ROOT = Path(__file__).resolve().parent.parent


def _settings(url: str, tmp_path: Path):
    return settings_from_env({"BACKEND": "ollama", "OLLAMA_BASE_URL": url, "CODING_DIRECTOR_HOME": str(tmp_path)})


def test_a_process_killed_mid_run_resumes_from_its_last_checkpoint(tmp_path):
    memory = tmp_path / "memory.sqlite"
    with StandinOllama(models=list(DEFAULT_MODELS.values()), responder=lambda r: GOOD_CODE, delay_s=30) as server:
        child = subprocess.Popen(
            [
                sys.executable,
                "-c",
                textwrap.dedent(
                    f"""
                    from coding_director.core.settings import settings_from_env
                    from coding_director import build_graph
                    settings = settings_from_env({{"BACKEND": "ollama", "OLLAMA_BASE_URL": {server.url!r},
                                                   "CODING_DIRECTOR_HOME": {str(tmp_path)!r}}})
                    graph = build_graph(settings=settings, memory_path={str(memory)!r})
                    graph.invoke({{"messages": [("user", "Write a Python function add(a, b).")]}},
                                 {{"configurable": {{"thread_id": "crash"}}}})
                    """
                ),
            ],
            cwd=ROOT,
        )
        config = {"configurable": {"thread_id": "crash"}}
        reader = build_graph(settings=_settings(server.url, tmp_path), memory_path=memory)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not server.chat_requests():
            time.sleep(0.1)  # the lead's model call has started: the route step is committed
        assert server.chat_requests(), "the child never reached the lead developer"
        os.kill(child.pid, signal.SIGKILL)
        child.wait()

        state = reader.get_state(config)
        assert [m.content for m in state.values["messages"]] == ["Write a Python function add(a, b)."]
        assert state.next == ("lead_developer",)
        request_id = state.values["request_id"]

        server.delay_s = 0
        result = reader.invoke(None, config)  # continue from the interrupted step
    assert result["outcome"] == "passed"
    assert result["request_id"] == request_id  # the route was not redone
    assert [m.type for m in result["messages"]] == ["human", "ai"]


def test_concurrent_threads_on_one_graph_and_one_file_keep_separate_complete_histories(tmp_path, settings):
    class Echo(ScriptedChatModel):
        def _generate(self, messages, stop=None, run_manager=None, **kwargs):
            self.script.append(f"Echo: {messages[-1].content}")
            return super()._generate(messages, stop, run_manager, **kwargs)

    models = {role: Echo(model=f"echo-{role}") for role in ("router", "math", "lead", "senior", "principal")}
    graph = build_graph(settings=settings, models=models, memory_path=tmp_path / "shared.sqlite")
    errors: list[BaseException] = []

    def chat(n: int) -> None:
        try:
            for turn in range(3):
                graph.invoke(
                    {"messages": [("user", f"Explain Python topic {n}-{turn}.")]},
                    {"configurable": {"thread_id": f"t{n}"}},
                )
        except BaseException as exc:
            errors.append(exc)

    workers = [threading.Thread(target=chat, args=(n,)) for n in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    for n in range(8):
        messages = graph.get_state({"configurable": {"thread_id": f"t{n}"}}).values["messages"]
        humans = [m.content for m in messages if m.type == "human"]
        assert humans == [f"Explain Python topic {n}-{turn}." for turn in range(3)]
        assert len(messages) == 6


def test_two_processes_writing_one_memory_file_do_not_corrupt_it(tmp_path):
    memory = tmp_path / "shared.sqlite"
    with StandinOllama(models=list(DEFAULT_MODELS.values()), responder=lambda r: GOOD_CODE) as server:
        script = textwrap.dedent(
            f"""
            import sys
            from coding_director.core.settings import settings_from_env
            from coding_director import build_graph
            settings = settings_from_env({{"BACKEND": "ollama", "OLLAMA_BASE_URL": {server.url!r},
                                           "CODING_DIRECTOR_HOME": {str(tmp_path)!r}}})
            graph = build_graph(settings=settings, memory_path={str(memory)!r})
            for turn in range(10):
                graph.invoke({{"messages": [("user", f"Write a Python function add(a, b). {{turn}}")]}},
                             {{"configurable": {{"thread_id": sys.argv[1]}}}})
            """
        )
        children = [subprocess.Popen([sys.executable, "-c", script, name], cwd=ROOT) for name in ("p1", "p2")]
        assert [child.wait(timeout=120) for child in children] == [0, 0]
        reader = build_graph(settings=_settings(server.url, tmp_path), memory_path=memory)
        for name in ("p1", "p2"):
            messages = reader.get_state({"configurable": {"thread_id": name}}).values["messages"]
            assert len(messages) == 20
    with sqlite3.connect(memory) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_asking_again_after_the_cli_was_killed_mid_answer_resumes_that_turn(tmp_path):
    import shutil

    exe = shutil.which("coding-director")
    calls = {"n": 0}

    def slow_first(request):
        calls["n"] += 1
        if calls["n"] == 1:
            time.sleep(30)  # the first process is killed while it waits for this
        return GOOD_CODE

    question = "Write a Python function add(a, b) that returns the sum."
    with StandinOllama(models=list(DEFAULT_MODELS.values()), responder=slow_first) as server:
        env = {**os.environ, "BACKEND": "ollama", "OLLAMA_BASE_URL": server.url,
               "CODING_DIRECTOR_HOME": str(tmp_path), "CACHE": "false"}  # fmt: skip
        first = subprocess.Popen([exe, "ask", "--thread", "t", question], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        deadline = time.monotonic() + 60
        while not server.chat_requests():
            assert time.monotonic() < deadline, "the first process never called the model"
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        first.wait()
        again = subprocess.run([exe, "ask", "--thread", "t", question], env=env, capture_output=True, text=True,
                               timeout=120)  # fmt: skip
        url = server.url
    assert again.returncode == 0, again.stderr
    graph = build_graph(settings=_settings(url, tmp_path), checkpointer="sqlite")
    messages = graph.get_state({"configurable": {"thread_id": "t"}}).values["messages"]
    assert [m.type for m in messages] == ["human", "ai"]  # asked once, answered once
