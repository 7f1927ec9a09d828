"""Which embedded model the router's unsure band and the math specialist should use: a brief check.

    flock /tmp/cd-bench.lock python -m benchmarks.role_model_benchmark

Each catalogue model, greedy, the project's own prompts: the router model's category on requests
the rules are unsure about, and the math specialist's final number on short word problems.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import time

from langchain_core.messages import HumanMessage, SystemMessage

from benchmarks.report import write_section
from coding_director.core.backends.registry import ModelRegistry
from coding_director.core.catalogue import CATALOGUE
from coding_director.core.settings import load_settings
from coding_director.nodes.router.model_fallback import ask_router_model
from coding_director.prompts import load_prompt

ROUTER_CASES = [
    ("How many ways can 5 people sit in a row?", "math"),
    ("What is the probability of two heads in three fair coin flips?", "math"),
    ("If a train covers 120 km in 1.5 hours, what is its average speed?", "math"),
    ("Combien font 15 % de 240 ?", "math"),
    ("Tell me about the best way to organise a large project.", "general"),
    ("Why does my loop never end?", "general"),
    ("How do I reverse a linked list?", "general"),
    ("Explain recursion with an example.", "general"),
]
MATH_CASES = [
    ("A shop sells pens at 3 dollars each. How much do 14 pens cost?", 42),
    ("What is 17 * 23?", 391),
    ("How many subsets does a set of 6 elements have?", 64),
    ("A rectangle is 12 cm by 7 cm. What is its area in square centimetres?", 84),
    ("Tom has 250 apples and gives away 40% of them. How many does he have left?", 150),
    ("What is the sum of the integers from 1 to 50?", 1275),
    ("How many ways can 4 books be arranged on a shelf?", 24),
    ("Wie viel ist 125 geteilt durch 5?", 25),
]


def last_number(text: str) -> int | None:
    found = re.findall(r"-?\d[\d,]*", text.replace("\\boxed", ""))
    try:
        return int(found[-1].replace(",", "")) if found else None
    except ValueError:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    lines = [
        "Command: `flock /tmp/cd-bench.lock python -m benchmarks.role_model_benchmark` (greedy, 2 threads, "
        f"{len(ROUTER_CASES)} router requests, {len(MATH_CASES)} word problems; a brief check, not a benchmark "
        "to tune on)",
        "",
        "| model | router: right category | router: s per request | math: right final number | math: s per problem |",
        "|---|---|---|---|---|",
    ]
    for name, entry in CATALOGUE.items():
        os.environ.update({"BACKEND": "embedded", "TEMPERATURE": "0", "EMBEDDED_MAX_TOKENS": "320"})
        os.environ.update({f"EMBEDDED_{r}_MODEL": name for r in ("ROUTER", "MATH")})
        registry = ModelRegistry(load_settings())
        router, math = registry.get("router"), registry.get("math")
        router.invoke("hi")  # loaded before timing
        started = time.perf_counter()
        right_route = 0
        for request, want in ROUTER_CASES:
            with contextlib.suppress(ValueError):
                right_route += ask_router_model(router, request) == want
        route_s = (time.perf_counter() - started) / len(ROUTER_CASES)
        started = time.perf_counter()
        right_math = 0
        for question, want in MATH_CASES:
            reply = math.invoke([SystemMessage(load_prompt("math_specialist")), HumanMessage(question)]).text
            right_math += last_number(reply) == want
        math_s = (time.perf_counter() - started) / len(MATH_CASES)
        row = (
            f"| {entry.title} | {right_route}/{len(ROUTER_CASES)} | {route_s:.1f} | "
            f"{right_math}/{len(MATH_CASES)} | {math_s:.1f} |"
        )
        print(row, flush=True)
        lines.append(row)
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        write_section("role-models", "Embedded router and math models", body)


if __name__ == "__main__":
    main()
