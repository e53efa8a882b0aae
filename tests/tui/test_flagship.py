"""The whole path with the keyboard alone: a product-sense round, three answers, the report with
evidence, the transcript in the browser, a re-grade with another rubric and the difference, a rubric
opened, and the validation error line of a broken rubric file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Markdown, Select, Static

from mockint import config
from mockint.report.scores import format_score
from mockint.transcripts.store import read_native
from mockint.tui.app import MockintApp
from mockint.tui.screens.confirm import ConfirmScreen
from mockint.tui.screens.home import HomeScreen
from mockint.tui.screens.interview import InterviewScreen
from mockint.tui.screens.report import ReportScreen
from mockint.tui.screens.rubrics import RubricsScreen
from mockint.tui.screens.transcripts import TranscriptScreen, TranscriptsScreen
from tests.tui.conftest import wait_until
from tests.tui.test_rubrics import BROKEN

ANSWERS = (  # typed key by key, so kept short (Pilot takes ~60 ms a key)
    "First-time home buyers who save renovation pins but stall.",
    "A planner board.\nWeekly saves per user up 8% within six weeks.",
    "I would skip shopping because it needs merchant data.",
)


async def test_keyboard_only_round_report_regrade_and_rubrics(make_app: Callable[..., MockintApp], transcripts: Path) -> None:
    (config.user_rubrics_dir() / "broken.yaml").write_text(BROKEN)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert app.screen.query_one("#round", Select).value == "product_sense"

        # --- the round
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.session and not app.screen.busy)
        interview: InterviewScreen = app.screen  # type: ignore[assignment]
        for i, answer in enumerate(ANSWERS, start=1):
            for line_no, line in enumerate(answer.split("\n")):
                if line_no:
                    await pilot.press("enter")
                await pilot.press(*line)
            await pilot.press("ctrl+s")
            await wait_until(
                pilot,
                lambda i=i: len(interview.session.transcript.candidate_turns()) == i and not interview.busy,
                what=f"reply {i}",
            )
        path = interview.session.path
        saved = read_native(path)
        assert [t.text for t in saved.candidate_turns()] == list(ANSWERS)
        assert not saved.finished

        # --- end it: the report with evidence
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.grade is not None, what="the report")
        report: ReportScreen = app.screen  # type: ignore[assignment]
        assert read_native(path).finished
        detail = report.query_one("#detail", Markdown)
        await wait_until(
            pilot, lambda: "turn 2: “First-time home buyers who save renovation pins" in detail.source, what="evidence"
        )
        first_score = report.grade.score  # type: ignore[union-attr]

        # --- the transcript in the browser
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TranscriptsScreen) and app.screen.sessions)
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, TranscriptScreen) and len(app.screen.grades) == 1, what="first grade"
        )
        view: TranscriptScreen = app.screen  # type: ignore[assignment]
        assert view.path == path
        assert view.grades[0][0].score == first_score

        # --- re-grade with another rubric and see the difference
        select = view.query_one("#rubric", Select)
        for _ in range(5):
            if app.focused is select:
                break
            await pilot.press("tab")
        assert app.focused is select
        await pilot.press("enter")  # open the list (current: product_sense)
        await pilot.press("down", "down", "enter")  # product_sense -> program_execution -> system_design
        await wait_until(pilot, lambda: select.value == "system_design", what="the rubric choice")
        await pilot.press("g")
        await wait_until(pilot, lambda: len(view.grades) == 2, what="the re-grade")
        summary = str(view.query_one("#grades", Static).render())
        second = view.grades[1][0]
        assert second.rubric == "system_design"
        assert f"Score {format_score(first_score)} → {format_score(second.score)}" in summary

        # --- open a rubric, and see a broken one's error line
        await pilot.press("escape", "escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, RubricsScreen) and app.screen.rows)
        rubrics_screen: RubricsScreen = app.screen  # type: ignore[assignment]
        problems = rubrics_screen.query_one("#problems", Static)
        await wait_until(pilot, lambda: "rubrics/broken.yaml:12: criteria[0].wieght" in str(problems.render()), what="error line")
        await pilot.press("down", "down", "down")  # broken -> executive -> impact_story -> product_sense
        rubric_detail = rubrics_screen.query_one("#detail", Markdown)
        await wait_until(pilot, lambda: "`product_sense`" in rubric_detail.source, what="the rubric")
        assert "A specific user and problem" in rubric_detail.source
