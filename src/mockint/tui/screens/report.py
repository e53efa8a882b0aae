"""The grade of one transcript: verdict and score, a row per criterion with a score bar, and for the
highlighted criterion its evidence (turn numbers), rationale, what was missing and the rubric's probes."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.markup import escape
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, LoadingIndicator, Markdown, Static

from mockint.errors import MockintError
from mockint.tui.data import bar, export_markdown, short
from mockint.tui.widgets.footer import KeysFooter

TITLE_WIDTH = 36

if TYPE_CHECKING:
    from mockint.domain.grade import CriterionGrade, Delivery, Grade
    from mockint.domain.transcript import Transcript
    from mockint.rubrics import LoadedRubric


def criterion_markdown(crit: CriterionGrade, probes: list[str], transcript: Transcript | None) -> str:
    """What the detail pane shows: evidence first (the quotes are the grade's proof), then the rest."""
    score = "unscored" if crit.score is None else f"{crit.score:g}/{crit.max}"
    must = " · must pass" if crit.must_pass else ""
    out = [f"### {crit.title or crit.id} — {score}{must}", ""]
    if crit.evidence:
        out += ["**Evidence** (press j to open the transcript at each quote)", ""]
        for ev in crit.evidence:
            out.append(f"- turn {ev.turn}: “{ev.quote}”")
        out.append("")
    else:
        out += ["**Evidence:** none found in your answers.", ""]
    if crit.rationale:
        out += ["**Why this score**", "", crit.rationale, ""]
    if crit.missing:
        out += ["**Missing**", ""] + [f"- {m}" for m in crit.missing] + [""]
    if probes:
        out += ["**What an interviewer would ask**", ""] + [f"- {p}" for p in probes] + [""]
    return "\n".join(out)


class ReportScreen(Screen[None]):
    """Grades in a worker when given a transcript; shows a given grade at once."""

    CSS_PATH = "report.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "export", "Export .md", tooltip="Write this report as Markdown next to the transcript"),
        Binding("j", "jump", "Jump to evidence", tooltip="Open the transcript at this criterion's evidence (again: next)"),
        Binding("g", "grade_offline", "Grade offline", tooltip="The model grader failed: grade with the offline grader"),
        Binding("s", "score_self", "Score", tooltip="Your own level per criterion, kept as a human:me grade"),
        Binding("escape", "back", "Back", tooltip="Back to where you came from"),
    ]

    grade: reactive[Grade | None] = reactive(None, bindings=True, init=False)

    def __init__(
        self,
        transcript: Transcript,
        rubric: LoadedRubric,
        source: Path | str,
        grade: Grade | None = None,
        grader: str | None = None,
    ) -> None:
        super().__init__()
        self.transcript = transcript
        self.rubric = rubric
        self.source = Path(source)
        self._given = grade
        self._grader = grader  # None: the configured grader; "offline" e.g. after the model failed mid-round
        self.selected: str | None = None
        self._jumps: dict[str, int] = {}
        self._holding = False  # self-assessment first: the grade waits until you have scored the round
        self.self_grade: Grade | None = None

    def compose(self) -> ComposeResult:
        yield Static("Grading…", id="summary")
        yield Static("", id="delivery")
        yield LoadingIndicator(id="loading")
        yield DataTable(id="criteria", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="detail-pane"):
            yield Markdown("", id="detail")
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one("#criteria", DataTable)
        table.add_column("criterion", key="criterion", width=TITLE_WIDTH)
        table.add_column("score", key="score")
        table.add_column("", key="bar")
        table.add_column("weight", key="weight")
        table.add_column("quotes", key="quotes")
        table.display = False
        self.query_one("#delivery").display = False
        self.query_one("#detail-pane").display = False
        if self._given is not None:
            self.grade = self._given
        else:
            self.run_grading(self._grader)
            self.ask_first()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "score_self":
            return True if self.grade is not None and not self._holding else None
        if action in ("export", "jump"):
            return True if self.grade is not None else None
        if action == "grade_offline":
            return self.failed and self.grade is None
        return True

    failed: reactive[bool] = reactive(False, bindings=True)

    @work(exclusive=True, group="grading")
    async def run_grading(self, grader: str | None = None) -> None:
        from mockint.tui.screens.uses import grade_and_keep

        self.query_one("#loading").display = True
        try:
            self.grade = await asyncio.to_thread(grade_and_keep, str(self.source), self.rubric, grader=grader)
        except MockintError as exc:
            self.query_one("#loading").display = False
            self.failed = True
            offer = "" if grader == "offline" else " Press g to grade it offline instead."
            self.query_one("#summary", Static).update(f"Could not grade: {escape(str(exc))}.{offer}")

    def action_grade_offline(self) -> None:
        if self.grade is None:
            self.failed = False
            self.query_one("#summary", Static).update("Grading offline…")
            self.run_grading("offline")

    def watch_grade(self, grade: Grade | None) -> None:
        if grade is None or self._holding:
            return
        self.query_one("#loading").display = False
        self.query_one("#summary", Static).update(summary_text(grade, self.source))
        delivery = self.query_one("#delivery", Static)
        delivery.display = grade.delivery is not None
        if grade.delivery is not None:
            delivery.update(delivery_text(grade.delivery))
        table = self.query_one("#criteria", DataTable)
        table.clear()
        for crit in grade.criteria:
            score = "–" if crit.score is None else f"{crit.score:g}/{crit.max}"
            title = short(crit.title or crit.id, TITLE_WIDTH - 2) + (" *" if crit.must_pass else "")
            colour = score_style(crit.score, crit.max, self.app.theme_variables)
            table.add_row(
                escape(title),
                Text(score, style=colour),
                Text(bar(crit.score, crit.max), style=colour),
                f"{crit.weight:g}",
                str(len(crit.evidence)),
                key=crit.id,
            )
        table.display = True
        self.query_one("#detail-pane").display = True
        table.focus()
        if grade.criteria:
            table.move_cursor(row=0)
            self.show_criterion(grade.criteria[0].id)

    @on(DataTable.RowHighlighted, "#criteria")
    def criterion_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self.show_criterion(event.row_key.value)

    def show_criterion(self, criterion_id: str) -> None:
        if self.grade is None:
            return
        self.selected = criterion_id
        crit = self.grade.criterion(criterion_id)
        if crit is None:
            return
        try:
            probes = list(self.rubric.rubric.criterion(criterion_id).probes)
        except KeyError:
            probes = []
        self.query_one("#detail", Markdown).update(criterion_markdown(crit, probes, self.transcript))
        self.query_one("#detail-pane", VerticalScroll).scroll_home(animate=False)

    @work(exclusive=True, group="export")
    async def action_export(self) -> None:
        if self.grade is None:
            return
        try:
            path = await asyncio.to_thread(export_markdown, self.grade, self.source)
        except (OSError, MockintError) as exc:
            self.notify(str(exc), title="Export failed", severity="error")
            return
        self.exported = path
        self.notify(str(path), title="Report exported", timeout=8)

    def action_jump(self) -> None:
        """Open the transcript at the selected criterion's evidence; pressing again goes to its next quote."""
        from mockint.tui.screens.replay import ReplayScreen

        selected = self.selected
        crit = self.grade.criterion(selected) if self.grade is not None and selected else None
        turns = sorted({e.turn for e in crit.evidence}) if crit is not None else []
        if selected is None or not turns:
            self.notify("This criterion has no evidence quotes to jump to.", severity="warning")
            return
        index = self._jumps.get(selected, -1) + 1
        self._jumps[selected] = index % len(turns)
        turn = turns[index % len(turns)]
        self.app.push_screen(ReplayScreen(self.transcript, at_turn=turn, title=f"turn {turn}"))

    def action_back(self) -> None:
        self.app.pop_screen()

    def ask_first(self) -> None:
        """With `app.self_assessment_first`, a round just graded asks for your own levels before showing the grade."""
        from mockint.settings import current

        if current().self_assessment_first:
            self._holding = True
            self.action_score_self()

    def action_score_self(self) -> None:
        from mockint.tui.screens.score_self import ScoreScreen

        self.app.push_screen(ScoreScreen(self.scoring_rubric().rubric, first=self._holding), self.scored)

    def scoring_rubric(self) -> LoadedRubric:
        """What you score: the report's rubric, or a drill's one criterion (as `mockint score` does)."""
        from mockint.services.drills import drill_rubric

        drilled = self.transcript.meta.drill
        ids = [c.id for c in self.rubric.rubric.criteria]
        return drill_rubric(self.rubric, drilled) if drilled in ids and len(ids) > 1 else self.rubric

    def scored(self, levels: dict[str, int] | None) -> None:
        if levels is not None:
            self.keep_self(levels)
        if self._holding:
            self._holding = False
            self.refresh_bindings()
            if self.grade is not None:
                self.watch_grade(self.grade)

    @work(thread=True, group="self-score")
    def keep_self(self, levels: dict[str, int]) -> None:
        """Keep your levels beside the transcript as a `human:me` grade (file I/O: in a thread)."""
        from mockint.report.scores import verdict_and_score
        from mockint.services.scoring import HumanScores, keep_human_grade

        try:
            grade, _ = keep_human_grade(self.source, self.transcript, self.scoring_rubric(), HumanScores("me", levels, {}))
        except (OSError, MockintError) as exc:
            self.app.call_from_thread(self.notify, str(exc), title="Your scores were not kept", severity="error")
            return
        self.self_grade = grade
        theirs = f"; the grader: {verdict_and_score(self.grade.verdict, self.grade.score)}" if self.grade else ""
        said = f"{verdict_and_score(grade.verdict, grade.score)}{theirs}"
        self.app.call_from_thread(self.notify, said, title="Your scores are kept", timeout=8)


def score_style(score: float | None, top: int, colours: dict[str, str]) -> str:
    """Colour by share of the scale, from the theme's colours so it reads on dark and light themes."""
    if score is None or not top:
        return "dim"
    share = score / top
    if share >= 0.75:
        return f"bold {colours.get('success', 'green')}"
    if share >= 0.5:
        return colours.get("warning", "yellow")
    return colours.get("error", "red")


def summary_text(grade: Grade, source: Path) -> str:
    from textual.markup import escape

    from mockint.report.scores import verdict_and_score

    colour = "$success" if grade.verdict == "hire" else "$error"
    rubric = f"{escape(grade.rubric)} v{grade.rubric_version}"
    lines = [f"[b {colour}]{verdict_and_score(grade.verdict, grade.score)}[/]  ·  {rubric}  ·  {escape(grade.grader)} grader"]
    lines.append(f"[dim]{escape(source.name)}[/dim]" + (f"  ·  flags: {escape(', '.join(grade.flags))}" if grade.flags else ""))
    for reason in grade.verdict_reasons[:2]:
        lines.append(f"• {escape(reason)}")
    return "\n".join(lines)


def delivery_text(d: Delivery) -> str:
    """The delivery panel: each figure with its usual range, short enough for two lines at 80 columns."""
    from textual.markup import escape

    from mockint.report.grade_text import FEW_FILLERS, PACE, clock

    low, high = PACE
    parts: list[str] = []
    if d.words_per_minute is not None:
        wpm = round(d.words_per_minute)
        if d.timing == "typed":
            parts.append(f"{wpm} wpm typed (speech: {low}–{high})")
        else:
            pace = "slow" if wpm < low else "fast" if wpm > high else "comfortable"
            parts.append(f"{wpm} wpm, {pace} ({low}–{high} is comfortable)")
    if d.filler_words_per_minute is not None:
        top = ", ".join(f"{word} {n}" for word, n in list(d.fillers.items())[:3])
        many = "" if d.filler_words_per_minute <= FEW_FILLERS else "many; "
        parts.append(f"fillers {d.filler_words_per_minute:.1f}/min ({many}a few is normal)" + (f": {top}" if top else ""))
    if d.longest_answer_seconds is not None:
        turn = f" (turn {d.longest_answer_turn})" if d.longest_answer_turn else ""
        parts.append(f"longest {clock(d.longest_answer_seconds)}{turn}")
    if d.long_answers:
        parts.append("ran long: " + ", ".join(f"turn {a.turn} ({clock(a.seconds)})" for a in d.long_answers))
    else:
        parts.append(f"no answer over {clock(d.long_answer_seconds)}")
    if d.candidate_talk_share is not None:
        parts.append(f"you: {d.candidate_talk_share:.0%} of the {'time' if d.timing == 'recording' else 'words'}")
    if d.median_seconds_to_answer is not None:
        parts.append(f"{d.median_seconds_to_answer:.1f} s to answer")
    return "[b]Delivery[/b]  " + " · ".join(escape(part) for part in parts)
