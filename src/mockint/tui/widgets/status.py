"""The interview's status line: round, interviewer, question count and time left, updated every second."""

from __future__ import annotations

from textual.markup import escape
from textual.widgets import Static


def clock_text(minutes_left: float) -> str:
    """`mm:ss left`, or how far over time the round has run."""
    seconds = round(minutes_left * 60)
    sign = "" if seconds >= 0 else "over "
    m, s = divmod(abs(seconds), 60)
    return f"{m:02d}:{s:02d} left" if not sign else f"{sign}{m:02d}:{s:02d}"


class RoundStatus(Static):
    """One line, so it fits at 80 columns: `Product sense · Q 2/7 · 43:10 left · coach · saving`."""

    DEFAULT_CSS = """
    RoundStatus {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $foreground;
    }
    """

    def show(self, *, title: str, question: int, max_questions: int, minutes_left: float, mode: str, state: str = "") -> None:
        parts = [f"[b]{escape(title)}[/b]", f"Q {question}/{max_questions}", clock_text(minutes_left), mode]
        if state:
            parts.append(f"[i]{escape(state)}[/i]")
        self.update(" · ".join(parts))
