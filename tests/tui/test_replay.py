"""Replay turn by turn (stepping and timed), and jumping from a report's evidence to its turn."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Static

from mockint import rubrics
from mockint.grading.offline import grade
from mockint.transcripts import read_native
from mockint.tui.app import MockintApp
from mockint.tui.screens import replay
from mockint.tui.screens.replay import ReplayScreen
from mockint.tui.screens.report import ReportScreen
from mockint.tui.screens.transcripts import TranscriptScreen
from mockint.tui.widgets.chat import ChatMessage
from tests.tui.conftest import wait_until, write_transcript


def _status(app: MockintApp) -> str:
    return str(app.screen.query_one("#replay-status", Static).render())


async def test_step_back_and_timed_replay(
    make_app: Callable[..., MockintApp], transcripts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(replay, "MIN_PAUSE", 0.01)
    monkeypatch.setattr(replay, "WORDS_PER_SECOND", 1e6)
    path = write_transcript(transcripts, "r")
    total = len(read_native(path).turns)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_transcript(path)
        await wait_until(pilot, lambda: isinstance(app.screen, TranscriptScreen) and app.screen.transcript is not None)
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        screen: ReplayScreen = app.screen  # type: ignore[assignment]
        assert screen.shown == 1 and f"turn 1 of {total}" in _status(app)
        await pilot.press("space", "space")
        await wait_until(pilot, lambda: screen.shown == 3)
        await pilot.press("left")
        await wait_until(pilot, lambda: screen.shown == 2 and len(screen.query(ChatMessage)) == 2)
        await pilot.press("t")
        await wait_until(pilot, lambda: screen.shown == total and not screen.playing, what="timed replay to the end")
        assert "end of the transcript" in _status(app)


async def test_report_evidence_jumps_to_its_turn(make_app: Callable[..., MockintApp], transcripts: Path) -> None:
    path = write_transcript(transcripts, "e")
    transcript = read_native(path)
    loaded = rubrics.resolve("product_sense")
    result = grade(transcript, loaded.rubric, source=str(path), rubric_sha256=loaded.sha256)
    with_evidence = next(c for c in result.criteria if c.evidence)
    turns = sorted({e.turn for e in with_evidence.evidence})
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(ReportScreen(transcript, loaded, path, grade=result))
        await wait_until(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.selected is not None)
        report: ReportScreen = app.screen  # type: ignore[assignment]
        report.show_criterion(with_evidence.id)
        await pilot.press("j")
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen) and app.screen.shown > 0)
        focused = [m for m in app.screen.query(ChatMessage) if m.has_class("-focus")]
        assert [m.turn for m in focused] == [turns[0]]
        assert app.screen.shown == turns[0], "the conversation up to the evidence turn"
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ReportScreen))
        if len(turns) > 1:
            await pilot.press("j")
            await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen) and app.screen.shown > 0)
            assert [m.turn for m in app.screen.query(ChatMessage) if m.has_class("-focus")] == [turns[1]]


async def test_replay_shows_coach_notes_apart_from_the_interviewer(
    make_app: Callable[..., MockintApp], transcripts: Path
) -> None:
    from mockint.domain.transcript import Note
    from mockint.transcripts.store import serialise, write_atomic

    path = write_transcript(transcripts, "coached")
    transcript = read_native(path)
    transcript.notes.append(Note(turn=3, text="Name the number you would move, by how much, and by when."))
    write_atomic(path, serialise(transcript))
    assert read_native(path).notes[0].turn == 3, "notes survive a rewrite"
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_transcript(path)
        await wait_until(pilot, lambda: isinstance(app.screen, TranscriptScreen) and app.screen.transcript is not None)
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        screen: ReplayScreen = app.screen  # type: ignore[assignment]
        await pilot.press("space", "space")
        await wait_until(pilot, lambda: screen.shown == 3)
        third = list(screen.query(ChatMessage))[2]
        question, _, note = third.body.source.partition("---")
        assert "Coach:" in note and "Name the number" in note and "Name the number" not in question
