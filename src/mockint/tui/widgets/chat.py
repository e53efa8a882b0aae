"""Conversation widgets: one message per turn, headed by who spoke and the turn number evidence cites."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, Markdown


def hard_breaks(text: str) -> str:
    """Answers are typed line by line: keep single line breaks (Markdown would join them into one paragraph)."""
    return re.sub(r"(?<!\n)[ \t]*\n(?!\n)", "  \n", text)


class ChatMessage(Vertical):
    """A turn of the round. Interviewer turns are Markdown (streamed); answers are shown as typed."""

    DEFAULT_CSS = """
    ChatMessage {
        height: auto;
        margin: 0 0 1 0;
        padding: 0 1;
        border-left: wide $primary;
    }
    ChatMessage.-candidate { border-left: wide $secondary; }
    ChatMessage.-hint { border-left: wide $warning; }
    ChatMessage.-note { border-left: wide $success; }
    ChatMessage > Label { color: $text-muted; text-style: bold; }
    ChatMessage > Markdown { margin: 0; padding: 0; background: transparent; }
    ChatMessage > Markdown > MarkdownParagraph:last-child { margin-bottom: 0; }
    """

    def __init__(self, who: str, text: str = "", *, kind: str = "interviewer", turn: int | None = None) -> None:
        super().__init__(classes=f"-{kind}")
        self.who = who
        self.kind = kind
        self.turn = turn
        self._initial = text

    def compose(self) -> ComposeResult:
        yield Label(self._heading(), id="who")
        yield Markdown(hard_breaks(self._initial) if self.kind == "candidate" else self._initial)

    def _heading(self) -> str:
        return f"[{self.turn}] {self.who}" if self.turn is not None else self.who

    def set_turn(self, turn: int | None) -> None:
        """Number the message once the turn is saved (the number evidence quotes cite)."""
        self.turn = turn
        if self.is_mounted:
            self.query_one("#who", Label).update(self._heading())

    @property
    def body(self) -> Markdown:
        return self.query_one(Markdown)
