"""The app's 'score it yourself' (and self-assessment first) on the report screen, and Home's Drill entry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import DataTable, Select, Static, TextArea

from mockint import config, gradestore, rubrics
from mockint.transcripts.store import read_native
from mockint.tui.app import MockintApp
from mockint.tui.screens.home import HomeScreen
from mockint.tui.screens.interview import InterviewScreen
from mockint.tui.screens.report import ReportScreen
from mockint.tui.screens.score_self import ScoreScreen
from tests.tui.conftest import wait_until, write_transcript


def human_grades(path: Path) -> list[str]:
    return [g.grader for _, g in gradestore.grades_for(path) if g.grader.startswith("human:")]


async def choose(pilot, modal: ScoreScreen, level: int, skip: str | None = None) -> None:  # type: ignore[no-untyped-def]
    for crit in modal.rubric.criteria:
        if crit.id != skip:
            modal.query_one(f"#level-{crit.id}", Select).value = level
    await pilot.pause()


async def test_score_it_yourself_keeps_a_human_me_grade(make_app: Callable[..., MockintApp], transcripts: Path) -> None:
    path = write_transcript(transcripts, "r1")
    loaded = rubrics.resolve("product_sense")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        report = ReportScreen(read_native(path), loaded, path)
        await app.push_screen(report)
        await wait_until(pilot, lambda: report.grade is not None, what="the grade")
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, ScoreScreen), what="the score modal")
        modal = app.screen
        assert isinstance(modal, ScoreScreen)
        first = loaded.rubric.criteria[0]
        shown = " ".join(str(s.render()) for s in modal.query(".anchors"))
        assert first.anchors[loaded.rubric.max_score].strip()[:40] in shown
        await choose(pilot, modal, 2, skip=first.id)
        await pilot.press("ctrl+s")  # one criterion has no level yet: not kept
        await wait_until(pilot, lambda: "Choose a level for" in str(modal.query_one("#problem", Static).render()))
        assert isinstance(app.screen, ScoreScreen) and human_grades(path) == []
        modal.query_one(f"#level-{first.id}", Select).value = 4
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: report.self_grade is not None, what="the kept self-assessment")
        assert app.screen is report
        assert human_grades(path) == ["human:me"]
        mine = report.self_grade
        assert mine is not None and mine.criterion(first.id).score == 4  # type: ignore[union-attr]
        assert report.grade is not None and report.grade.grader == "offline"  # the report still shows the grader's


async def test_self_assessment_first_holds_the_grade_back(make_app: Callable[..., MockintApp], transcripts: Path) -> None:
    config.config_dir().mkdir(parents=True, exist_ok=True)
    (config.config_dir() / "config.toml").write_text("[app]\nself_assessment_first = true\n", encoding="utf-8")
    path = write_transcript(transcripts, "r1")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        report = ReportScreen(read_native(path), rubrics.resolve("product_sense"), path)
        await app.push_screen(report)
        await wait_until(pilot, lambda: isinstance(app.screen, ScoreScreen), what="the score modal first")
        await wait_until(pilot, lambda: report.grade is not None, what="grading behind the modal")
        assert "Grading" in str(report.query_one("#summary", Static).render())  # graded, not shown
        assert not report.query_one("#criteria", DataTable).display
        modal = app.screen
        assert isinstance(modal, ScoreScreen) and modal.first
        await choose(pilot, modal, 3)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: report.query_one("#criteria", DataTable).display, what="the grade shown")
        assert "Grading" not in str(report.query_one("#summary", Static).render())
        await wait_until(pilot, lambda: human_grades(path) == ["human:me"], what="the self-assessment kept")


async def test_home_drill_runs_a_short_round_on_one_criterion(make_app: Callable[..., MockintApp], transcripts: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.screen.query_one("#sessions").focus()
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.session is not None)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        await wait_until(pilot, lambda: not screen.busy, what="the opening")
        session = screen.session
        assert session is not None
        rubric = rubrics.resolve("product_sense").rubric
        top = sorted(rubric.criteria, key=lambda c: (not c.must_pass, -c.weight, c.id))[0]  # no history: the most important
        assert read_native(session.path).meta.drill == top.id
        assert [c.id for c in session.rubric.rubric.criteria] == [top.id]
        assert "A short drill on one thing" in session.transcript.turns[0].text
        for text in ("I'd focus on renters furnishing a first flat.", "They give up when nothing fits the room.", "About 30%."):
            if screen.session is None or screen.session.done:
                break
            before = len(session.transcript.turns)
            screen.query_one("#answer", TextArea).insert(text)
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda b=before: len(session.transcript.turns) >= b + 2 and not screen.busy)  # type: ignore[misc]
        assert session.done, "three questions, then the drill closes"
        assert sum(t.speaker == "interviewer" and not t.closing for t in session.transcript.turns) == 3
        await pilot.press("ctrl+r")  # the round is over: see the grade
        await wait_until(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.grade is not None, what="report")
        report = app.screen
        assert isinstance(report, ReportScreen) and report.grade is not None
        assert [c.id for c in report.grade.criteria] == [top.id]


async def test_a_drill_is_scored_on_its_one_criterion(make_app: Callable[..., MockintApp], transcripts: Path) -> None:
    from mockint.interview.session import run_now
    from mockint.services.drills import open_drill
    from mockint.services.rounds import PracticeRequest
    from mockint.settings import current

    session = open_drill(PracticeRequest("product_sense", seed=3, drill="success_metrics"), current()).session
    run_now(session.begin_async())
    session.answer("Saves per renter up 8% within six weeks, hide rate under 2%.")
    session.end()
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        report = ReportScreen(read_native(session.path), rubrics.resolve("product_sense"), session.path)  # the whole rubric
        await app.push_screen(report)
        await wait_until(pilot, lambda: report.grade is not None, what="the grade")
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, ScoreScreen), what="the score modal")
        modal = app.screen
        assert isinstance(modal, ScoreScreen)
        assert [c.id for c in modal.rubric.criteria] == ["success_metrics"]
        await choose(pilot, modal, 3)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: report.self_grade is not None, what="the kept self-assessment")
        assert [c.id for c in report.self_grade.criteria] == ["success_metrics"]  # type: ignore[union-attr]


async def test_history_screen_shows_the_self_assessment_gap(make_app: Callable[..., MockintApp], transcripts: Path) -> None:
    from mockint.services.grading import grade_and_keep
    from mockint.services.scoring import HumanScores, keep_human_grade
    from mockint.tui.screens.history import HistoryScreen

    loaded = rubrics.resolve("product_sense")
    path = write_transcript(transcripts, "r1")
    machine = grade_and_keep(str(path), loaded, grader="offline", settings=None).grade
    levels = {c.id: int(c.score or 1) for c in machine.criteria}
    target = next(cid for cid, level in levels.items() if level > 1)
    keep_human_grade(path, read_native(path), loaded, HumanScores("me", {**levels, target: levels[target] - 1}, {}))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.action_history()
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        shown = app.screen.query_one("#history", Static)
        title = loaded.rubric.criterion(target).title
        await wait_until(pilot, lambda: "you rate yourself a level lower than the grader" in str(shown.render()), what="the gap")
        assert title[:30] in str(shown.render())
