"""The sandbox escape suite: each class of attack, written as a model answer the validator runs.

Every test asserts two things: the payload really ran (its own report comes back on the data
channel, or a side effect shows), and it was contained (nothing of the host read, written, reached
or left behind). Payloads that attack the host run under the outer guard of `sandbox_guard`.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest

from coding_director.nodes.validation import validate_answer
from coding_director.nodes.validation.sandbox import SandboxLimits, sandbox_status
from tests.sandbox_guard import attack, guarded_attack, python_prelude

AVAILABLE, WHY = sandbox_status()
pytestmark = pytest.mark.skipif(not AVAILABLE, reason=f"no sandbox here: {WHY}")
QUICK = SandboxLimits(timeout_s=3)


def _host_processes_matching(marker: str) -> list[str]:
    done = subprocess.run(["pgrep", "-af", marker], capture_output=True, text=True, check=False)
    return [ln for ln in done.stdout.splitlines() if "pgrep" not in ln]


# ------------------------------------------------------------------------------------------ secrets


@pytest.fixture
def planted_secrets(tmp_path, monkeypatch):
    """Secrets where a developer's machine keeps them: home, project .env, env-file, data dir, tokens."""
    home = tmp_path / "home"
    files = {
        home / ".ssh" / "id_ed25519": "-----BEGIN OPENSSH PRIVATE KEY-----\nSSHSECRET\n",
        home / ".ollama" / "id_ed25519": "OLLAMASECRET",
        home / ".cache" / "huggingface" / "token": "hf_HFSECRETHFSECRETHFSECRET",
        home / ".bash_history": "export OPENAI_API_KEY=HISTSECRET",
        home / ".local" / "share" / "coding-director" / "runs.jsonl": '{"DATASECRET": 1}',
        tmp_path / "project" / ".env": "LANGSMITH_API_KEY=ENVSECRET",
        tmp_path / "elsewhere" / "prod.env": "DATABASE_URL=postgresql://u:ENVFILESECRET@h/d",
        tmp_path / "xdg" / "coding-director" / "memory.sqlite": "XDGSECRET",
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("CODING_DIRECTOR_HOME", str(home / ".local" / "share" / "coding-director"))
    monkeypatch.chdir(tmp_path / "project")
    return [str(p) for p in files] + [str(Path.home() / ".ssh"), "/etc/shadow", "/root/.bash_history"]


def test_secrets_cannot_be_read_by_path(planted_secrets):
    evidence, result = attack(
        f"""
        for path in {planted_secrets!r}:
            try:
                evidence[path] = open(path).read()
            except OSError as exc:
                evidence[path] = type(exc).__name__
        """
    )
    assert evidence["ran"]
    assert all(evidence[p] in ("FileNotFoundError", "PermissionError") for p in planted_secrets), evidence
    assert "SECRET" not in result.stdout


def test_mountinfo_shows_only_the_allow_list(planted_secrets):
    evidence, result = attack(
        """
        import sys
        # the planted secrets' markers (a bare 'SECRET' also occurs in libraries the sandbox may read)
        MARKERS = ('SSH' + 'SECRET', 'OLLAMA' + 'SECRET', 'HF' + 'SECRET', 'HIST' + 'SECRET', 'DATA' + 'SECRET',
                   'ENV' + 'SECRET', 'ENVFILE' + 'SECRET', 'XDG' + 'SECRET')
        points = [line.split()[4] for line in open('/proc/self/mountinfo')]
        evidence['points'] = points
        found = []
        skip = ('/proc', '/usr', '/dev', sys.prefix, sys.base_prefix, *[p for p in sys.path if p.startswith('/')])
        for folder, dirs, names in os.walk('/'):
            dirs[:] = [d for d in dirs if not os.path.join(folder, d).startswith(skip)
                       and d not in ('site-packages', 'dist-packages')]  # the libraries it may import
            for name in names:
                try:
                    text = open(os.path.join(folder, name), errors='replace').read(100000)
                    if any(marker in text for marker in MARKERS):
                        found.append(os.path.join(folder, name))
                except OSError:
                    pass
        evidence['found'] = found
        """,
        limits=SandboxLimits(timeout_s=30),
    )
    assert evidence.get("ran"), result.failure()
    assert "/usr" in evidence["points"]
    allowed = ("/", "/usr", "/tmp", "/hosttmp", "/proc", "/dev", "/etc/ld.so.cache", "/sandbox-main.py")
    allowed += (sys.base_prefix,)
    for point in evidence["points"]:
        assert point.startswith(allowed[1:]) or point == "/" or point.startswith(sys.prefix), point
        assert not point.startswith(("/sys", "/home", "/run", "/var")), point
    assert evidence["found"] == []


def test_no_secrets_in_the_environment(monkeypatch):
    monkeypatch.setenv("LANGSMITH_API_KEY", "lsv2_ENVVARSECRET")
    evidence, _ = attack(
        """
        evidence['env'] = dict(os.environ)
        try:
            evidence['pid1'] = open('/proc/1/environ').read()
        except OSError as exc:
            evidence['pid1'] = type(exc).__name__
        """
    )
    assert evidence["ran"]
    assert "ENVVARSECRET" not in json.dumps(evidence)
    assert set(evidence["env"]) <= {
        "PATH",
        "HOME",
        "TMPDIR",
        "LANG",
        "PYTHONDONTWRITEBYTECODE",
        "PYTHONHASHSEED",
        "PWD",
    }


# ------------------------------------------------------------------------------------------ isolation


def test_remount_unmount_and_new_namespaces_are_refused():
    evidence, _ = attack(
        """
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        def call(name, *args):
            result = getattr(libc, name)(*args)
            return 'ok' if result == 0 else os.strerror(ctypes.get_errno())
        evidence['remount /'] = call('mount', None, b'/', None, ctypes.c_ulong(32), None)
        evidence['umount /tmp'] = call('umount2', b'/tmp', 2)
        evidence['umount /usr'] = call('umount2', b'/usr', 2)
        evidence['unshare user'] = call('unshare', 0x10000000)
        evidence['unshare mount'] = call('unshare', 0x00020000)
        try:
            open('/usr/written', 'w')
            evidence['write /usr'] = 'ok'
        except OSError as exc:
            evidence['write /usr'] = exc.strerror
        evidence['uid'] = os.getuid()
        evidence['caps'] = [l for l in open('/proc/self/status') if l.startswith('CapEff')][0].split()[1]
        evidence['no_new_privs'] = [l for l in open('/proc/self/status') if l.startswith('NoNewPrivs')][0].split()[1]
        evidence['seccomp'] = [l for l in open('/proc/self/status') if l.startswith('Seccomp:')][0].split()[1]
        try:
            open('/dev/tty', 'w')
            evidence['terminal'] = 'opened'
        except OSError as exc:
            evidence['terminal'] = type(exc).__name__
        """
    )
    assert evidence["ran"]
    for key in ("remount /", "umount /tmp", "umount /usr", "unshare user", "unshare mount", "write /usr"):
        assert evidence[key] != "ok", key
    assert evidence["uid"] == 65534
    assert int(evidence["caps"], 16) == 0
    assert evidence["no_new_privs"] == "1"
    assert evidence["seccomp"] == "2"
    assert evidence["terminal"] != "opened"  # its own session: no terminal to inject into


def test_writes_to_dev_shm_dev_and_sys_stay_inside():
    marker = f"cd-escape-{uuid.uuid4().hex[:8]}"
    evidence, _ = attack(
        f"""
        for path in ['/dev/shm/{marker}', '/dev/{marker}', '/sys/fs/cgroup/{marker}', '/sys/kernel/{marker}']:
            try:
                open(path, 'w').write('x' * 1000)
                evidence[path] = 'written'
            except OSError as exc:
                evidence[path] = type(exc).__name__
        try:
            open('/proc/sys/kernel/core_pattern', 'w').write('|/tmp/x')
            evidence['core_pattern'] = 'written'
        except OSError as exc:
            evidence['core_pattern'] = type(exc).__name__
        """
    )
    assert evidence["ran"]
    assert evidence[f"/dev/shm/{marker}"] == "written"  # the sandbox's own small /dev/shm
    assert evidence[f"/dev/{marker}"] != "written"
    assert evidence[f"/sys/fs/cgroup/{marker}"] != "written"
    assert evidence["core_pattern"] != "written"
    assert not Path(f"/dev/shm/{marker}").exists() and not Path(f"/dev/{marker}").exists()
    assert not Path(f"/sys/fs/cgroup/{marker}").exists()
    assert "|/tmp/x" not in Path("/proc/sys/kernel/core_pattern").read_text()


def _listen(family: int, address) -> socket.socket:
    server = socket.socket(family, socket.SOCK_STREAM)
    server.bind(address)
    server.listen(4)
    server.settimeout(0.2)
    return server


def test_no_network_loopback_v4_v6_unix_paths_or_abstract_sockets(tmp_path):
    servers = {"v4": _listen(socket.AF_INET, ("127.0.0.1", 0))}
    with contextlib.suppress(OSError):  # no IPv6 on this host
        servers["v6"] = _listen(socket.AF_INET6, ("::1", 0))
    unix_path = str(tmp_path / "host.sock")
    servers["unix"] = _listen(socket.AF_UNIX, unix_path)
    abstract = f"\0cd-escape-{uuid.uuid4().hex[:8]}"
    servers["abstract"] = _listen(socket.AF_UNIX, abstract)
    accepted: list[str] = []
    stop = threading.Event()

    def accept_all():
        while not stop.is_set():
            for name, server in servers.items():
                try:
                    conn, _ = server.accept()
                    accepted.append(name)
                    conn.close()
                except OSError:
                    pass

    waiter = threading.Thread(target=accept_all)
    waiter.start()
    targets = {"v4": ("AF_INET", ("127.0.0.1", servers["v4"].getsockname()[1]))}
    if "v6" in servers:
        targets["v6"] = ("AF_INET6", ("::1", servers["v6"].getsockname()[1]))
    targets["unix"] = ("AF_UNIX", unix_path)
    targets["abstract"] = ("AF_UNIX", abstract)
    try:
        evidence, _ = attack(
            f"""
            import socket
            for name, (family, address) in {targets!r}.items():
                s = socket.socket(getattr(socket, family), socket.SOCK_STREAM)
                s.settimeout(1)
                try:
                    s.connect(tuple(address) if isinstance(address, list) else address)
                    evidence[name] = 'connected'
                except OSError as exc:
                    evidence[name] = type(exc).__name__
                s.close()
            """
        )
    finally:
        stop.set()
        waiter.join()
        for server in servers.values():
            server.close()
    assert evidence["ran"]
    assert all(evidence[name] != "connected" for name in targets), evidence
    assert accepted == []


def test_no_host_processes_in_proc_and_ptrace_is_refused():
    host_pid = os.getpid()
    evidence, _ = attack(
        f"""
        import ctypes
        evidence['pids'] = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())
        evidence['cmdlines'] = []
        for pid in evidence['pids']:
            try:
                evidence['cmdlines'].append(open(f'/proc/{{pid}}/cmdline').read().replace(chr(0), ' ')[:80])
            except OSError:
                pass
        evidence['host pid visible'] = os.path.exists('/proc/{host_pid}/cmdline')
        libc = ctypes.CDLL(None, use_errno=True)
        evidence['ptrace pid 1'] = libc.ptrace(16, 1, None, None)  # PTRACE_ATTACH
        evidence['ptrace errno'] = ctypes.get_errno()
        evidence['ppid'] = os.getppid()
        try:
            evidence['parent fds'] = os.listdir(f'/proc/{{os.getppid()}}/fd')
        except OSError as exc:
            evidence['parent fds'] = type(exc).__name__
        """
    )
    assert evidence["ran"]
    assert len(evidence["pids"]) <= 3  # the supervisor, the worker, maybe nothing else
    assert not any("pytest" in c for c in evidence["cmdlines"])
    assert evidence["host pid visible"] is False or host_pid in (1, 2)
    assert evidence["ptrace pid 1"] == -1
    assert evidence["parent fds"] == "PermissionError"


# ------------------------------------------------------------------------------------------ limits (guarded)


GUARDS = pytest.mark.parametrize("as_root", [False, True], ids=["as an unprivileged user", "as root"])


@GUARDS
def test_a_fork_bomb_is_contained(as_root):
    outcome = guarded_attack(
        """
        import time
        children = 0
        started = time.monotonic()
        while time.monotonic() - started < 1.5:
            try:
                if os.fork() == 0:
                    time.sleep(30)
                    os._exit(0)
                children += 1
            except OSError as exc:
                evidence['refused'] = type(exc).__name__
        evidence['children'] = children
        """,
        as_root=as_root,
    )
    evidence = outcome["evidence"]
    assert evidence["ran"] and evidence["children"] > 5  # it really forked
    assert evidence["children"] < SandboxLimits().max_processes + 8  # and was stopped at the limit
    assert evidence["refused"] == "BlockingIOError"
    assert outcome["canary_alive"]
    # the sleeping children held the worker's pipe; the verdict did not wait for them
    assert outcome["report"]["ended"] is None and outcome["report"]["examples"][0]["ok"] is True


@GUARDS
def test_memory_across_children_is_limited_for_the_whole_sandbox(as_root):
    outcome = guarded_attack(
        """
        import time
        pids = []
        for _ in range(6):
            pid = os.fork()
            if pid == 0:
                block = bytearray(400 * 2**20)
                for i in range(0, len(block), 4096):
                    block[i] = 1
                time.sleep(20)
                os._exit(0)
            pids.append(pid)
        time.sleep(4)
        holding = 0  # children still running with their 400 MB (a killed, unreaped one is a zombie)
        for pid in pids:
            try:
                with open(f'/proc/{pid}/stat') as stat:
                    holding += stat.read().rsplit(')', 1)[1].split()[0] != 'Z'
            except OSError:
                pass
        evidence['children holding 400 MB after 4 s'] = holding
        """,
        limits={"timeout_s": 8},
        as_root=as_root,
    )
    # 6 x 400 MB would be 2.4 GB against 768 MB for the sandbox: either the watchdog stops the whole
    # run, or the cgroup's OOM killer ends children one by one; both fail the answer on memory
    assert outcome["report"] is not None
    assert outcome["report"]["ended"] == "memory limit exceeded (all its processes together)", outcome
    assert outcome["evidence"].get("children holding 400 MB after 4 s", 0) <= 1, outcome
    assert outcome["report"]["where"] == 0  # it ran, inside probe()
    assert outcome["canary_alive"]


@GUARDS
def test_kill_of_the_parent_and_kill_minus_one_hit_only_the_sandbox(as_root):
    outcome = guarded_attack(
        """
        import signal
        for target in (os.getppid(), 1):
            try:
                os.kill(target, signal.SIGKILL)
                evidence[f'kill {target}'] = 'sent'
            except OSError as exc:
                evidence[f'kill {target}'] = type(exc).__name__
        try:
            os.kill(-1, signal.SIGKILL)
            evidence['kill -1'] = 'sent'
        except OSError as exc:
            evidence['kill -1'] = type(exc).__name__
        """,
        as_root=as_root,
    )
    assert outcome["evidence"]["ran"] and "kill -1" in outcome["evidence"]
    assert outcome["canary_alive"]  # a process of the same user outside the sandbox lives
    assert outcome["report"] is not None  # the supervisor (PID 1) survived and reported
    assert outcome["report"]["examples"][0]["ok"] is True


def test_disk_fill_stops_at_the_tmpfs_and_leaves_nothing():
    marker = f"cd-fill-{uuid.uuid4().hex[:8]}"
    evidence, _ = attack(
        f"""
        for where in ('/tmp', '/dev/shm'):
            written = 0
            try:
                with open(where + '/{marker}', 'wb') as handle:
                    while written < 2 * 2**30:
                        handle.write(b'x' * 2**20)
                        written += 2**20
            except OSError as exc:
                evidence[where + ' error'] = type(exc).__name__
            evidence[where] = written // 2**20
        """,
        limits=SandboxLimits(timeout_s=10, cpu_s=10),
    )
    assert evidence["ran"] and evidence["/tmp"] > 0 and evidence["/dev/shm"] > 0
    assert evidence["/tmp"] <= SandboxLimits().tmpfs_mb
    assert evidence["/dev/shm"] <= SandboxLimits().tmpfs_mb // 8
    # EFBIG at the file size limit or ENOSPC at the tmpfs size
    assert evidence["/tmp error"] == evidence["/dev/shm error"] == "OSError"
    for where in (tempfile.gettempdir(), "/tmp", "/dev/shm"):
        assert not (Path(where) / marker).exists()


def test_infinite_output_is_capped_and_stopped():
    started = time.monotonic()
    _, result = attack(
        """
        while True:
            os.write(1, b'y' * 65536)
        """,
        limits=QUICK,
    )
    assert result.stdout.count("y") > 60_000  # it really wrote
    assert len(result.stdout) <= SandboxLimits().max_output_bytes + 100
    assert result.report is not None and result.report["ended"] == "timed out"
    assert time.monotonic() - started < QUICK.timeout_s + 5


def test_a_daemon_is_gone_when_the_verdict_returns():
    marker = f"31.{uuid.uuid4().int % 10**6}"
    evidence, result = attack(
        f"""
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                os.execv('/bin/sleep', ['sleep', '{marker}'])
            os._exit(0)
        import time
        time.sleep(0.3)
        evidence['daemon'] = [open(f'/proc/{{p}}/cmdline').read() for p in os.listdir('/proc') if p.isdigit()]
        """
    )
    assert any(marker in c for c in evidence["daemon"])  # it really started
    assert result.report is not None
    assert _host_processes_matching(f"sleep {marker}") == []


def test_a_forged_report_does_not_pass_a_wrong_answer():
    task = "Write a function is_prime(n).\nis_prime(1) ➞ False\nis_prime(9) -> False\n"
    forged = json.dumps({"report": {"load": None, "load_kind": None, "examples": [], "own_tests": []}})
    answer = (
        "```python\nimport json, os, sys\n"
        "def is_prime(n):\n"
        '    print(\'@@CD-REPORT@@{"load": null, "examples": [{"index": 0, "ok": true}]}\')\n'
        "    sys.__stdout__.write('{\"started\": true}\\n' + " + repr(forged) + " + '\\n')\n"
        "    for fd in range(3, 64):\n"
        "        try:\n"
        "            os.write(fd, (" + repr(forged) + " + '\\n').encode())\n"
        "        except OSError:\n"
        "            pass\n"
        "    return True\n```"
    )
    verdict = validate_answer(task, answer)
    assert not verdict.passed
    assert any("expected False, got True" in r for r in verdict.reasons)


def test_a_deep_unreadable_tree_vanishes_with_the_sandbox():
    marker = f"cd-deep-{uuid.uuid4().hex[:8]}"
    evidence, result = attack(
        f"""
        depth = 0
        os.chdir('/tmp')
        os.mkdir('{marker}')
        os.chdir('{marker}')
        try:
            while depth < 5000:
                os.mkdir('d')
                os.chdir('d')
                depth += 1
            open('secret', 'w').write('x')
            os.chmod('.', 0)
        except OSError as exc:
            evidence['error'] = type(exc).__name__
        evidence['depth'] = depth
        os.chdir('/tmp')
        """,
        limits=SandboxLimits(timeout_s=20),
    )
    assert evidence["depth"] == 5000
    assert result.report is not None and result.report["examples"][0]["ok"] is True
    assert not (Path(tempfile.gettempdir()) / marker).exists()
    assert not (Path("/tmp") / marker).exists()


def test_sigkill_of_the_assistant_ends_the_sandbox_within_a_second(tmp_path):
    marker = f"32.{uuid.uuid4().int % 10**6}"
    script = tmp_path / "assistant.py"
    script.write_text(
        python_prelude() + "from tests.sandbox_guard import attack\n"
        "from coding_director.nodes.validation.sandbox import SandboxLimits\n"
        f"attack(\"import subprocess\\nsubprocess.run(['sleep', '{marker}'])\", SandboxLimits(timeout_s=60))\n"
    )
    assistant = subprocess.Popen([sys.executable, str(script)])
    try:
        deadline = time.monotonic() + 20
        while not _host_processes_matching(f"sleep {marker}"):
            assert time.monotonic() < deadline, "the payload never started"
            assert assistant.poll() is None, "the assistant ended on its own"
            time.sleep(0.05)
        assistant.send_signal(signal.SIGKILL)
        assistant.wait()
        killed_at = time.monotonic()
        while _host_processes_matching(f"sleep {marker}") and time.monotonic() - killed_at < 3:
            time.sleep(0.02)
        assert _host_processes_matching(f"sleep {marker}") == []
        assert time.monotonic() - killed_at < 1.0
    finally:
        if assistant.poll() is None:
            assistant.kill()


# ------------------------------------------------------------------------------------------ the supervisor


@GUARDS
def test_sigint_to_the_supervisor_does_not_stop_its_report(as_root):
    # Python gives every program a SIGINT handler, and a signal PID 1 handles is delivered from inside
    # its namespace: a KeyboardInterrupt in the supervisor cost the run its report
    outcome = guarded_attack(
        """
        import signal, time
        for _ in range(3):
            os.kill(1, signal.SIGINT)
            time.sleep(0.05)
        evidence['sent'] = True
        evidence['own handler'] = signal.getsignal(signal.SIGINT) is signal.default_int_handler
        """,
        as_root=as_root,
    )
    assert outcome["report"] is not None, outcome["failure"]
    assert outcome["evidence"].get("sent"), outcome  # it really sent them
    assert outcome["evidence"]["own handler"]  # the answer still runs as any Python program does
    assert outcome["report"]["examples"][0]["ok"] is True


@GUARDS
def test_what_the_worker_sends_cannot_crash_the_supervisor_or_flood_the_report(as_root):
    # the answer holds the worker's channel: whatever it writes there is untrusted data. A malformed value
    # crashed the supervisor (its error, with the answer's text, became the reason); text of any length
    # reached the reasons, whose secret patterns then took minutes to hours on it (outside the sandbox)
    outcome = guarded_attack(
        """
        import stat
        channel = []
        for fd in range(3, 64):  # the worker's channel: the one pipe besides stdout and stderr
            try:
                if stat.S_ISFIFO(os.fstat(fd).st_mode):
                    channel.append(fd)
            except OSError:
                pass
        evidence['channel'] = channel
        flood = [
            '[' * 200000,
            json.dumps({'index': 0, 'value': ['f', 'a' * 60000]}),
            json.dumps({'start': 'test:' + 'b' * 500000}),
            json.dumps({'test': 'test_flood', 'ok': False, 'error': 'c' * 2000000}),
        ] + [json.dumps({'test': f't{i}', 'ok': False, 'error': 'd'}) for i in range(2000)]
        for fd in channel:
            for line in flood:
                os.write(fd, (line + '\\n').encode())
        """,
        as_root=as_root,
    )
    report = outcome["report"]
    assert report is not None, outcome["failure"][:300]
    assert outcome["evidence"].get("channel"), outcome  # it really wrote there
    assert report["examples"] == [{"index": 0, "ok": False, "got": "<a malformed result>"}]
    assert report["own_tests"][0]["name"] == "test_flood"
    assert all(len(t["error"] or "") <= 300 for t in report["own_tests"])
    assert len(report["own_tests"]) <= 500
    assert len(json.dumps(report)) < 100_000


@GUARDS
def test_memory_no_process_maps_counts_against_the_limit(as_root):
    # SysV shared memory (touched, then detached) and memfd pages are in no process's RSS and past
    # RLIMIT_AS: without a cgroup the watchdog never saw them, and 128 MB held 420 MB
    outcome = guarded_attack(
        """
        import ctypes, time
        libc = ctypes.CDLL(None, use_errno=True)
        libc.shmat.restype = ctypes.c_void_p
        libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
        held = {'sysv': 0, 'memfd': 0}
        evidence['held MB'] = held
        for _ in range(3):
            segment = libc.shmget(0, 100 * 2**20, 0o1000 | 0o600)  # IPC_PRIVATE, IPC_CREAT
            if segment < 0:
                evidence['shmget'] = os.strerror(ctypes.get_errno())
                break
            address = libc.shmat(segment, None, 0)
            ctypes.memset(address, 1, 100 * 2**20)
            libc.shmdt(ctypes.c_void_p(address))
            held['sysv'] += 100
        for index in range(8):
            try:
                fd = os.memfd_create(f'm{index}')
                os.write(fd, b'x' * (15 * 2**20))
                held['memfd'] += 15
            except OSError as exc:
                evidence['memfd'] = exc.strerror
                break
        time.sleep(1)
        """,
        limits={"memory_mb": 128, "timeout_s": 8},
        as_root=as_root,
    )
    report = outcome["report"]
    assert report is not None, outcome["failure"]
    held = outcome["evidence"].get("held MB", {})
    if report["ended"] != "memory limit exceeded (all its processes together)":
        assert outcome["evidence"]["ran"] and sum(held.values()) <= 128, outcome
        assert "shmget" in outcome["evidence"] and "memfd" in outcome["evidence"]  # it really tried
    assert outcome["canary_alive"]


@GUARDS
def test_a_script_run_has_the_whole_sandbox_memory_limit_too(as_root):
    # run_python (the shown-output checks) has no harness and so no watchdog: without a cgroup each
    # process had only its own RLIMIT_AS, and 32 processes could hold 32 times the limit
    outcome = guarded_attack(
        """
        import time
        os.write(1, b'\\nEVIDENCE:{"ran": true}\\n')
        pids = []
        for _ in range(4):
            pid = os.fork()
            if pid == 0:
                try:
                    block = bytearray(80 * 2**20)
                    for i in range(0, len(block), 4096):
                        block[i] = 1
                    time.sleep(3)
                finally:
                    os._exit(0)
            pids.append(pid)
        for pid in pids:
            os.waitpid(pid, 0)
        """,
        limits={"memory_mb": 128, "timeout_s": 8},
        as_root=as_root,
        script=True,
    )
    assert outcome["evidence"].get("ran"), outcome
    assert outcome["memory_exceeded"], outcome  # 4 x 80 MB against 128 MB for the whole sandbox
    assert outcome["failure"] == "memory limit exceeded (all its processes together)"
    assert outcome["canary_alive"]


def test_text_no_log_can_encode_never_reaches_a_verdict():
    # a lone surrogate in the answer's exception came back in the reason, and the run log (which
    # "never breaks an answer") raised UnicodeEncodeError on it
    from coding_director.nodes.validation import Verdict
    from coding_director.state.verdicts import FailureKind

    outcome = guarded_attack("raise ValueError('lone \\ud800 surrogate')", limits={"timeout_s": 5})
    error = outcome["report"]["examples"][0]["error"]
    assert "\ud800" in error  # it really came back
    verdict = Verdict(passed=True)
    verdict.fail(FailureKind.EXAMPLE, f"example 1 `probe()` raised {error}")
    json.dumps(verdict.to_info(), ensure_ascii=False).encode("utf-8")
