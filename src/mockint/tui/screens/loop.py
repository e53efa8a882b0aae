"""A whole interview loop (the Pinterest AI-PM loop): its rounds in order, each practised as a normal
round, and the hiring committee's view across them, updated as grades come in."""

from __future__ import annotations

import asyncio
from typing import ClassVar

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Markdown, Static

from mockint.report.scores import format_verdict, verdict_and_score
from mockint.services.loops import LoopRun, RoundState
from mockint.tui.data import PracticeRequest
from mockint.tui.widgets.footer import KeysFooter


def committee_markdown(states: list[RoundState], loop_id: str) -> str:
    """The committee's recommendation with its reasons, by the loop's own rules."""
    from mockint.grading.committee import decide
    from mockint.rounds import load_loop

    spec = load_loop(loop_id)
    grades = {s.round.id: s.grade for s in states if s.grade is not None}
    decision = decide(spec, grades)
    practisable = [s for s in states if s.practisable]
    graded = [s for s in practisable if s.grade is not None]
    count = f"{len(graded)} of {len(practisable)} practised rounds graded."
    if not graded:  # no evidence yet: a recommendation now would be a guess
        return "\n".join(["### Committee: *pending*", "", count, "", "The committee decides once a round is graded.", ""])
    head = f"**{format_verdict(decision.recommendation).capitalize()}**"
    if len(graded) < len(practisable):
        head += " *(so far)*"
    out = [f"### Committee: {head}", "", count, ""]
    if decision.reasons:
        out += ["Why:", ""] + [f"- {escape_md(r)}" for r in decision.reasons] + [""]
    else:
        out += ["Every rule of the loop is met.", ""]
    return "\n".join(out)


NARROW = 100


def loop_row(state: RoundState, *, narrow: bool) -> tuple[str, ...]:
    """Round, minutes, the round practised for it, status and result (`no hire · 41/100`). Below 100 columns the
    practised round is left out (opening the round shows it), so the others show whole at 80 columns."""
    result = verdict_and_score(state.grade.verdict, state.grade.score) if state.grade else "—"
    practised = () if narrow else (state.round.round or "—",)
    return (state.round.title, str(state.round.minutes), *practised, state.status, result)


COLUMNS = ("round", "min", "practised as", "status", "result")


def escape_md(text: str) -> str:
    return text.replace("*", r"\*").replace("_", r"\_")


class LoopScreen(Screen[None]):
    CSS_PATH = "loop.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "next_round", "Next round", tooltip="Start (or resume) the next round not yet finished"),
        Binding("n", "new_run", "New loop", tooltip="Start the loop afresh (the old run stays saved)"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, request: PracticeRequest, loop_id: str, run: LoopRun | None = None) -> None:
        super().__init__()
        self.base = request
        self.loop_id = loop_id
        self.run = run
        self.states: list[RoundState] = []
        self.committee_text = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="loop-title")
        yield DataTable(id="loop-rounds", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="loop-committee"):
            yield Markdown("", id="committee")
        yield KeysFooter()

    def on_mount(self) -> None:
        from mockint.rounds import load_loop

        spec = load_loop(self.loop_id)
        self.title = "mockint"
        self.sub_title = spec.title
        table = self.query_one("#loop-rounds", DataTable)
        table.cursor_type = "row"
        self.query_one("#loop-title", Static).update("Reading the loop…")
        table.focus()
        self.refresh_states()

    def show_title(self) -> None:
        assert self.run is not None
        self.query_one("#loop-title", Static).update(
            f"started {escape(self.run.started[:16].replace('T', ' '))} · enter: open a round · ctrl+s: the next one"
        )

    def on_screen_resume(self) -> None:
        self.refresh_states()

    @work(exclusive=True, group="loop")
    async def refresh_states(self) -> None:
        from mockint.rounds import load_loop

        if self.run is None:  # the kept run, or a fresh one: file I/O, so here in the worker
            self.run = await asyncio.to_thread(lambda: LoopRun.latest(self.loop_id) or LoopRun.new(self.loop_id))
            self.show_title()
        run = self.run
        self.states = await asyncio.to_thread(lambda: run.states(load_loop(self.loop_id)))
        self.fill_table()
        text = await asyncio.to_thread(committee_markdown, self.states, self.loop_id)
        self.committee_text = text
        await self.query_one("#committee", Markdown).update(text)

    def fill_table(self) -> None:
        table = self.query_one("#loop-rounds", DataTable)
        narrow = self.size.width < NARROW
        row = table.cursor_row
        table.clear(columns=True)
        table.add_columns(*(c for c in COLUMNS if not (narrow and c == "practised as")))
        for s in self.states:
            table.add_row(*loop_row(s, narrow=narrow), key=s.round.id)
        table.move_cursor(row=min(row, max(0, table.row_count - 1)))

    def on_resize(self) -> None:
        """Crossing 100 columns adds or drops the practised-round column."""
        if self.states:
            self.fill_table()

    def _request_for(self, state: RoundState) -> PracticeRequest:
        assert self.run is not None and state.round.round is not None
        path = self.run.transcript_path(state.round.id, state.round.round)
        resume = path if path.exists() else None
        return PracticeRequest(
            round_id=state.round.round,
            track=self.base.track or "ai_pm",
            company=self.base.company,
            mode=self.base.mode,
            seed=self.base.seed,
            out=None if resume else path,
            resume=resume,
            backend=self.base.backend,
            minutes=state.round.minutes,
        )

    def open_round(self, state: RoundState) -> None:
        if not state.practisable:
            self.notify(f"{state.round.title} is not a round mockint practises ({state.round.focus}).")
            return
        if state.finished and state.path is not None:
            self.app.open_transcript(state.path)  # type: ignore[attr-defined]
            return
        self.start(state)

    @work(exclusive=True, group="loop-open")
    async def start(self, state: RoundState) -> None:
        """Assigning the round its transcript saves the run (an fsynced write): in a thread."""
        request = await asyncio.to_thread(self._request_for, state)
        self.app.start_round(request)  # type: ignore[attr-defined]

    @on(DataTable.RowSelected, "#loop-rounds")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        state = next((s for s in self.states if s.round.id == event.row_key.value), None)
        if state is not None:
            self.open_round(state)

    def action_next_round(self) -> None:
        pending = next((s for s in self.states if s.practisable and not s.finished), None)
        if pending is None:
            self.notify("Every round of the loop is done: the committee's view is below.")
            return
        self.open_round(pending)

    @work(exclusive=True, group="loop-new")
    async def start_new_run(self) -> None:
        self.run = await asyncio.to_thread(LoopRun.new, self.loop_id)
        self.show_title()
        self.notify("A fresh loop: your earlier rounds stay saved as transcripts.")
        self.refresh_states()

    def action_new_run(self) -> None:
        from mockint.tui.screens.confirm import ConfirmScreen

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.start_new_run()

        self.app.push_screen(
            ConfirmScreen(
                "Start the loop afresh? This run's rounds stay saved as transcripts.", yes="New loop", no="Keep this one"
            ),
            confirmed,
        )
