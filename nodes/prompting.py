"""What a tier's model is sent: its role prompt, the trimmed conversation, and review feedback."""

from __future__ import annotations

from langchain_core.messages import AnyMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.messages.utils import count_tokens_approximately, trim_messages

from coding_director.core.team import tier_title
from coding_director.prompts import load_prompt, render_prompt
from coding_director.state import Attempt

#: Room left for the reply when trimming history to the model's context.
REPLY_RESERVE = 0.25
_FAILED_ANSWER_CHARS = 2000
#: Characters per token assumed when the newest request alone must be cut: short tokens ("x x x", code,
#: digits) run about two characters each, so a cut at the usual three or four overflows a real context.
CUT_CHARS_PER_TOKEN = 2


def feedback_message(failed: list[Attempt], hint: str = "", show_answer: bool = True) -> HumanMessage | None:
    """The reasons earlier attempts failed, and (with `show_answer`) the last failed answer, for the next tier."""
    if not failed:
        return None
    reasons = []
    for attempt in failed:
        why = attempt["verdict"]["reasons"] if attempt["verdict"] else [attempt["error"] or "failed"]
        reasons += [f"- ({tier_title(attempt['tier'])}) {reason}" for reason in why]
    last = next((a for a in reversed(failed) if a["answer"].strip()), failed[-1])
    shown = ""
    if show_answer:
        answer = last["answer"].strip() or "(no answer)"
        if len(answer) > _FAILED_ANSWER_CHARS:
            answer = answer[:_FAILED_ANSWER_CHARS] + "\n[…]"
        shown = "\n" + render_prompt("feedback_answer", answer=answer) + "\n"
    text = render_prompt("feedback", role=tier_title(last["tier"]), reasons="\n".join(reasons), failed_answer=shown)
    if hint:
        text += "\n\n" + render_prompt("human_hint", hint=hint)
    return HumanMessage(text)


def prompt_for(
    prompt_name: str,
    history: list[AnyMessage],
    failed: list[Attempt],
    context_tokens: int,
    hint: str = "",
    show_answer: bool = True,
) -> tuple[list[BaseMessage], str | None]:
    """System prompt + the newest history that fits the context + feedback on failed attempts.

    The caller's own system messages (an editor's instructions, sent over `serve`) join the tier's
    system prompt, capped at a quarter of the context, so trimming the history never drops them.
    Returns the messages and, when the newest request itself had to be cut, a notice for the user.
    """
    own = "\n\n".join(m.text for m in history if m.type == "system" and m.text.strip())
    history = [m for m in history if m.type != "system"]
    if own:
        room = context_tokens // 4 * CUT_CHARS_PER_TOKEN
        own = own if len(own) <= room else own[:room] + "\n[… cut to fit the model's context]"
    system = SystemMessage(
        load_prompt(prompt_name) + (f"\n\n{render_prompt('caller_system', text=own)}" if own else "")
    )
    extra = feedback_message(failed, hint, show_answer)
    tail = [extra] if extra else []
    budget = int(context_tokens * (1 - REPLY_RESERVE)) - count_tokens_approximately([system, *tail])
    kept = trim_messages(
        history,
        max_tokens=max(budget, 1),
        token_counter=count_tokens_approximately,
        strategy="last",
        start_on="human",
        allow_partial=False,
    )
    notice = None
    if not kept and history:  # the newest message alone is too long: keep its start, say so
        newest = history[-1].text
        chars = max(budget, 64) * CUT_CHARS_PER_TOKEN
        kept = [HumanMessage(newest[:chars] + "\n[… the rest was cut to fit the model's context]")]
        notice = (
            f"your request is about {count_tokens_approximately([history[-1]]):,} tokens and the model reads "
            f"{context_tokens:,}: only its first {chars:,} of {len(newest):,} characters were sent"
        )
    return [system, *kept, *tail], notice
