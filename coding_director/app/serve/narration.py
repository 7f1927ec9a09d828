"""What a client is shown of a run: progress on the reasoning channel, the answer's content (after a
pass, or as written when provisional), and the summary of what really happened (body, last chunk, headers)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from coding_director.app.serve.errors import ServeError
from coding_director.core.team import TIERS, tier_title
from coding_director.nodes.finish import best_attempt, reasons_of

EventKind = Literal["route", "progress", "content", "done", "error", "keepalive"]
"""`route` (the category, as soon as it is known) is for the headers of a response not yet started."""


@dataclass(frozen=True)
class Event:
    kind: EventKind
    text: str = ""
    summary: dict[str, Any] | None = None
    error: ServeError | None = None


class Narrator:
    """Turns the graph's updates and tokens into what a client shows: progress on the reasoning
    channel, and the answer's content (after validation; or as written, when provisional)."""

    def __init__(self, provisional: bool, emit: Callable[[Event], None]):
        self.provisional = provisional
        self.emit = emit
        self.streaming_tier: str | None = None
        self.shown = ""
        """What the tier streaming now has written so far (provisional mode)."""
        self.streamed_any = False

    def progress(self, text: str) -> None:
        self.emit(Event("progress", text + "\n"))

    def on_update(self, node: str, change: Any) -> None:
        if not isinstance(change, dict):
            return
        if node == "route" and "route" in change:
            route, decision = change["route"], change.get("decision") or {}
            self.emit(Event("route", str(route["category"])))
            line = f"Routed to {route['category']} ({route['source']}, confidence {route['confidence']:.2f})"
            for skipped in change.get("skipped") or []:
                line += f"; skipping the {tier_title(skipped['tier'])}: {skipped['why']}"
            following = decision.get("next")
            if change.get("cached"):
                line += "; answered from the cache (it passed review before)"
            elif following in TIERS:
                line += f"; the {tier_title(following)} is answering"
            elif decision.get("why"):
                line += f"; {decision['why']}"
            self.progress(line + ".")
        elif node == "validate" and change.get("attempts"):
            self._on_verdict(change["attempts"][-1], change.get("decision") or {})

    def _on_verdict(self, attempt: dict[str, Any], decision: dict[str, Any]) -> None:
        verdict = attempt.get("verdict") or {}
        who = f"the {tier_title(attempt['tier'])} ({attempt['model']})"
        following = decision.get("next")
        if verdict.get("passed"):
            self.progress(f"✓ {who} passed review: {verdict.get('evidence') or 'checks passed'}.")
            return
        why = "; ".join(reasons_of(attempt))  # type: ignore[arg-type]
        line = f"✗ {who} failed review: {why}."
        if following in TIERS:
            line += f" Escalating: the {tier_title(following)} is answering."
            if self.provisional and self.streaming_tier == attempt["tier"]:
                self.emit(
                    Event(
                        "content",
                        f"\n\n---\n✗ The {tier_title(attempt['tier'])}'s answer above failed review: {why}\n"
                        f"The {tier_title(following)} answers next:\n\n",
                    )
                )
        elif decision.get("why"):
            line += f" Stopping: {decision['why']}."
        self.progress(line)

    def on_token(self, chunk: Any, metadata: dict[str, Any]) -> None:
        if not self.provisional:
            return
        node = metadata.get("langgraph_node")
        text = getattr(chunk, "text", "") if node in TIERS else ""
        if not isinstance(text, str) or not text:
            return
        if node != self.streaming_tier:
            self.streaming_tier, self.shown = node, ""
        self.shown += text
        self.streamed_any = True
        self.emit(Event("content", text))

    def final_content(self, final: str) -> str:
        """The content still to send once the run is done: all of it, unless provisional streaming has
        already shown its beginning (then only what the director added: notes, the review summary)."""
        if not self.provisional or not self.streamed_any:
            return final
        if self.shown and final.startswith(self.shown):
            return final[len(self.shown) :]
        return "\n\n---\n" + final


def summarise(result: dict[str, Any], seconds: float, *, provisional: bool, thread_id: str | None) -> dict[str, Any]:
    """The `coding_director` object: what really happened, for bodies, the last chunk, headers and the log."""
    attempts = result.get("attempts") or []
    cached = result.get("cached")
    route = result.get("route") or {}
    answered: dict[str, Any] | None = None
    if cached:
        answered = {"tier": cached["tier"], "model": cached["model"], "passed": True, "strength": None}
    elif attempts:
        best = best_attempt(attempts)
        verdict: dict[str, Any] = dict(best.get("verdict") or {})
        answered = {
            "tier": best["tier"],
            "model": best["model"],
            "passed": bool(verdict.get("passed")),
            "strength": verdict.get("strength"),
        }
    input_tokens = sum(a.get("input_tokens") or 0 for a in attempts)
    output_tokens = sum(a.get("output_tokens") or 0 for a in attempts)
    return {
        "request_id": result.get("request_id"),
        "thread_id": thread_id,
        "stream_mode": "provisional" if provisional else "verified",
        "route": {
            key: route[key] for key in ("category", "source", "confidence", "first_tier", "reasons") if key in route
        },
        "attempts": [
            {
                "tier": a["tier"],
                "model": a["model"],
                "passed": bool(a.get("verdict") and a["verdict"]["passed"]),
                "strength": (a.get("verdict") or {}).get("strength"),
                "reasons": reasons_of(a) if not (a.get("verdict") and a["verdict"]["passed"]) else [],
                "duration_s": a.get("duration_s"),
                "input_tokens": a.get("input_tokens"),
                "output_tokens": a.get("output_tokens"),
            }
            for a in attempts
        ],
        "answered_by": answered,
        "outcome": result.get("outcome"),
        "why": (result.get("decision") or {}).get("why", ""),
        "cached": bool(cached),
        "duration_s": round(seconds, 3),
        "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens},
        "finish_reason": "length" if attempts and best_attempt(attempts).get("done_reason") == "length" else "stop",
    }


def summary_headers(summary: dict[str, Any]) -> dict[str, str]:
    """X-Coding-Director-* headers: which route, which tiers with their verdicts, what answered, the outcome."""
    answered = summary.get("answered_by") or {}
    verdict = "passed" if answered.get("passed") else "failed" if answered else "none"
    if answered.get("strength"):
        verdict += f"; {answered['strength']}"
    tiers = ",".join(f"{a['tier']}:{'passed' if a['passed'] else 'failed'}" for a in summary["attempts"])
    headers = {
        "X-Coding-Director-Route": str(summary["route"].get("category", "")),
        "X-Coding-Director-Tiers": tiers or ("cache" if summary["cached"] else ""),
        "X-Coding-Director-Verdict": verdict,
        "X-Coding-Director-Model": str(answered.get("model", "")),
        "X-Coding-Director-Outcome": str(summary.get("outcome") or ""),
    }
    # header values are latin-1 on the wire; a model name is ASCII in practice, but never crash on one
    return {k: v.encode("latin-1", "replace").decode("latin-1") for k, v in headers.items()}
