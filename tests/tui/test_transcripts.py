"""Transcripts browser: list, filter, read, grade with any rubric, compare grades."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import DataTable, Input, Markdown, Select, Static

from mockint.tui.app import MockintApp
from mockint.tui.screens.home import HomeScreen
from mockint.tui.screens.report import ReportScreen
from mockint.tui.screens.transcripts import TranscriptScreen, TranscriptsScreen
from tests.tui.conftest import wait_until, write_transcript


async def test_filter_open_grade_and_compare(make_app: Callable[..., MockintApp], transcripts: Path) -> None:
    write_transcript(transcripts, "ps", started="2026-03-01T09:00:00+00:00")
    write_transcript(transcripts, "sd", round_id="system_design", started="2026-03-02T09:00:00+00:00", finished=False)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TranscriptsScreen) and app.screen.sessions)
        browser: TranscriptsScreen = app.screen  # type: ignore[assignment]
        table = browser.query_one("#list", DataTable)
        assert table.row_count == 2
        await pilot.press("slash")
        assert browser.query_one("#filter", Input).has_focus
        await pilot.press(*"product")
        await wait_until(pilot, lambda: table.row_count == 1)
        await pilot.press("enter")  # enter in the filter opens the highlighted (first) match
        await wait_until(pilot, lambda: isinstance(app.screen, TranscriptScreen))
        view: TranscriptScreen = app.screen  # type: ignore[assignment]
        assert view.path.name == "ps.jsonl"
        await wait_until(pilot, lambda: len(view.grades) == 1, what="the automatic first grade")
        text = view.query_one("#text", Markdown).source
        assert "**[2]** **You**" in text
        assert view.grades[0][0].rubric == "product_sense"
        view.query_one("#rubric", Select).value = "system_design"
        await pilot.press("g")
        await wait_until(pilot, lambda: len(view.grades) == 2, what="the second grade")
        summary = str(view.query_one("#grades", Static).render())
        assert "#2 system_design" in summary and "Score" in summary and "→" in summary
        compare = view.query_one("#compare", DataTable)
        assert [str(c.label) for c in compare.columns.values()] == ["criterion", "#1", "#2", "Δ"]
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.grade is not None)
        assert app.screen.grade.rubric == "system_design"  # type: ignore[union-attr]
        await pilot.press("escape", "escape")
        await wait_until(pilot, lambda: isinstance(app.screen, TranscriptsScreen))
        await pilot.press("escape")  # clears the filter first
        await wait_until(pilot, lambda: table.row_count == 2)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_same_rubric_twice_is_listed_once(make_app: Callable[..., MockintApp], transcripts: Path) -> None:
    """Grading again with the same rubric and grader is the same work: one entry, as the store keeps one file."""
    from mockint import gradestore

    path = write_transcript(transcripts, "ps")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_transcript(path)
        await wait_until(pilot, lambda: isinstance(app.screen, TranscriptScreen) and len(app.screen.grades) == 1)
        view: TranscriptScreen = app.screen  # type: ignore[assignment]
        await wait_until(pilot, lambda: isinstance(view.query_one("#rubric"), Select), what="the rubric menu")
        await pilot.press("g")
        await wait_until(pilot, lambda: any("Same grade as #1" in n.message for n in app._notifications), what="the notice")
        assert len(view.grades) == 1 and len(gradestore.grades_for(path)) == 1
        text = str(view.query_one("#grades", Static).render())
        assert text.count("#1 product_sense") == 1 and "#2" not in text


async def test_rubric_menu_has_no_stale_loading_option(make_app: Callable[..., MockintApp], transcripts: Path) -> None:
    path = write_transcript(transcripts, "menu")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_transcript(path)
        await wait_until(pilot, lambda: isinstance(app.screen, TranscriptScreen) and app.screen.grades)
        select = app.screen.query_one("#rubric", Select)
        labels = [str(label) for label, _ in select._options]
        assert not any("Loading" in label for label in labels), labels
        assert select.value == "product_sense" and "product_sense v1" in labels
        assert len(app.screen.query("#rubric")) == 1


async def test_unreadable_file_is_listed_not_fatal(make_app: Callable[..., MockintApp], transcripts: Path) -> None:
    (transcripts / "junk.jsonl").write_text("{nope\n")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.run_action("transcripts")
        await wait_until(pilot, lambda: isinstance(app.screen, TranscriptsScreen) and app.screen.sessions)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TranscriptsScreen)


async def test_grades_made_in_the_app_are_kept_and_shown_again(make_app, transcripts) -> None:
    """A grade made in the browser is kept beside the transcript; reopening shows it without grading again."""
    from mockint import gradestore

    path = write_transcript(transcripts, "kept")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_transcript(path)
        await wait_until(pilot, lambda: isinstance(app.screen, TranscriptScreen) and app.screen.grades)
        assert len(gradestore.grades_for(path)) == 1
        app.pop_screen()
        app.open_transcript(path)
        await wait_until(pilot, lambda: isinstance(app.screen, TranscriptScreen) and app.screen.grades)
        await pilot.pause()
        assert len(app.screen.grades) == 1 and len(gradestore.grades_for(path)) == 1, "reopened, not re-graded"
