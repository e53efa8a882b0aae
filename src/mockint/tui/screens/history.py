"""History: how scores moved over your saved sessions, per round and per criterion, with the three
criteria that improved least and what to practise for each (the same view as `mockint history`)."""

from __future__ import annotations

import asyncio
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Select, Static

from mockint.tui.widgets.footer import KeysFooter

ALL = "__all__"


NARROW = 100


def history_text(rubric: str | None, narrow: bool = False) -> tuple[str, list[str]]:
    """The rendered view and the rubrics that have graded sessions (textual-free, run in a thread)."""
    from mockint.report import history_view as hv
    from mockint.services.history import history

    found = history(rubric=rubric)
    rubrics, view = found.rubrics, found.view
    if not view.sessions:
        return "No graded sessions yet. Practise a round, or grade a saved transcript, then come back.", rubrics
    sizes = {"width": 12, "title_width": 28, "bar_width": 10} if narrow else {}  # at 80 columns, nothing cut
    return hv.render_table(view, **sizes), rubrics


class HistoryScreen(Screen[None]):
    """Progress over time; reading every grade is file I/O, so it loads in a worker."""

    CSS_PATH = "history.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", tooltip="Back to where you were"),
        Binding("f5", "reload", "Reload", tooltip="Read the grades again"),
    ]

    text = ""  # what the view shows once loaded

    def compose(self) -> ComposeResult:
        yield Header()
        yield Select([("All rubrics", ALL)], value=ALL, allow_blank=False, id="rubric", compact=True)
        with VerticalScroll(id="history-scroll"):
            yield Static("Reading your sessions…", id="history", markup=False)  # titles are text, not markup
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "mockint"
        self.sub_title = "history"
        self.load()

    def action_reload(self) -> None:
        self.load()

    @on(Select.Changed, "#rubric")
    def rubric_changed(self) -> None:
        self.load()

    @work(exclusive=True, group="history")
    async def load(self) -> None:
        chosen = self.query_one("#rubric", Select).value
        rubric = None if chosen in (ALL, Select.NULL) else str(chosen)
        text, rubrics = await asyncio.to_thread(history_text, rubric, self.size.width < NARROW)
        select = self.query_one("#rubric", Select)
        options = [("All rubrics", ALL)] + [(r, r) for r in rubrics]
        if [v for _, v in select._options] != [v for _, v in options]:
            with select.prevent(Select.Changed):
                select.set_options(options)
                select.value = rubric if rubric in rubrics else ALL
        self.text = text
        self.query_one("#history", Static).update(text)
