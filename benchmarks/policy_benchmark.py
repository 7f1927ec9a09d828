"""The escalation policy against the seed's plain chain, on a simulated Ollama workstation.

    python -m benchmarks.policy_benchmark [--unique 60] [--repeats 30] [--seed 3] [--scale 0.05]

The Ollama stand-in plays the seed's models with their costs (7B: 2 s load, 30 tok/s;
16B MoE: 5 s load, 40 tok/s; 13B: 6 s load, 15 tok/s), keeps at most 3 models loaded
(OLLAMA_MAX_LOADED_MODELS on a CPU), honours keep_alive, and reports loads in
`load_duration`. Times are scaled by --scale so a run takes a minute; figures are
reported unscaled. Whether a tier's answer is right is drawn from a fixed seed per
(request, tier); some requests carry an example that contradicts them, so no tier
can pass. The same workload runs twice: the plain chain (no cache, no early stop)
and the policy (cache, early stop, per-role keep-alive from the memory plan).
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
import threading
import time
from collections import OrderedDict

from benchmarks.report import write_section
from coding_director import build_graph
from coding_director.core.settings import DEFAULT_MODELS, settings_from_env
from tests.standin import StandinOllama

#: seconds to load, tokens per second
PROFILES = {
    DEFAULT_MODELS["router"]: (2.0, 30.0),
    DEFAULT_MODELS["math"]: (2.0, 30.0),
    DEFAULT_MODELS["lead"]: (5.0, 40.0),
    DEFAULT_MODELS["senior"]: (6.0, 15.0),
    DEFAULT_MODELS["principal"]: (6.0, 15.0),
}
PASS_RATE = {DEFAULT_MODELS["lead"]: 0.55, DEFAULT_MODELS["senior"]: 0.5, DEFAULT_MODELS["principal"]: 0.6}
ANSWER_TOKENS = 150
MAX_LOADED = 3
GOOD = "```python\ndef add(a, b):\n    return a + b\n```\nAdds the two numbers."
#: Different models make different mistakes.
WRONG = {
    DEFAULT_MODELS["lead"]: "a - b",
    DEFAULT_MODELS["senior"]: "a * b",
    DEFAULT_MODELS["principal"]: "a + b + 1",
    DEFAULT_MODELS["math"]: "b - a",
}


class Workstation:
    """The simulated Ollama server's memory: which models are loaded, what a call costs."""

    def __init__(self, seed: int, scale: float):
        self.seed = seed
        self.scale = scale
        self.loaded: OrderedDict[str, float] = OrderedDict()  # model -> unload time (monotonic)
        self.lock = threading.Lock()
        self.load_s = 0.0
        self.model_s = 0.0

    def answer(self, body: dict) -> str:
        model = body["model"]
        load, rate = PROFILES[model]
        with self.lock:
            now = time.monotonic()
            for name, until in list(self.loaded.items()):
                if until <= now:
                    del self.loaded[name]
            needs_load = model not in self.loaded
            if needs_load:
                while len(self.loaded) >= MAX_LOADED:
                    self.loaded.popitem(last=False)  # least recently used goes
            keep = body.get("keep_alive", "5m")
            self.loaded[model] = now + _seconds(keep) * self.scale if _seconds(keep) >= 0 else float("inf")
            self.loaded.move_to_end(model)
            cost = (load if needs_load else 0.0) + ANSWER_TOKENS / rate
            self.load_s += load if needs_load else 0.0
            self.model_s += cost
        time.sleep(cost * self.scale)
        if _seconds(body.get("keep_alive", "5m")) == 0:
            with self.lock:
                self.loaded.pop(model, None)
        request = next(m["content"] for m in body["messages"] if m["role"] == "user")
        number = int(re.search(r"#(\d+)", request).group(1))
        passes = random.Random(f"{self.seed}:{number}:{model}").random() < PASS_RATE.get(model, 0.5)
        wrong = f"```python\ndef add(a, b):\n    return {WRONG.get(model, 'a - b')}\n```\nAdds the two numbers."
        return GOOD if passes else wrong


def _seconds(keep_alive: object) -> float:
    if isinstance(keep_alive, int | float):
        return float(keep_alive)
    text = str(keep_alive)
    if text.lstrip("-").isdigit():
        return float(text)
    units = {"s": 1, "m": 60, "h": 3600}
    return float(text[:-1]) * units.get(text[-1], 1)


def workload(unique: int, repeats: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    requests = []
    for n in range(unique):
        impossible = rng.random() < 0.15  # its example contradicts the task: no tier can pass
        example = "add(2, 3) -> 4" if impossible else "add(2, 3) -> 5"
        requests.append(f"Write a Python function add(a, b) that returns the sum. {example} #{n}")
    requests += [rng.choice(requests[:unique]) for _ in range(repeats)]
    rng.shuffle(requests)
    return requests


def run(requests: list[str], policy: bool, seed: int, scale: float) -> dict:
    station = Workstation(seed, scale)
    with StandinOllama(models=list(DEFAULT_MODELS.values()), responder=station.answer) as server:
        env = {
            "BACKEND": "ollama",
            "OLLAMA_BASE_URL": server.url,
            "CODING_DIRECTOR_HOME": tempfile.mkdtemp(prefix="cd-policy-"),
            "RETRIES": "0",
            "KEEP_ALIVE": "10m",
        }
        if not policy:
            env |= {"CACHE": "false", "EARLY_STOP": "false"}
        # Keep-alive follows the memory plan: with 3 model slots the three answering tiers fit, so the plan
        # keeps them all warm (KEEP_ALIVE=10m) in both runs; on a smaller machine it would unload the 13B tiers.
        graph = build_graph(settings=settings_from_env(env), checkpointer=None, run_log=False)
        started = time.perf_counter()
        results = [graph.invoke({"messages": [("user", r)]}) for r in requests]
        real = time.perf_counter() - started
        # what a user would wait: the simulated model time, unscaled, plus the graph's own real time
        wall = station.model_s + (real - station.model_s * scale)
    return {
        "wall_s": wall,
        "model_s": station.model_s,
        "load_s": station.load_s,
        "tier_calls": sum(len(r["attempts"]) for r in results),
        "passed": sum(r["outcome"] in ("passed", "cached") for r in results) / len(results),
        "cache_hits": sum(r["outcome"] == "cached" for r in results),
        "early_stops": sum(r["outcome"] == "early_stop" for r in results),
        "n": len(results),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--unique", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    requests = workload(args.unique, args.repeats, args.seed)
    plain = run(requests, policy=False, seed=args.seed, scale=args.scale)
    policy = run(requests, policy=True, seed=args.seed, scale=args.scale)
    ratio = policy["wall_s"] / plain["wall_s"]

    def row(label: str, key: str, fmt: str) -> str:
        return f"| {label} | {format(plain[key], fmt)} | {format(policy[key], fmt)} |"

    body = "\n".join(
        [
            f"Command: `python -m benchmarks.policy_benchmark --unique {args.unique} --repeats {args.repeats} "
            f"--seed {args.seed} --scale {args.scale}`",
            "",
            f"{plain['n']} requests ({args.unique} distinct, {args.repeats} repeats; about 15% carry a "
            "self-contradicting example). Simulated seed models, at most 3 loaded; times unscaled.",
            "",
            "| figure | plain chain | policy |",
            "|---|---|---|",
            row("wall-clock (s)", "wall_s", ".0f"),
            row("model time (s)", "model_s", ".0f"),
            row("of which loading models (s)", "load_s", ".0f"),
            row("tier calls", "tier_calls", "d"),
            row("final pass rate", "passed", ".1%"),
            row("served from cache", "cache_hits", "d"),
            row("stopped early", "early_stops", "d"),
            "",
            f"Policy wall-clock / plain chain: **{ratio:.0%}** (target ≤ 60% at the same pass rate; pass rates "
            f"{plain['passed']:.1%} vs {policy['passed']:.1%}). Cache hit rate on this workload: "
            f"{policy['cache_hits'] / policy['n']:.0%}.",
            "",
            "Where the time goes: the cache saves the repeats' calls and early stop spares the principal on "
            "requests whose example contradicts them; every other request still needs the tiers the plain "
            "chain calls, because a tier's chance of passing does not depend on the one before it. With a "
            "third of requests repeated, the cache alone bounds the saving near a third, so the ≤ 60% target "
            "needs a workload with more repeats, or a policy that can predict a tier's failure before calling "
            "it (SKIP_FAILING_TIERS does, where one model keeps failing a kind of request; here failures are "
            "independent draws, so it would only lower the pass rate and stays off).",
        ]
    )
    print(body)
    if not args.no_write:
        write_section("policy", "Escalation policy against the plain chain", body)


if __name__ == "__main__":
    main()
