"""Report: verdict, criteria with bars, evidence with turn numbers, probes, export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import DataTable, Markdown

from mockint import rubrics
from mockint.transcripts.store import read_native
from mockint.tui.app import MockintApp
from mockint.tui.screens.report import ReportScreen
from tests.tui.conftest import wait_until, write_transcript


async def open_report(pilot, app: MockintApp, path: Path) -> ReportScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()
    screen = ReportScreen(read_native(path), rubrics.resolve("product_sense"), path)
    await app.push_screen(screen)
    await wait_until(pilot, lambda: screen.grade is not None, what="the grade")
    return screen


async def test_criteria_evidence_probes_and_export(make_app: Callable[..., MockintApp], transcripts: Path) -> None:
    path = write_transcript(transcripts, "r1")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_report(pilot, app, path)
        grade = screen.grade
        assert grade is not None
        table = screen.query_one("#criteria", DataTable)
        assert table.row_count == len(grade.criteria)
        assert table.has_focus
        detail = screen.query_one("#detail", Markdown)
        first = grade.criteria[0]
        assert first.evidence, "the strong answers give the first criterion evidence"
        await wait_until(pilot, lambda: f"turn {first.evidence[0].turn}: “{first.evidence[0].quote}”" in detail.source)
        probe = rubrics.resolve("product_sense").rubric.criteria[1].probes[0]
        await pilot.press("down")
        await wait_until(pilot, lambda: probe in detail.source, what="the second criterion's probes")
        assert "What an interviewer would ask" in detail.source
        await pilot.press("e")
        await wait_until(pilot, lambda: getattr(screen, "exported", None) is not None)
        exported = screen.exported
        assert exported == transcripts / "r1.report.md"
        assert exported.read_text().startswith("# ")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, ReportScreen))
