"""The report screen's delivery panel (issue 15): shown for a timed transcript with the usual ranges and the
answers that ran long, whole at 80×24; absent when the turns carry no times."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import DataTable, Static

from mockint import rubrics
from mockint.domain.transcript import Transcript, TranscriptMeta, Turn
from mockint.transcripts.loading import load_any
from mockint.transcripts.store import read_native, serialise, write_atomic
from mockint.tui.app import MockintApp
from mockint.tui.screens.report import ReportScreen
from tests.conftest import DATA
from tests.tui.conftest import STRONG_ANSWERS, screen_text, wait_until, write_transcript

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def timed_round(folder: Path) -> Path:
    """A practised round: each answer sent a while after its question was saved; the second ran over 3 minutes."""
    turns: list[Turn] = []
    clock = 0.0
    lengths = (70.0, 200.0, 50.0)
    for answer, seconds in zip(STRONG_ANSWERS, lengths, strict=False):
        asked = T0 + timedelta(seconds=clock)
        turns.append(Turn(index=len(turns) + 1, speaker="interviewer", text="What would you do?", started=asked, ended=asked))
        clock += seconds
        turns.append(Turn(index=len(turns) + 1, speaker="candidate", text=answer, ended=T0 + timedelta(seconds=clock)))
    meta = TranscriptMeta(id="timed", round="product_sense", rubric="product_sense", started=T0, ended=T0)
    path = folder / "timed.jsonl"
    write_atomic(path, serialise(Transcript(meta=meta, turns=turns, finished=True)))
    return path


async def _open(pilot, app: MockintApp, path: Path) -> ReportScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()
    transcript = read_native(path) if path.suffix == ".jsonl" else load_any(path)
    screen = ReportScreen(transcript, rubrics.resolve("product_sense"), path)
    await app.push_screen(screen)
    await wait_until(pilot, lambda: screen.grade is not None, what="the grade")
    return screen


async def test_report_shows_delivery_for_a_timed_round(make_app: Callable[..., MockintApp], transcripts: Path) -> None:
    path = timed_round(transcripts)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, app, path)
        assert screen.grade is not None and screen.grade.delivery is not None
        panel = screen.query_one("#delivery", Static)
        assert panel.display
        await wait_until(pilot, lambda: "Delivery" in screen_text(app), what="the delivery panel")
        text = " ".join(screen_text(app).split())
        assert "Delivery 16 wpm typed (speech: 130–160) · fillers 0.0/min (a few is normal)" in text
        assert "longest 3:20 (turn 4) · ran long: turn 4 (3:20) · you: 88% of the words" in text
        assert screen.query_one("#criteria", DataTable).display, "the criteria still show below it"
        assert "e Export .md" in screen_text(app)


async def test_no_delivery_panel_without_times(make_app: Callable[..., MockintApp], transcripts: Path) -> None:
    path = write_transcript(transcripts, "untimed")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot, app, path)
        assert screen.grade is not None and screen.grade.delivery is None
        assert not screen.query_one("#delivery", Static).display
        assert "Delivery" not in screen_text(app)


async def test_report_shows_a_recordings_pace_and_time_to_answer(
    make_app: Callable[..., MockintApp], transcripts: Path
) -> None:
    path = transcripts / "recorded.vtt"
    path.write_bytes((DATA / "delivery_mock.vtt").read_bytes())
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, path)
        await wait_until(pilot, lambda: "Delivery" in screen_text(app), what="the delivery panel")
        text = " ".join(screen_text(app).split())
        assert "117 wpm, slow (130–160 is comfortable)" in text
        assert "fillers 8.3/min (many; a few is normal): kind of 1, like 1, uh 1" in text
        assert "no answer over 3:00 · you: 80% of the time · 2.5 s to answer" in text
