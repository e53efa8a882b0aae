"""Fixes found using the app as a new user would (issue 14), and the screenshot that failed silently (issue 13)."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.containers import VerticalScroll
from textual.widgets import Select, TextArea

from mockint import config
from mockint.tui.app import MockintApp
from mockint.tui.data import PracticeRequest
from mockint.tui.screens.choices import choices_path
from mockint.tui.screens.home import HomeScreen
from mockint.tui.screens.interview import InterviewScreen
from mockint.tui.screens.replay import ReplayScreen
from mockint.tui.screens.transcripts import TranscriptScreen
from tests.tui.conftest import STRONG_ANSWERS, wait_until, write_transcript


async def test_home_remembers_the_last_choices(make_app: Callable[..., MockintApp], mockint_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        home = app.screen
        home.query_one("#track", Select).value = "tpm"
        await wait_until(pilot, lambda: home.query_one("#round", Select).value == "program_execution")
        home.query_one("#round", Select).value = "system_design"
        home.query_one("#mode", Select).value = "coach"
        home.query_one("#company", Select).value = "generic"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.session is not None)
        await app.workers.wait_for_complete()
    saved = json.loads(choices_path().read_text())
    assert saved == {"backend": "offline", "company": "generic", "mode": "coach", "round": "system_design", "track": "tpm"}
    assert choices_path().parent == mockint_home and choices_path().name != "config.toml"
    assert stat.S_IMODE(choices_path().stat().st_mode) == 0o600

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.pause()
        values = {name: app.screen.query_one(f"#{name}", Select).value for name in ("track", "company", "round", "mode")}
        assert values == {"track": "tpm", "company": "generic", "round": "system_design", "mode": "coach"}


async def test_a_broken_or_stale_choices_file_falls_back_to_defaults(make_app: Callable[..., MockintApp]) -> None:
    choices_path().write_text('{"track": "no_such_track", "round": 7, "mode": "coach"')  # torn JSON
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert app.screen.query_one("#mode", Select).value == "realistic"
    choices_path().write_text('{"track": "no_such_track", "round": 7, "mode": "coach"}')
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        home = app.screen
        assert home.query_one("#track", Select).value == "pm" and home.query_one("#round", Select).value == "product_sense"
        assert home.query_one("#mode", Select).value == "coach"  # what is still valid is kept


async def test_end_shows_every_turn_after_stepping(make_app: Callable[..., MockintApp], transcripts: Path) -> None:
    """The conversation has focus; once stepping makes it scroll, its own `end` (scroll down) used to win."""
    path = write_transcript(transcripts, "steps", answers=STRONG_ANSWERS * 3)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_transcript(path)
        await wait_until(pilot, lambda: isinstance(app.screen, TranscriptScreen) and app.screen.transcript is not None)
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen))
        screen: ReplayScreen = app.screen  # type: ignore[assignment]
        await pilot.press(*["space"] * 7)
        conversation = screen.query_one("#replay", VerticalScroll)
        await wait_until(pilot, lambda: screen.shown == 8 and conversation.max_scroll_y > 0, what="a conversation that scrolls")
        assert app.focused is conversation
        await pilot.press("end")
        await wait_until(pilot, lambda: screen.shown == len(screen.transcript.turns), what="every turn after end")


def _cut_round(folder: Path) -> Path:
    """A round cut off after ten minutes (turn times say so) with an unsent draft beside it."""
    from mockint.domain.transcript import Transcript, TranscriptMeta, Turn
    from mockint.transcripts.store import serialise, write_atomic

    t0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    meta = TranscriptMeta(
        id="cut", round="product_sense", track="pm", company="pinterest", rubric="product_sense", mode="realistic", started=t0
    )
    ten = t0 + timedelta(minutes=10)
    turns = [
        Turn(index=1, speaker="interviewer", text="Pick a user and a problem for Pinterest.", started=t0, ended=t0),
        Turn(index=2, speaker="candidate", text="First-time home buyers.", started=t0 + timedelta(minutes=9), ended=ten),
        Turn(index=3, speaker="interviewer", text="What would you ship first?", started=ten, ended=ten),
    ]
    path = folder / "cut.jsonl"
    write_atomic(path, serialise(Transcript(meta=meta, turns=turns, finished=False)))
    path.with_name(path.name + ".draft").write_text("A planner board, then\na budget")
    return path


async def test_resume_keeps_the_time_used_and_puts_the_cursor_after_the_draft(
    make_app: Callable[..., MockintApp], transcripts: Path
) -> None:
    path = _cut_round(transcripts)
    app = make_app(practice=PracticeRequest("product_sense", resume=path))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.session and not app.screen.busy)
        screen: InterviewScreen = app.screen  # type: ignore[assignment]
        duration = screen.session.interviewer.spec.duration_minutes
        assert abs(screen.minutes_left() - (duration - 10)) < 0.5, "the ten minutes already used still count"
        assert f"{duration - 10:02d}:00 left" in str(screen.query_one("#status").render())
        area = screen.query_one("#answer", TextArea)
        assert area.text == "A planner board, then\na budget"
        assert area.cursor_location == (1, len("a budget")), "typing carries on at the end of the draft"
        await pilot.press(*" and a")
        assert area.text.endswith("a budget and a")


async def test_palette_lists_each_command_once(make_app: Callable[..., MockintApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert len(titles) == len(set(titles)), titles
        assert "Keys" not in titles and "Theme" not in titles  # F1 help and mockint's own two themes cover them
        assert titles.count("Help") == 1 and sum("theme" in t.lower() for t in titles) == 1
        assert {"Quit", "Screenshot"} <= set(titles)


async def test_screenshot_goes_to_mockint_home_and_says_where(
    make_app: Callable[..., MockintApp], mockint_home: Path, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HOME", str(tmp_path / "no-downloads-here"))  # Textual's default folder does not exist
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.action_screenshot()
        folder = mockint_home / "screenshots"
        await wait_until(pilot, lambda: list(folder.glob("*.svg")), what="the screenshot file")
        shot = next(folder.glob("*.svg"))
        assert shot.name.startswith("mockint-home-") and "<svg" in shot.read_text()
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and stat.S_IMODE(shot.stat().st_mode) == 0o600
        await wait_until(pilot, lambda: any(str(shot) in n.message for n in app._notifications), what="where it went")


async def test_a_screenshot_that_cannot_be_written_says_why(make_app: Callable[..., MockintApp], mockint_home: Path) -> None:
    (config.home() / "screenshots").write_text("a file where the folder should be")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.action_screenshot()
        await wait_until(pilot, lambda: any(n.title == "Screenshot not saved" for n in app._notifications), what="the error")
        note = next(n for n in app._notifications if n.title == "Screenshot not saved")
        assert "screenshots" in note.message and note.severity == "error"
    assert config.home() == mockint_home
