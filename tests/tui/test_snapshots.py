"""Snapshots at 100×30 with fixed seeds, a fixed clock, fixed dates and UTC, so they are stable.

Regenerate with `pytest tests/tui/test_snapshots.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from mockint import config, rubrics
from mockint.transcripts.store import read_native
from mockint.tui.app import MockintApp
from mockint.tui.data import PracticeRequest
from mockint.tui.screens.home import HomeScreen
from mockint.tui.screens.interview import InterviewScreen
from mockint.tui.screens.report import ReportScreen
from mockint.tui.screens.transcripts import TranscriptScreen, TranscriptsScreen
from tests.tui.conftest import STRONG_ANSWERS, fixed_clock, wait_until, write_transcript

SIZE = (100, 30)


def app(**kwargs: object) -> MockintApp:
    return MockintApp(clock=fixed_clock, stream_delay=0.0, seed=7, **kwargs)  # type: ignore[arg-type]


def test_home(snap_compare, transcripts: Path) -> None:  # type: ignore[no-untyped-def]
    write_transcript(transcripts, "a", started="2026-03-01T09:00:00+00:00")
    write_transcript(transcripts, "b", round_id="system_design", started="2026-03-02T18:15:00+00:00", finished=False)

    async def ready(pilot: Pilot) -> None:
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen) and len(pilot.app.screen.sessions) == 2)

    assert snap_compare(app(), terminal_size=SIZE, run_before=ready)


def test_interview(snap_compare, transcripts: Path) -> None:  # type: ignore[no-untyped-def]
    request = PracticeRequest("product_sense", track="pm", seed=7, out=transcripts / "snapshot.jsonl")

    async def answered(pilot: Pilot) -> None:
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, InterviewScreen) and pilot.app.screen.session is not None)
        screen: InterviewScreen = pilot.app.screen  # type: ignore[assignment]
        await wait_until(pilot, lambda: not screen.busy)
        screen.query_one("#answer").insert(STRONG_ANSWERS[0])  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: len(screen.session.transcript.turns) == 3 and not screen.busy)
        await pilot.press(*"Draft of the next")

    assert snap_compare(app(practice=request), terminal_size=SIZE, run_before=answered)


def test_report(snap_compare, transcripts: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_transcript(transcripts, "graded")

    async def graded(pilot: Pilot) -> None:
        await pilot.pause()
        screen = ReportScreen(read_native(path), rubrics.resolve("product_sense"), path)
        await pilot.app.push_screen(screen)
        await wait_until(pilot, lambda: screen.grade is not None)
        await pilot.press("down")
        await pilot.pause()

    assert snap_compare(app(), terminal_size=SIZE, run_before=graded)


def test_transcripts_list(snap_compare, transcripts: Path) -> None:  # type: ignore[no-untyped-def]
    write_transcript(transcripts, "first", started="2026-03-01T09:00:00+00:00")
    write_transcript(transcripts, "second", round_id="system_design", started="2026-03-02T18:15:00+00:00", finished=False)

    async def listed(pilot: Pilot) -> None:
        await pilot.pause()
        await pilot.app.run_action("transcripts")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, TranscriptsScreen) and pilot.app.screen.sessions)

    assert snap_compare(app(), terminal_size=SIZE, run_before=listed)


def test_transcript_compare(snap_compare, transcripts: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_transcript(transcripts, "compared")

    async def compared(pilot: Pilot) -> None:
        await pilot.pause()
        pilot.app.open_transcript(path)  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, TranscriptScreen) and len(pilot.app.screen.grades) == 1)
        screen: TranscriptScreen = pilot.app.screen  # type: ignore[assignment]
        screen.query_one("#rubric").value = "system_design"  # type: ignore[attr-defined]
        await pilot.press("g")
        await wait_until(pilot, lambda: len(screen.grades) == 2)

    assert config.transcripts_dir() == transcripts
    assert snap_compare(app(), terminal_size=SIZE, run_before=compared)
