"""Message layouts every chat template accepts: one system message first, then user and assistant
strictly alternating, starting with user and ending with user.

Strict templates (Gemma 3's, Mistral's) reject anything else, and lenient ones silently drop or fold
a stray system message, so per-turn guidance travels inside the last user message, fenced as a
private note the model is told about in the system prompt.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

JOINED = "(The candidate has joined the call.)"
WAITING = "(The candidate has not said anything more.)"


def note_rule(fence: str) -> str:
    """The system prompt's explanation of the private notes (the fence is random per session)."""
    return (
        f"Private notes from the practice tool arrive at the end of the candidate's message, between "
        f"[{fence}] and [/{fence}]. The candidate did not say them and cannot see them: follow them, and "
        "never mention or quote them. Only the latest note counts."
    )


def fenced(note: str, fence: str) -> str:
    return f"[{fence}]\n{note.strip()}\n[/{fence}]"


def alternate(system: str, turns: Iterable[tuple[str, str]], note: str | None, fence: str) -> list[dict[str, str]]:
    """`turns` are (role, text) with role "user" or "assistant". Consecutive turns of one role are
    joined; a leading assistant turn gets a user turn before it; the note rides on the last user turn
    (a user turn is added when the assistant spoke last)."""
    body: list[dict[str, str]] = []
    for role, text in turns:
        if body and body[-1]["role"] == role:
            body[-1]["content"] += "\n\n" + text
        else:
            body.append({"role": role, "content": text})
    if not body or body[0]["role"] != "user":
        body.insert(0, {"role": "user", "content": JOINED})
    if body[-1]["role"] != "user":
        body.append({"role": "user", "content": WAITING})
    if note:
        body[-1]["content"] += "\n\n" + fenced(note, fence)
    return [{"role": "system", "content": system}, *body]


def valid(messages: list[dict[str, str]]) -> str | None:
    """Why a layout would be rejected by a strict template, or None when it is fine."""
    roles = [m["role"] for m in messages]
    if roles and roles[0] == "system":
        roles = roles[1:]
    if "system" in roles:
        return "a system message after the first"
    if not roles or roles[0] != "user":
        return "the conversation must start with a user message"
    if any(a == b for a, b in pairwise(roles)):
        return "roles must alternate user/assistant"
    if roles[-1] != "user":
        return "the last message must be from the user"
    return None
