"""Runs inside the sandbox as its PID 1: a trusted supervisor, and a worker it forks for the answer.

The supervisor reads `[prelude, answer, examples, doctested names]` as JSON on stdin, forks a
worker, and reports to the host on the inherited report pipe (fd given in argv). The worker closes
that pipe before it runs any of the answer's code, so nothing the answer does can write to it; the
worker sends the *values* its examples produced on a pipe of its own, and the supervisor compares
them with what the task expects. Whatever the answer prints is data, never protocol.

As PID 1 of the sandbox the supervisor cannot be killed from inside it (not even by `kill(-1)`),
and when it exits every process the answer left behind dies with it.

Standalone: it imports nothing from this project (the sandbox holds only the interpreter).
"""

import contextlib
import json
import math
import os
import resource
import select
import signal
import sys
import time

REPORT_FD = int(sys.argv[1])
LIMITS = json.loads(sys.argv[2])
PAYLOAD = sys.stdin.buffer.read()
MAX_MESSAGES = 4_000_000  # bytes the worker may send (values of examples); more stops it
MAX_TEXT = 2_000
MAX_REASON = 300  # any text of the worker's that the report carries as a reason
MAX_OWN_TESTS = 500


SCRIPT_TEST = "the answer's own top-level checks"


def report(message):
    data = (json.dumps(message) + "\n").encode()
    while data:
        data = data[os.write(REPORT_FD, data) :]


# ----------------------------------------------------------------- worker (untrusted once the answer loads)


def encode(value, depth=0):
    """A JSON-safe image of a value the answer returned; the supervisor rebuilds and compares it."""
    import numbers

    if depth > 40:
        return ["o", "..."]
    if value is None or isinstance(value, bool):
        return ["c", value]
    if isinstance(value, str):
        return ["s", value[:100_000]]
    if isinstance(value, bytes):
        return ["b", value[:100_000].decode("latin-1")]
    try:
        if type(value).__module__ == "numpy" and type(value).__name__ in ("bool", "bool_"):
            return ["c", bool(value)]  # numpy's True (`np.prod(a) == -9`) is True to a test's assert too
        if isinstance(value, numbers.Integral):
            return ["i", int(value)]
        if isinstance(value, numbers.Real) or type(value).__name__ == "Decimal":
            return ["f", repr(float(value))]
        if isinstance(value, numbers.Complex):
            return ["x", [repr(float(value.real)), repr(float(value.imag))]]
        kind = {list: "l", tuple: "t", set: "e", frozenset: "e", dict: "d"}.get(type(value))
        if kind is None:
            for base, tag in ((dict, "d"), (list, "l"), (tuple, "t"), (set, "e"), (frozenset, "e")):
                if isinstance(value, base):
                    kind = tag
                    break
        if kind == "d":
            return ["d", [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in list(value.items())[:10_000]]]
        if kind is not None:
            return [kind, [encode(v, depth + 1) for v in list(value)[:10_000]]]
    except Exception:
        pass
    return ["o", short_repr(value)]


def full_repr(value):
    try:
        return repr(value)[:MAX_TEXT]
    except BaseException as exc:  # a hostile __repr__
        return f"<unprintable {type(exc).__name__}>"


def short_repr(value):
    return shorten(full_repr(value))


def shorten(text):
    return text if len(text) <= 120 else text[:117] + "..."


def safe_str(value):
    try:
        return str(value)[:MAX_TEXT]
    except BaseException:
        return ""


def describe(exc):
    try:
        return (type(exc).__name__ + ": " + str(exc))[:300]
    except BaseException:
        return type(exc).__name__


def worker(channel, prelude, answer, examples, own_doctests, script=""):
    import contextlib
    import io

    def send(message):
        data = (json.dumps(message) + "\n").encode()
        while data:
            data = data[os.write(channel, data) :]

    if own_doctests:
        import doctest  # imported before the answer runs
    ns = {"__name__": "answer"}
    if prelude:
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(prelude, "task.py", "exec"), ns)
        except BaseException:
            pass
    send({"loading": True})
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(answer, "answer.py", "exec"), ns)
    except BaseException as exc:
        send({"load": describe(exc), "load_kind": type(exc).__name__})
        return
    send({"loaded": True})
    for index, (expression, _expected, _kind) in enumerate(examples):
        send({"start": index})
        printed = io.StringIO()
        entry = {"index": index}
        try:
            try:
                with contextlib.redirect_stdout(printed):
                    got = eval(compile(expression, "example", "eval"), ns)
            except SyntaxError:
                with contextlib.redirect_stdout(printed):
                    exec(compile(expression, "example", "exec"), ns)
                got = None
                entry["statement"] = True
        except BaseException as exc:
            entry["error"] = describe(exc)[:200]
            entry["exc"] = type(exc).__name__
            send(entry)
            continue
        entry["value"] = encode(got)
        entry["repr"] = full_repr(got)
        entry["str"] = safe_str(got)
        entry["printed"] = printed.getvalue()[:MAX_TEXT]
        send(entry)
    if script:  # the answer's own top-level code (demos, self-checks), after the task's examples
        send({"start": "test:" + SCRIPT_TEST})
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(script, "answer.py", "exec"), ns)
            send({"test": SCRIPT_TEST, "ok": True})
        except BaseException as exc:
            send({"test": SCRIPT_TEST, "ok": False, "error": describe(exc)[:200]})
    for name, value in list(ns.items()):
        if (
            name.startswith("test")
            and callable(value)
            and getattr(value, "__code__", None) is not None
            and value.__code__.co_argcount == 0
            and value.__code__.co_filename == "answer.py"
        ):
            send({"start": "test:" + name})
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    value()
                send({"test": name, "ok": True})
            except BaseException as exc:
                send({"test": name, "ok": False, "error": describe(exc)[:200]})
    if own_doctests:
        finder, runner = doctest.DocTestFinder(), doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
        for name in own_doctests:
            obj = ns.get(name)
            if obj is None:
                continue
            try:
                tests = finder.find(obj, name, globs=ns)
            except ValueError:
                continue
            for test in tests:
                send({"start": "test:doctest of " + name})
                with contextlib.redirect_stdout(io.StringIO()):
                    result = runner.run(test)
                send(
                    {
                        "test": "doctest of " + name,
                        "ok": result.failed == 0,
                        "error": f"{result.failed} of {result.attempted} doctest examples failed",
                    }
                )


def start_worker(prelude, answer, examples, own_doctests, script=""):
    """Fork the worker: it loses the report pipe and gets its limits before any answer code runs."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write_end)
        return pid, read_end
    code = 0
    try:
        os.close(read_end)
        os.close(REPORT_FD)
        os.setpgid(0, 0)
        null = os.open("/dev/null", os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        for name, value in LIMITS["rlimits"].items():
            if name == "RLIMIT_NPROC" and not LIMITS["sandboxed"]:
                continue  # outside a user namespace it would count every process of the user
            resource.setrlimit(getattr(resource, name), tuple(value))
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # as in any Python program
        sys.path.extend(LIMITS["site_dirs"])  # the interpreter started with -S
        worker(write_end, prelude, answer, examples, own_doctests, script)
    except BaseException:
        code = 70
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:
            pass
        os._exit(code)


# ----------------------------------------------------------------- supervisor (trusted)


class Opaque:
    """A value the worker could only show as text: equal to nothing."""

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return self.text

    def __eq__(self, other):
        return False

    __hash__ = object.__hash__


def decode(item):
    tag, body = item[0], item[1]
    if tag == "c" or tag == "s" or tag == "i":
        return body
    if tag == "b":
        return body.encode("latin-1")
    if tag == "f":
        return float(body)
    if tag == "x":
        return complex(float(body[0]), float(body[1]))
    if tag == "l":
        return [decode(v) for v in body]
    if tag == "t":
        return tuple(decode(v) for v in body)
    if tag == "e":
        values = [decode(v) for v in body]
        try:
            return set(values)
        except TypeError:
            return Opaque(repr(values))
    if tag == "d":
        pairs = [(decode(k), decode(v)) for k, v in body]
        try:
            return dict(pairs)
        except TypeError:
            return Opaque(repr(pairs))
    return Opaque(str(body))


def same(got, want):
    if isinstance(got, (int, float)) and isinstance(want, (int, float)):
        return got == want or math.isclose(got, want, rel_tol=1e-6, abs_tol=1e-9)
    if isinstance(got, (list, tuple)) and isinstance(want, (list, tuple)):
        return (
            type(got) is type(want)
            and len(got) == len(want)
            and all(same(g, w) for g, w in zip(got, want, strict=True))
        )
    if isinstance(got, dict) and isinstance(want, dict):
        return got.keys() == want.keys() and all(same(got[k], want[k]) for k in got)
    return got == want


def one_tuple_in_parens(expected, got, value):
    """`("Venus")` in a task's prose means the 1-tuple `('Venus',)`, however Python reads it."""
    text = expected.strip()
    plain = text.startswith("(") and text.endswith(")") and "," not in text and text.count("(") == 1
    return plain and isinstance(got, tuple) and len(got) == 1 and same(got[0], value)


def squash(text):
    return " ".join(str(text).split())


def expected_value(expected):
    """The task's expected value, evaluated here (never where the answer runs); None when not a value."""
    try:
        return (eval(expected, {"inf": float("inf"), "nan": float("nan")}),)
    except BaseException:
        return None


def judge_example(entry, expected, want):
    """The supervisor's own comparison of what the worker says an example produced."""
    result = {"index": entry["index"]}
    if "error" in entry:
        if expected.startswith("Traceback"):
            name = str(entry.get("exc", ""))
            result["ok"] = bool(name) and (squash(expected).endswith(name) or name in expected)
        else:
            result["error"] = str(entry["error"])[:MAX_REASON]
        return result
    got = decode(entry.get("value", ["o", "?"])) if not entry.get("statement") else None
    shown_repr = str(entry.get("repr", ""))
    text = str(entry.get("printed", ""))
    if expected.startswith("Traceback"):
        result["ok"] = False
        result["got"] = shorten(shown_repr)
        return result
    if want is not None:
        try:
            ok = (
                same(got, want[0])
                or one_tuple_in_parens(expected, got, want[0])
                or (got is None and bool(text) and squash(text) == squash(expected))
            )
        except BaseException:
            ok = False
    else:
        shown = text if got is None else shown_repr
        ok = (
            squash(shown) == squash(expected)
            or squash(entry.get("str", "")) == squash(expected)
            or squash(text) == squash(expected)
        )
    result["ok"] = bool(ok)
    if not ok:
        result["got"] = shorten(shown_repr) if got is not None or not text else squash(text)[:120]
    return result


def sandbox_rss_bytes():
    """Resident memory of every process in the sandbox together (they all share this PID namespace)."""
    total = 0
    page = os.sysconf("SC_PAGE_SIZE")
    for name in os.listdir("/proc"):
        if name.isdigit() and name != "1":
            try:
                with open(f"/proc/{name}/statm") as handle:
                    total += int(handle.read().split()[1]) * page
            except (OSError, ValueError, IndexError):
                continue
    return total


def kill_everything_else(worker_pid):
    if not LIMITS["sandboxed"]:  # SANDBOX=unsafe-limits: only the worker's own process group
        with contextlib.suppress(OSError):
            os.killpg(worker_pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(worker_pid, 0)
        return
    with contextlib.suppress(OSError):
        os.kill(-1, signal.SIGKILL)  # every process here but this one (PID 1 is never hit by -1)
    while True:
        try:
            if os.waitpid(-1, os.WNOHANG) == (0, 0):
                time.sleep(0.002)
                if not any(n.isdigit() and n != "1" for n in os.listdir("/proc")):
                    return
        except ChildProcessError:
            return


def supervise():
    prelude, answer, examples, own_doctests, *rest = json.loads(PAYLOAD)
    script = rest[0] if rest else ""
    wants = [None if exp.startswith("Traceback") else expected_value(exp) for _, exp, _ in examples]
    try:  # nobody in the sandbox may read this process's memory or descriptors
        import ctypes

        ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 0
    except Exception:
        pass
    pid, channel = start_worker(prelude, answer, examples, own_doctests, script)
    started = time.monotonic()
    report({"started": True})
    deadline = started + LIMITS["timeout_s"]
    memory_cap = LIMITS["memory_bytes"]
    buffer = b""
    received = 0
    messages = []
    ended = None  # why the worker stopped before it finished
    status = None
    eof = False
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            ended = "timed out"
            break
        ready = []
        if eof:
            time.sleep(0.002)
        else:
            ready, _, _ = select.select([channel], [], [], min(remaining, 0.02))
        if ready:
            chunk = os.read(channel, 65536)
            eof = not chunk
            received += len(chunk)
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                try:
                    messages.append(json.loads(line))
                except (ValueError, RecursionError):
                    continue
            if received > MAX_MESSAGES:
                ended = "sent too much output"
                break
        while status is None:  # reap what ended (orphans come to PID 1), noting the worker's status
            try:
                done, code = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if done == 0:
                break
            if done == pid:
                status = code
        # the worker is gone and its pipe drained: done, even if its children still hold the pipe
        if status is not None and (eof or not ready):
            break
        if memory_cap and LIMITS["sandboxed"] and sandbox_rss_bytes() > memory_cap:
            ended = "memory limit exceeded (all its processes together)"  # sandbox.MEMORY_EXCEEDED
            break
    elapsed = time.monotonic() - started
    kill_everything_else(pid)
    verdict = {"load": None, "load_kind": None, "examples": [], "own_tests": [], "elapsed_s": round(elapsed, 4)}
    finished_load = False
    last_start = None
    for message in messages:
        if not isinstance(message, dict):
            continue
        if "load" in message:
            verdict["load"] = str(message["load"])[:300]
            verdict["load_kind"] = str(message.get("load_kind"))[:100]
        elif message.get("loaded"):
            finished_load = True
        elif "start" in message:
            start = message["start"]
            last_start = start if isinstance(start, int) else str(start)[:120]
        elif "test" in message:
            if len(verdict["own_tests"]) < MAX_OWN_TESTS:
                error = message.get("error")
                verdict["own_tests"].append(
                    {
                        "name": str(message["test"])[:100],
                        "ok": message.get("ok") is True,
                        "error": None if error is None else str(error)[:MAX_REASON],
                    }
                )
        elif isinstance(message.get("index"), int) and 0 <= message["index"] < len(examples):
            if any(e["index"] == message["index"] for e in verdict["examples"]):
                continue  # one result per example
            index = message["index"]
            try:
                verdict["examples"].append(judge_example(message, examples[index][1], wants[index]))
            except Exception:  # what the worker sent is not a result it could have made: the example fails
                verdict["examples"].append({"index": index, "ok": False, "got": "<a malformed result>"})
    verdict["where"] = last_start if finished_load else "load"
    if ended is None and status is not None:
        if os.WIFSIGNALED(status):
            ended = "signal:" + signal.Signals(os.WTERMSIG(status)).name
        elif os.WEXITSTATUS(status) != 0:
            ended = f"exit status {os.WEXITSTATUS(status)}"
        elif verdict["load"] is None and not finished_load:
            ended = "exited while loading"
    verdict["ended"] = ended
    report({"report": verdict})


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: None)  # PID 1 ignores what it has no handler for anyway
    # no KeyboardInterrupt here: as PID 1 without a handler, a SIGINT from the answer is dropped
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    supervise()
    os.close(REPORT_FD)
