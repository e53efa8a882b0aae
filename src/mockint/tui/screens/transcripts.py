"""Saved transcripts: a filterable list, and a reader that grades with any rubric and compares grades.

Grading runs in a worker; every grade of the open transcript is kept, and the latest two are compared
criterion by criterion so you can see what moved when the rubric (or your rubric edit) changed.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.markup import escape
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, Markdown, Select, Static

from mockint.errors import MockintError
from mockint.report.compare import CriterionChange
from mockint.report.scores import format_score, verdict_and_score
from mockint.tui.data import SessionInfo, bar, compare_grades, scan_sessions, short
from mockint.tui.widgets.chat import hard_breaks
from mockint.tui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from mockint.domain.grade import Grade
    from mockint.domain.transcript import Transcript
    from mockint.rubrics import LoadedRubric


class TranscriptsScreen(Screen[None]):
    """Every native transcript in the store, newest first; `/` filters, enter opens."""

    CSS_PATH = "transcripts.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_filter", "Filter", tooltip="Filter by date, round, status or id"),
        Binding("escape", "back", "Back", tooltip="Clear the filter, or go back"),
        Binding("f5", "reload", "Reload", tooltip="Read the transcript folder again"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sessions: list[SessionInfo] = []
        self.shown: list[SessionInfo] = []

    def compose(self) -> ComposeResult:
        yield Static("Transcripts", id="heading")
        yield Input(placeholder="Filter: round, date, finished, resumable… ( / )", id="filter")
        yield DataTable(id="list", cursor_type="row", zebra_stripes=True)
        yield Static("", id="count")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#list", DataTable).focus()
        self.action_reload()

    @work(exclusive=True, group="scan")
    async def action_reload(self) -> None:
        self.sessions = await asyncio.to_thread(scan_sessions)
        self.refill()

    @property
    def narrow(self) -> bool:
        return self.size.width < NARROW

    def on_resize(self) -> None:
        if self.sessions:
            self.refill()

    def refill(self) -> None:
        """Date, round, answers, result (`no hire · 72/100`, or the state) and file; below 100 columns the file
        name moves to the line under the list (for the highlighted row), so every column shows whole."""
        needle = self.query_one("#filter", Input).value
        shown = [s for s in self.sessions if s.matches(needle)]
        table = self.query_one("#list", DataTable)
        highlighted = self.highlighted_path()
        table.clear(columns=True)
        table.add_column("date", key="date")
        table.add_column("round", key="round")
        table.add_column("answers", key="answers")
        table.add_column("result", key="result")
        if not self.narrow:
            table.add_column("file", key="file")
        for s in shown:
            row = [when_text(s), s.round, str(s.answers), list_result(s)]
            if not self.narrow:
                row.append(escape(s.path.name))
            table.add_row(*row, key=str(s.path))
        index = next((i for i, s in enumerate(shown) if str(s.path) == highlighted), 0)
        if shown:
            table.move_cursor(row=index)
        self.shown = shown
        self.update_count()

    def highlighted_path(self) -> str | None:
        table = self.query_one("#list", DataTable)
        if not table.row_count:
            return None
        try:
            return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        except Exception:  # no rows, or the cursor is past them
            return None

    def update_count(self) -> None:
        total = len(self.sessions)
        where = ""
        try:
            from mockint import config

            where = f" in {config.transcripts_dir()}" if total == 0 else ""
        except (OSError, MockintError):
            pass
        line = f"{len(self.shown)} of {total} transcript{'s' if total != 1 else ''}{where} · enter opens"
        current = self.highlighted_path()
        if self.narrow and current:
            line += f" · {Path(current).name}"
        self.query_one("#count", Static).update(escape(line))

    @on(DataTable.RowHighlighted, "#list")
    def row_highlighted(self) -> None:
        if self.narrow:
            self.update_count()

    @on(Input.Changed, "#filter")
    def filter_changed(self) -> None:
        self.refill()

    @on(Input.Submitted, "#filter")
    def filter_submitted(self) -> None:
        """Enter in the filter opens the highlighted row (the first match), as Enter in the list does."""
        self.query_one("#list", DataTable).focus()
        current = self.highlighted_path()
        if current:
            self.open(current)

    @on(DataTable.RowSelected, "#list")
    def opened(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.open(event.row_key.value)

    def open(self, key: str) -> None:
        chosen = next((s for s in self.sessions if str(s.path) == key), None)
        if chosen is not None and chosen.error:
            self.notify(chosen.error, title="Cannot open", severity="error")
            return
        self.app.push_screen(TranscriptScreen(Path(key)))

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_back(self) -> None:
        box = self.query_one("#filter", Input)
        if box.value:
            box.value = ""
            self.query_one("#list", DataTable).focus()
            return
        self.app.pop_screen()


TITLE_WIDTH = 22
NARROW = 100


def when_text(session: SessionInfo) -> str:
    if session.started is None:
        return "—"
    return session.started.astimezone().strftime("%m-%d %H:%M")


def list_result(session: SessionInfo) -> str:
    """The verdict and score when graded, else where the round stands."""
    if session.verdict and not session.error:
        return verdict_and_score(session.verdict, session.score)
    return session.status


def same_grade(grades: list[tuple[Grade, LoadedRubric]], grade: Grade) -> int | None:
    """The number (#1, #2…) of a listed grade of the same work (transcript, rubric file, grader, samples)."""
    from mockint.gradestore import key_of

    key = key_of(grade)
    if key is None:
        return None
    for i, (listed, _) in enumerate(grades, start=1):
        if key_of(listed) == key:
            return i
    return None


def comparison_line(before: Grade, after: Grade, rows: list[CriterionChange]) -> str:
    """`Score 51 → 31 (-20) · 2 of 6 shared criteria moved · 6 only in #1 …`: what changed, in a line."""
    shared = [r for r in rows if r.before is not None and r.after is not None]
    parts = [f"Score {format_score(before.score)} → {format_score(after.score)} ({after.score - before.score:+.0f})"]
    if before.rubric != after.rubric:
        parts.insert(0, f"Different rubrics ({before.rubric} → {after.rubric}): the scores measure different things")
    parts.append(f"{sum(r.moved for r in shared)} of {len(shared)} shared criteria moved")
    only_before = sum(1 for r in rows if r.after is None)
    only_after = sum(1 for r in rows if r.before is None)
    if only_before or only_after:
        parts.append(f"{only_before} only in the first, {only_after} only in the second")
    return " · ".join(parts)


def transcript_markdown(transcript: Transcript) -> str:
    """Turns with the numbers evidence cites; candidate turns marked so they stand out."""
    out: list[str] = []
    for turn in transcript.turns:
        who = "**You**" if turn.speaker == "candidate" else "Interviewer"
        cut = " *(cut off)*" if turn.partial else ""
        out.append(f"**[{turn.index}]** {who}{cut}\n")
        text = turn.text.strip()
        out.append((hard_breaks(text) if turn.speaker == "candidate" else text) + "\n")
    return "\n".join(out) or "*(no turns)*"


def grader_choices() -> list[tuple[str, str]]:
    """The offline grader always; the model grader when an endpoint is configured."""
    from mockint.settings import current

    choices = [("Offline grader", "offline")]
    try:
        settings = current()
    except MockintError:
        return choices
    if settings.endpoint_configured:
        choices.append((f"Model grader: {settings.grader_model}", "llm"))
    return choices


def default_grader_choice() -> str:
    from mockint.settings import current

    try:
        return "llm" if current().llm_enabled else "offline"
    except MockintError:
        return "offline"


def kept_grades(path: Path) -> list[tuple[Grade, LoadedRubric]]:
    """The grades kept beside this transcript, oldest first, with their rubric (when it still exists)."""
    from mockint.gradestore import grades_for
    from mockint.rubrics import resolve

    out = []
    for _, grade in grades_for(path):
        try:
            out.append((grade, resolve(grade.rubric)))
        except MockintError:
            continue
    return out


class TranscriptScreen(Screen[None]):
    """One transcript: read it on the left; grade it with a rubric on the right and compare grades."""

    CSS_PATH = "transcripts.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("g", "grade", "Grade", tooltip="Grade with the rubric chosen above"),
        Binding("o", "open_report", "Report", tooltip="Open the latest grade as a full report"),
        Binding("p", "replay", "Replay", tooltip="Replay the round turn by turn (stepping or timed)"),
        Binding("escape", "back", "Back", tooltip="Back to the list"),
    ]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = Path(path)
        self.transcript: Transcript | None = None
        self.grades: list[tuple[Grade, LoadedRubric]] = []

    def compose(self) -> ComposeResult:
        yield Static(escape(self.path.name), id="heading")
        with Horizontal(id="panes"):
            with VerticalScroll(id="reader"):
                yield Markdown("Loading…", id="text")
            with Vertical(id="grading"):
                yield Label("Rubric (g grades)", id="rubric-label")
                yield Static("Loading rubrics…", id="rubric")  # replaced by the menu once the rubrics are read
                yield Select(grader_choices(), value=default_grader_choice(), allow_blank=False, id="grader", compact=True)
                yield Static("Not graded yet.", id="grades")
                yield DataTable(id="compare", cursor_type="row", zebra_stripes=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one("#compare", DataTable)
        table.display = False
        self.query_one("#panes").border_title = None
        self.load()

    def action_replay(self) -> None:
        from mockint.tui.screens.replay import ReplayScreen

        if self.transcript is not None and self.transcript.turns:
            self.app.push_screen(ReplayScreen(self.transcript, title=self.path.name))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "replay":
            return True if self.transcript is not None else None
        if action == "open_report":
            return True if self.grades else None
        if action == "grade":
            return True if self.transcript is not None else None
        return True

    @work(exclusive=True, group="load")
    async def load(self) -> None:
        from mockint.rubrics import list_all
        from mockint.transcripts.loading import load_any

        try:
            self.transcript = await asyncio.to_thread(load_any, self.path, require_candidate=False)
        except MockintError as exc:
            await self.query_one("#text", Markdown).update(f"**Could not read this file:** {exc}")
            return
        t = self.transcript
        status = "finished" if t.finished else "resumable"
        when = t.meta.started.astimezone().strftime("%Y-%m-%d %H:%M") if t.meta.started else "—"
        self.query_one("#heading", Static).update(
            f"[b]{escape(t.meta.round or 'transcript')}[/b] · {when} · {len(t.turns)} turns · {status} · {escape(self.path.name)}"
        )
        await self.query_one("#text", Markdown).update(transcript_markdown(t))
        self.refresh_bindings()
        rubrics = await asyncio.to_thread(list_all)
        options = []
        for row in rubrics:
            if isinstance(row, tuple):
                continue
            r = row.rubric
            options.append((f"{r.id} v{r.version}" + ("" if row.builtin else " (yours)"), r.id))
        ids = [value for _, value in options]
        placeholder = self.query_one("#rubric")
        if ids:
            chosen = t.meta.rubric if t.meta.rubric in ids else ids[0]
            await placeholder.remove()
            select = Select(options, value=chosen, allow_blank=False, id="rubric", compact=True)
            await self.query_one("#grading").mount(select, after=self.query_one("#rubric-label"))
        else:
            placeholder.update("No rubric loads: see Rubrics (r on the home screen).")  # type: ignore[attr-defined]
        self.grades = await asyncio.to_thread(kept_grades, self.path)
        if self.grades:
            self.show_grades()
            self.refresh_bindings()
        graded = {g.rubric for g, _ in self.grades}
        if t.meta.rubric in ids and t.candidate_turns() and t.meta.rubric not in graded:
            self.action_grade()

    @work(exclusive=True, group="grading")
    async def action_grade(self) -> None:
        from mockint.rubrics import resolve
        from mockint.tui.screens.uses import grade_and_keep

        select = self.query_one("#rubric")
        if self.transcript is None or not isinstance(select, Select) or select.value is Select.NULL:
            self.notify(
                "The rubrics are still loading." if self.transcript else "The transcript is still loading.", severity="warning"
            )
            return
        ident = str(select.value)
        self.query_one("#grades", Static).update(self.grades_text() + f"\nGrading with {escape(ident)}…")
        try:
            loaded = await asyncio.to_thread(resolve, ident)
            grader = str(self.query_one("#grader", Select).value)
            grade = await asyncio.to_thread(grade_and_keep, str(self.path), loaded, grader=grader)
        except MockintError as exc:
            self.query_one("#grades", Static).update(self.grades_text())
            self.notify(str(exc), title="Could not grade", severity="error", timeout=10)
            return
        same = same_grade(self.grades, grade)
        if same is not None:  # the store keeps one copy of identical work; so does this list
            self.query_one("#grades", Static).update(self.grades_text())
            self.show_grades()
            self.notify(f"Same grade as #{same}: same transcript, rubric and grader, so it is listed once.", timeout=6)
            return
        self.grades.append((grade, loaded))
        self.show_grades()
        self.refresh_bindings()

    def grades_text(self) -> str:
        lines = []
        for i, (g, _) in enumerate(self.grades[-4:], start=max(1, len(self.grades) - 3)):
            lines.append(f"#{i} {escape(g.rubric)} v{g.rubric_version} · [b]{verdict_and_score(g.verdict, g.score)}[/b]")
        return "\n".join(lines) or "Not graded yet."

    def show_grades(self) -> None:
        """Latest grade's criteria; with two or more grades, the last two side by side and what moved."""
        self.query_one("#grades", Static).update(self.grades_text())
        table = self.query_one("#compare", DataTable)
        table.clear(columns=True)
        table.display = True
        latest, _ = self.grades[-1]
        width = TITLE_WIDTH - 4 if self.size.width < NARROW else TITLE_WIDTH  # "gone" in Δ shows whole at 80
        colours = self.app.theme_variables
        if len(self.grades) == 1:
            table.add_column("criterion", width=width)
            table.add_column("score")
            table.add_column("")
            for c in latest.criteria:
                table.add_row(
                    escape(short(c.title or c.id, width)),
                    "–" if c.score is None else f"{c.score:g}/{c.max}",
                    bar(c.score, c.max, 6),
                )
            return
        before, _ = self.grades[-2]
        n = len(self.grades)
        table.add_column("criterion", width=width)
        table.add_column(f"#{n - 1}")
        table.add_column(f"#{n}")
        table.add_column("Δ")
        rows = compare_grades(before, latest)
        for row in sorted(rows, key=lambda r: not r.moved):
            delta = row.delta
            if delta is None:
                mark = Text("new" if row.before is None else "gone", style=colours.get("text-muted", "dim"))
            elif delta > 0:
                mark = Text(f"+{delta:g}", style=colours.get("success", "green"))
            elif delta < 0:
                mark = Text(f"{delta:g}", style=colours.get("error", "red"))
            else:
                mark = Text("=", style="dim")
            table.add_row(
                escape(short(row.title, width)),
                "–" if row.before is None else f"{row.before:g}",
                "–" if row.after is None else f"{row.after:g}",
                mark,
            )
        self.query_one("#grades", Static).update(self.grades_text() + "\n" + comparison_line(before, latest, rows))

    def action_open_report(self) -> None:
        if not self.grades or self.transcript is None:
            return
        from mockint.tui.screens.report import ReportScreen

        grade, loaded = self.grades[-1]
        self.app.push_screen(ReportScreen(self.transcript, loaded, self.path, grade=grade))

    def action_back(self) -> None:
        self.app.pop_screen()
