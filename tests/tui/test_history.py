"""History in the app: the same view as `mockint history`, opened from home with `h`, filtered by rubric."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Select, Static

from mockint import rubrics
from mockint.services.grading import grade_and_keep
from mockint.tui.app import MockintApp
from mockint.tui.screens.history import HistoryScreen
from mockint.tui.screens.home import HomeScreen
from tests.tui.conftest import wait_until, write_transcript


async def test_history_screen_shows_progress_and_what_to_practise(make_app: Callable[..., MockintApp], transcripts: Path) -> None:
    loaded = rubrics.resolve("product_sense")
    for name, day in (("first", "2026-03-01T09:00:00+00:00"), ("second", "2026-03-08T09:00:00+00:00")):
        grade_and_keep(str(write_transcript(transcripts, name, started=day)), loaded, grader="offline", settings=None)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("h")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        screen = app.screen
        await wait_until(pilot, lambda: "improved least" in str(screen.query_one("#history", Static).render()).lower())
        text = str(screen.query_one("#history", Static).render())
        assert "product_sense" in text
        assert [v for _, v in screen.query_one("#rubric", Select)._options] == ["__all__", "product_sense"]


async def test_empty_history_says_what_to_do(make_app: Callable[..., MockintApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.action_history()
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, HistoryScreen)
                and "No graded sessions" in str(app.screen.query_one("#history", Static).render())
            ),
        )
