"""Score it yourself: each criterion's anchors and a level to choose; dismisses with the levels, or None."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, Static

from mockint.domain.rubric import Criterion, Rubric


def anchors_text(rubric: Rubric, crit: Criterion) -> Text:
    """The criterion's anchors, one line per level (plain text: rubric text is never markup)."""
    lines = [f"{level.score} {level.label}: {crit.anchors[level.score].strip()}" for level in rubric.scale]
    return Text("\n".join(lines))


class ScoreScreen(ModalScreen[dict[str, int] | None]):
    """A level per criterion against its anchors; ctrl+s keeps them (every criterion needs one), escape cancels."""

    CSS_PATH = "score_self.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "keep", "Keep my scores", tooltip="Keep your levels as your own grade of this round"),
        Binding("escape", "cancel", "Cancel", tooltip="Close without keeping anything"),
    ]

    def __init__(self, rubric: Rubric, *, first: bool = False) -> None:
        super().__init__()
        self.rubric = rubric
        self.first = first

    def compose(self) -> ComposeResult:
        options = [(f"{level.score} {level.label}", level.score) for level in self.rubric.scale]
        with Vertical(id="dialog"):
            heading = "Score it yourself" + (", before you see the grade" if self.first else "")
            yield Label(f"[b]{heading}[/b]: choose a level for each criterion", id="heading")
            with VerticalScroll(id="levels"):
                for crit in self.rubric.criteria:
                    yield Label(Text(crit.title + (" (must pass)" if crit.must_pass else ""), style="bold"), classes="title")
                    yield Static(anchors_text(self.rubric, crit), classes="anchors")
                    yield Select(options, prompt="level", id=f"level-{crit.id}", compact=True)
            yield Static("", id="problem")
            with Horizontal(id="buttons"):
                yield Button("Keep (ctrl+s)", id="keep", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def levels(self) -> dict[str, int]:
        chosen: dict[str, int] = {}
        for crit in self.rubric.criteria:
            value = self.query_one(f"#level-{crit.id}", Select).value
            if isinstance(value, int):
                chosen[crit.id] = value
        return chosen

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "keep":
            self.action_keep()
        else:
            self.action_cancel()

    def action_keep(self) -> None:
        chosen = self.levels()
        missing = [c.title for c in self.rubric.criteria if c.id not in chosen]
        if missing:
            self.query_one("#problem", Static).update(Text(f"Choose a level for: {'; '.join(missing)}"))
            return
        self.dismiss(chosen)

    def action_cancel(self) -> None:
        self.dismiss(None)
