"""App-wide behaviour: entry points, themes, resume from the command line, and fitting in 80×24."""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import DataTable, Footer, TextArea

from mockint import config, rubrics
from mockint.interview.session import RoundSession
from mockint.transcripts.store import read_native
from mockint.tui import launch
from mockint.tui.app import MockintApp
from mockint.tui.data import PracticeRequest
from mockint.tui.screens.home import HomeScreen
from mockint.tui.screens.interview import InterviewScreen
from mockint.tui.screens.report import ReportScreen
from mockint.tui.screens.rubrics import RubricsScreen
from mockint.tui.screens.transcripts import TranscriptScreen
from tests.tui.conftest import STRONG_ANSWERS, wait_until, write_transcript


def test_launch_module_does_not_import_textual() -> None:
    code = "import sys, mockint.tui.launch; assert 'textual' not in sys.modules, 'textual imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("entry", ["run", "run_practice"])
def test_entry_points_build_the_app(entry: str, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[MockintApp] = []

    def fake_run(self: MockintApp, *args: object, **kwargs: object) -> None:
        seen.append(self)

    monkeypatch.setattr(MockintApp, "run", fake_run)
    args = argparse.Namespace(
        round="impact_story", track=None, mode="coach", company="pinterest", seed=None, out=None, resume=None, backend=None
    )
    assert getattr(launch, entry)(args) == 0
    practice = seen[0].practice
    if entry == "run":
        assert practice is None
    else:
        assert practice == PracticeRequest("impact_story", mode="coach")


async def test_ctrl_enter_sends(make_app: Callable[..., MockintApp]) -> None:
    app = make_app(practice=PracticeRequest("product_sense", seed=7))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.session and not app.screen.busy)
        screen: InterviewScreen = app.screen  # type: ignore[assignment]
        await pilot.press("x")
        await pilot.press("ctrl+enter")
        await wait_until(pilot, lambda: len(screen.session.transcript.turns) == 3)


async def test_resume_from_the_command_line(make_app: Callable[..., MockintApp], transcripts: Path) -> None:
    session, _ = RoundSession.start("product_sense", seed=7)
    session.answer(STRONG_ANSWERS[0])
    session.close()
    app = make_app(practice=PracticeRequest("product_sense", resume=session.path))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.session and not app.screen.busy)
        screen: InterviewScreen = app.screen  # type: ignore[assignment]
        assert len(screen.query("ChatMessage")) == 3
        assert screen.session.interviewer.questions_asked == 2


async def test_resuming_a_finished_round_goes_home_with_a_message(make_app: Callable[..., MockintApp], transcripts: Path) -> None:
    path = write_transcript(transcripts, "done")
    app = make_app(practice=PracticeRequest("product_sense", resume=path))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app._notifications, what="the error")
        assert any("finished" in n.message for n in app._notifications)


async def test_themes(make_app: Callable[..., MockintApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == "mockint" and app.current_theme.dark
        app.action_toggle_light()
        await pilot.pause()
        assert app.theme == "mockint-light" and not app.current_theme.dark


def fits(widget, size: tuple[int, int]) -> bool:  # type: ignore[no-untyped-def]
    region = widget.region
    return region.width > 0 and region.height > 0 and region.right <= size[0] and region.bottom <= size[1]


async def test_every_screen_is_usable_at_80x24(make_app: Callable[..., MockintApp], transcripts: Path) -> None:
    size = (80, 24)
    path = write_transcript(transcripts, "small")
    app = make_app(practice=PracticeRequest("product_sense", seed=7))
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.session and not app.screen.busy)
        assert fits(app.screen.query_one(TextArea), size) and fits(app.screen.query_one("#status"), size)
        assert fits(app.screen.query_one(Footer), size)
        app.screen.leave()
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        for wanted in ("#track", "#company", "#round", "#mode", "#start", "#sessions"):
            assert fits(app.screen.query_one(wanted), size), wanted

        report = ReportScreen(read_native(path), rubrics.resolve("product_sense"), path)
        await app.push_screen(report)
        await wait_until(pilot, lambda: report.grade is not None)
        table = report.query_one("#criteria", DataTable)
        assert table.virtual_size.width <= table.region.width, "every report column shows at 80 columns"
        assert fits(report.query_one("#detail-pane"), size)
        await pilot.press("escape")

        app.open_transcript(path)
        await wait_until(pilot, lambda: isinstance(app.screen, TranscriptScreen) and app.screen.grades)
        assert fits(app.screen.query_one("#rubric"), size) and fits(app.screen.query_one("#compare"), size)
        await pilot.press("escape")
        await app.run_action("rubrics")
        await wait_until(pilot, lambda: isinstance(app.screen, RubricsScreen) and app.screen.rows)
        assert fits(app.screen.query_one("#list"), size) and fits(app.screen.query_one("#detail-pane"), size)
        assert config.transcripts_dir() == transcripts
