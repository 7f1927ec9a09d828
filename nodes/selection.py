"""Choosing one of k sampled answers by running them (execution-based selection, after CodeT).

Order of evidence: candidates that pass the task's examples first; among them the largest group
that agrees on extra inputs (derived from the examples' types and values: a program that many
independent samples agree with is more likely right); then the fewest failures. For answers with no
code to run (a math result), candidates that pass review and agree on the final answer win
(self-consistency). Every choice comes with one sentence saying how it was made, for the verdict
and the trace.
"""

from __future__ import annotations

import ast
import json
import re
from collections import Counter
from dataclasses import dataclass, field

from coding_director.nodes.definitions import definitions_only
from coding_director.nodes.extra_inputs import (
    MAX_INPUTS,
    call_arguments,
    calls_in_text,
    derive_inputs,
    signature_arguments,
)
from coding_director.nodes.validation import validate_answer
from coding_director.nodes.validation.extract import code_blocks
from coding_director.nodes.validation.final_answer import final_value
from coding_director.nodes.validation.sandbox import SandboxLimits, SandboxMode, run_harness
from coding_director.nodes.validation.task import parse_task

_LIMITS = SandboxLimits(timeout_s=20.0, cpu_s=30)
#: The "expected value" of an extra-input call: never matches, so the sandbox reports what it returned.
_PROBE = "<what it returns>"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


@dataclass(slots=True)
class Candidate:
    """One sampled answer and what running it showed."""

    index: int
    answer: str
    verdict_passed: bool = False
    failures: int = 0
    """How many checks the validator failed it on."""
    examples_passed: int = 0
    examples_run: int = 0
    outputs: tuple[str, ...] | None = None
    """Its output on each extra input; None when it could not be run."""
    final: str | None = None
    """The final value a prose answer states (the last boxed value or number)."""

    @property
    def passes_examples(self) -> bool:
        return self.examples_run > 0 and self.examples_passed == self.examples_run


def python_code(answer: str) -> str:
    """The answer's Python (fenced blocks in order, or the whole answer when it is bare code)."""
    blocks = [b.code for b in code_blocks(answer) if b.language == "python" and not b.code.lstrip().startswith(">>>")]
    if blocks:
        return "\n\n".join(blocks)
    try:
        ast.parse(answer)
    except SyntaxError:
        return ""
    return answer if re.search(r"^\s*(def|class) ", answer, re.M) else ""


@dataclass
class Selection:
    """Candidates for one task, added one by one as they are sampled; `settled` says when to stop."""

    task: str
    category: str = "general"
    candidates: list[Candidate] = field(default_factory=list)
    sandbox: SandboxMode = "bwrap"

    def __post_init__(self) -> None:
        task = parse_task(self.task)
        spec = task.function
        self.function = spec.name if spec is not None and not spec.is_class else None
        self.prelude = task.prelude
        examples = list(task.examples) if self.function else []
        self.examples = [[e.expression, e.expected] for e in examples]
        args = [call_arguments(e.expression, self.function) for e in examples] if self.function else []
        shown = [a for a in args if a is not None]
        if self.function:  # calls the task shows without an expected value still show the argument types
            shown += [a for a in calls_in_text(self.task, self.function) if a not in shown]
        typical = signature_arguments(self.task, self.function) if self.function and not shown else None
        # with no call shown, the signature's annotations give one typical input, and inputs near it
        self.inputs = [repr(typical), *derive_inputs([typical])][:MAX_INPUTS] if typical else derive_inputs(shown)

    def add(self, answer: str, done_reason: str | None = None) -> Candidate:
        """Review and run one candidate; returns what was found."""
        verdict = validate_answer(self.task, answer, self.category, done_reason=done_reason, sandbox=self.sandbox)
        candidate = Candidate(len(self.candidates), answer, verdict.passed, len(verdict.failures))
        code = python_code(answer)
        if self.function and code:
            self._run(candidate, definitions_only(code))
        elif self.category == "math":
            candidate.final = final_value(answer)
        self.candidates.append(candidate)
        return candidate

    def _run(self, candidate: Candidate, code: str) -> None:
        """Run the candidate on the task's examples and the extra inputs in the validator's sandbox.

        The results come back on the sandbox's own report channel, never from what the code prints.
        (The candidate runs in the process that sends them, so it could claim its examples pass: no
        more than hard-coding the visible examples would, and never how its run ended.)"""
        examples = [[expression, expected, "prose"] for expression, expected in self.examples]
        probes = [[f"{self.function}(*{source})", _PROBE, "prose"] for source in self.inputs]
        payload = json.dumps([self.prelude, code, examples + probes, []])
        report = run_harness(payload, limits=_LIMITS, mode=self.sandbox).report
        if report is None or report["load"]:
            return
        results = {entry["index"]: entry for entry in report["examples"]}
        candidate.examples_run = sum(1 for index in range(len(examples)) if index in results)
        candidate.examples_passed = sum(1 for index in range(len(examples)) if results.get(index, {}).get("ok"))
        outputs = []
        for index in range(len(examples), len(examples) + len(probes)):
            entry = results.get(index)
            if entry is None:  # the run ended before this input (a loop that never returns)
                outputs.append("raises TimeoutError")
            elif "error" in entry:
                outputs.append("raises " + str(entry["error"]).split(":", 1)[0])
            else:
                outputs.append(str(entry.get("got", "")))
        candidate.outputs = tuple(outputs)

    # -- choosing ---------------------------------------------------------------------------------

    def _groups(self, pool: list[Candidate]) -> list[list[Candidate]]:
        """Candidates with the same outputs on the extra inputs, largest group first.

        Inputs on which most of the pool raises are left out: they probably break the task's
        preconditions, where right programs may legitimately differ.
        """
        runnable = [c for c in pool if c.outputs is not None]
        if not runnable:
            return []
        width = len(runnable[0].outputs or ())
        kept = [
            i
            for i in range(width)
            if sum(str((c.outputs or ())[i]).startswith("raises ") for c in runnable) * 2 < len(runnable)
        ]
        by_outputs: dict[tuple[str, ...], list[Candidate]] = {}
        for c in runnable:
            by_outputs.setdefault(tuple((c.outputs or ())[i] for i in kept), []).append(c)
        groups = list(by_outputs.values())
        # larger groups first; then groups the validator passes more of; then the earliest sample
        groups.sort(key=lambda g: (-len(g), -sum(c.verdict_passed for c in g), g[0].index))
        return groups

    @property
    def settled(self) -> bool:
        """Whether sampling can stop: a candidate passed the examples and another agrees with it."""
        if self.examples:
            groups = self._groups([c for c in self.candidates if c.passes_examples])
            return bool(groups) and len(groups[0]) >= 2
        if self.function and self.inputs:
            groups = self._groups(self.candidates)
            return bool(groups) and len(groups[0]) >= 2
        finals = Counter(c.final for c in self.candidates if c.verdict_passed and c.final is not None)
        if finals:
            return finals.most_common(1)[0][1] >= 2
        return any(c.verdict_passed for c in self.candidates) and not any(c.final for c in self.candidates)

    def choose(self) -> tuple[Candidate, str]:
        """The chosen candidate and one sentence saying how it was chosen."""
        if not self.candidates:
            raise ValueError("no candidates to choose from")
        n = len(self.candidates)
        if n == 1:
            return self.candidates[0], "one candidate drawn"
        fewest = min(self.candidates, key=self._failure_rank)
        if self.examples:
            passing = [c for c in self.candidates if c.passes_examples]
            if passing:
                chosen, agree = self._largest_group(passing)
                return chosen, (
                    f"{len(passing)} of {n} candidates passed the task's {_count(len(self.examples), 'example')}; "
                    + self._agreement(agree, chosen)
                )
            return fewest, (
                f"none of {n} candidates passed all of the task's {_count(len(self.examples), 'example')}; "
                f"chose the one with the fewest failures ({self._failures_of(fewest)})"
            )
        if self.function and self.inputs and any(c.outputs is not None for c in self.candidates):
            chosen, agree = self._largest_group([c for c in self.candidates if c.outputs is not None])
            return chosen, f"the task shows no runnable examples; of {n} candidates, " + self._agreement(agree, chosen)
        finals = Counter(c.final for c in self.candidates if c.verdict_passed and c.final is not None)
        if finals:
            value, count = finals.most_common(1)[0]
            chosen = next(c for c in self.candidates if c.verdict_passed and c.final == value)
            return chosen, f"{count} of {n} candidates passed review and give the final answer {value}; chose the first"
        return fewest, (
            f"nothing to run in {n} candidates; chose the one with the fewest failures ({self._failures_of(fewest)})"
        )

    def _largest_group(self, pool: list[Candidate]) -> tuple[Candidate, int]:
        """The best candidate of the largest agreeing group, and how many others agree with it."""
        groups = self._groups(pool)
        if not groups:
            best = min(pool, key=self._failure_rank)
            return best, 0
        group = groups[0]
        return min(group, key=self._failure_rank), len(group) - 1

    def _agreement(self, others: int, chosen: Candidate) -> str:
        if not self.inputs:
            return f"chose candidate {chosen.index + 1} (no extra inputs could be derived to compare them)"
        inputs = _count(len(self.inputs), "extra input")
        if others == 0:
            return f"none agree with another on {inputs}; chose candidate {chosen.index + 1}"
        who = "1 other agrees" if others == 1 else f"{others} others agree"
        return f"chose the one {who} with on {inputs}"

    def _failure_rank(self, c: Candidate) -> tuple[int, int, int, int]:
        """Lower is better: passes review, then examples not passed (one that never ran passed none)."""
        return (not c.verdict_passed, len(self.examples) - c.examples_passed, c.failures, c.index)

    def _failures_of(self, c: Candidate) -> str:
        if self.examples:
            return f"{len(self.examples) - c.examples_passed} of {len(self.examples)} examples failed"
        return f"{c.failures} failed check{'s' if c.failures != 1 else ''}"
