"""The whole Pinterest AI-PM loop from home: its rounds in order, each practised as a normal round,
the committee's view updating as grades come in, and the run kept so it resumes later."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import DataTable, Markdown, Select, TextArea

from mockint.services.loops import LoopRun
from mockint.tui.app import MockintApp
from mockint.tui.screens.home import HomeScreen
from mockint.tui.screens.interview import InterviewScreen
from mockint.tui.screens.loop import LoopScreen
from mockint.tui.screens.report import ReportScreen
from tests.tui.conftest import wait_until


def _committee(app: MockintApp) -> str:
    return app.screen.query_one("#committee", Markdown).source


async def test_loop_runs_rounds_and_shows_the_committee(make_app: Callable[..., MockintApp], mockint_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.screen.query_one("#round", Select).value = "loop:pinterest_ai_pm"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, LoopScreen) and app.screen.states)
        loop: LoopScreen = app.screen  # type: ignore[assignment]
        table = loop.query_one("#loop-rounds", DataTable)
        assert table.row_count == 5
        assert [s.status for s in loop.states] == ["not in mockint"] + ["not started"] * 4
        assert "0 of 4 practised rounds graded" in _committee(app) and "Committee: *pending*" in _committee(app)
        assert "hire" not in _committee(app).lower(), "no verdict before any round is graded"

        await pilot.press("ctrl+s")  # the first practised round: the hiring manager's impact story
        await wait_until(
            pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.session is not None and not app.screen.busy
        )
        interview: InterviewScreen = app.screen  # type: ignore[assignment]
        assert interview.session.transcript.meta.round == "impact_story"
        interview.query_one("#answer", TextArea).text = "I led the launch and saves rose 9% in 6 weeks."
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: len(interview.session.transcript.turns) >= 3 and not interview.busy)
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("enter")  # confirm ending the round
        await wait_until(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.grade is not None)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, LoopScreen) and app.screen.states[1].status == "graded")
        assert "1 of 4 practised rounds graded" in _committee(app) and "*(so far)*" in _committee(app)
        assert "Hiring manager" in _committee(app) or "no hire" in _committee(app).lower()

    run = LoopRun.latest("pinterest_ai_pm")
    assert run is not None and list(run.transcripts) == ["hiring_manager_deep_dive"]
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:  # later: the same run is picked up again
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.start_loop(app.screen.request(), "pinterest_ai_pm")
        await wait_until(pilot, lambda: isinstance(app.screen, LoopScreen) and app.screen.states)
        assert app.screen.states[1].status == "graded"


def test_a_loop_round_takes_the_loops_length_even_after_resume(tmp_path: Path) -> None:
    """The cross-functional round lasts 60 minutes in the loop, though the explainer round practised for it is 45."""
    from mockint.interview.session import RoundSession
    from mockint.rounds import load_loop, load_round

    loop_minutes = next(r.minutes for r in load_loop("pinterest_ai_pm").rounds if r.round == "technical_explainer")
    assert loop_minutes != load_round("technical_explainer").duration_minutes
    session, _ = RoundSession.start("technical_explainer", seed=1, out=tmp_path / "x.jsonl", minutes=loop_minutes)
    assert session.interviewer.spec.duration_minutes == loop_minutes
    session.close()
    resumed, _ = RoundSession.resume(tmp_path / "x.jsonl")
    assert resumed.interviewer.spec.duration_minutes == loop_minutes
    resumed.close()
