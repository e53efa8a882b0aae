"""Home: choices, defaults from the track, starting a round, recent sessions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import DataTable, Select, Static

from mockint.report.scores import verdict_and_score
from mockint.tui.app import MockintApp
from mockint.tui.screens.help import HelpScreen
from mockint.tui.screens.home import HomeScreen
from mockint.tui.screens.interview import InterviewScreen
from mockint.tui.screens.transcripts import TranscriptScreen
from tests.tui.conftest import wait_until, write_transcript


async def test_choices_and_start(make_app: Callable[..., MockintApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        home: HomeScreen = app.screen  # type: ignore[assignment]
        assert home.query_one("#round", Select).value == "product_sense"
        backend = home.query_one("#backend-choice", Select)
        assert backend.value == "offline" and [v for _, v in backend._options] == ["offline"]
        await wait_until(pilot, lambda: "No key needed" in str(home.query_one("#backend", Static).render()))
        home.query_one("#track", Select).value = "tpm"
        await wait_until(pilot, lambda: home.query_one("#round", Select).value == "program_execution")
        home.query_one("#mode", Select).value = "coach"
        home.query_one("#company", Select).value = "generic"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.session is not None)
        meta = app.screen.session.transcript.meta  # type: ignore[attr-defined]
        assert (meta.round, meta.track, meta.mode, meta.company) == ("program_execution", "tpm", "coach", "generic")


async def test_keyboard_only_start(make_app: Callable[..., MockintApp]) -> None:
    """Tab to the round select, open it, pick the next round, start with the button."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("tab", "tab")  # track -> company -> round
        assert app.focused is app.screen.query_one("#round", Select) or app.focused.parent.id == "round"  # type: ignore[union-attr]
        await pilot.press("enter", "down", "enter")
        await wait_until(pilot, lambda: app.screen.query_one("#round", Select).value != "product_sense")
        chosen = app.screen.query_one("#round", Select).value
        await pilot.press("tab", "tab", "tab", "enter")  # mode -> backend -> start button
        await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.session is not None)
        assert app.screen.session.transcript.meta.round == chosen  # type: ignore[attr-defined]


async def test_recent_sessions(make_app: Callable[..., MockintApp], transcripts: Path) -> None:
    done = write_transcript(transcripts, "done", started="2026-03-01T09:00:00+00:00")
    write_transcript(transcripts, "cut", started="2026-03-02T09:00:00+00:00", finished=False)
    from mockint import rubrics
    from mockint.services.grading import grade_and_keep

    graded = grade_and_keep(str(done), rubrics.resolve("product_sense"), grader="offline", settings=None).grade
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.sessions)
        table = app.screen.query_one("#sessions", DataTable)
        assert table.row_count == 2
        assert [str(c) for c in table.get_row_at(0)] == ["03-02 09:00", "product_sense", "resumable · 3 ans"]
        result = verdict_and_score(graded.verdict, graded.score)
        assert result.endswith("/100") and result.split(" · ")[0] in ("hire", "no hire")
        assert [str(c) for c in table.get_row_at(1)] == ["03-01 09:00", "product_sense", result]
        table.focus()
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, TranscriptScreen))


async def test_help_opens_with_f1_and_question_mark(make_app: Callable[..., MockintApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))


async def test_question_mark_types_in_the_answer_box(make_app: Callable[..., MockintApp]) -> None:
    from mockint.tui.data import PracticeRequest

    app = make_app(practice=PracticeRequest("product_sense", seed=7))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.session is not None)
        await pilot.press("question_mark")
        assert app.screen.query_one("#answer").text == "?"  # type: ignore[attr-defined]
        assert isinstance(app.screen, InterviewScreen)


async def test_palette_commands(make_app: Callable[..., MockintApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for wanted in ("New round", "Transcripts", "Rubrics", "Help", "Light / dark theme"):
            assert wanted in titles
        await pilot.press("ctrl+p")
        await pilot.press(*"rubrics")
        await pilot.pause(0.3)
        await pilot.press("enter")
        from mockint.tui.screens.rubrics import RubricsScreen

        await wait_until(pilot, lambda: isinstance(app.screen, RubricsScreen))
