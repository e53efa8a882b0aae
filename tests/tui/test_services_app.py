"""The app and the CLI call the same use cases (issue 14): on the same store they agree on which grade belongs to a
transcript, on the sessions, and on the committee's verdict for a loop."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from textual.widgets import DataTable, Markdown, Select, TextArea

from mockint import gradestore
from mockint.report.scores import format_verdict, verdict_and_score
from mockint.services import grading, loops
from mockint.tui.app import MockintApp
from mockint.tui.screens.home import HomeScreen
from mockint.tui.screens.interview import InterviewScreen
from mockint.tui.screens.loop import LoopScreen, escape_md
from mockint.tui.screens.report import ReportScreen
from tests.tui.conftest import STRONG_ANSWERS, wait_until, write_transcript


async def test_the_app_lists_the_grade_the_cli_reports(make_app: Callable[..., MockintApp], transcripts: Path, cli) -> None:
    """Graded with its own rubric, then with another one: the Recent list and `report` both show its own rubric's."""
    path = write_transcript(transcripts, "done", started="2026-03-01T09:00:00+00:00")
    assert cli("grade", str(path)).code == 0
    assert cli("grade", str(path), "--rubric", "system_design").code == 0
    own = grading.kept_grade(path, "product_sense")
    assert own is not None
    assert "product_sense" in cli("report", str(path)).out.splitlines()[0]

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.sessions)
        row = [str(c) for c in app.screen.query_one("#sessions", DataTable).get_row_at(0)]
        assert row[-1] == verdict_and_score(own.grade.verdict, own.grade.score)


async def test_a_grade_made_in_the_app_is_the_one_grade_finds(make_app: Callable[..., MockintApp], cli) -> None:
    """The app keeps its grade with the transcript's hash, so `mockint grade` of the unchanged file keeps no copy."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.session is not None and not app.screen.busy
        )
        interview: InterviewScreen = app.screen  # type: ignore[assignment]
        interview.query_one("#answer", TextArea).text = STRONG_ANSWERS[0]
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: len(interview.session.transcript.turns) >= 3 and not interview.busy)
        path = interview.session.path
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.grade is not None)
    (kept,) = gradestore.grades_for(path)
    assert kept[1].transcript_sha256 == gradestore.transcript_sha256(path)
    res = cli("grade", str(path), "--format", "json")
    assert res.code == 0, res.err
    assert json.loads(res.out)["score"] == kept[1].score
    assert len(gradestore.grades_for(path)) == 1


async def test_the_loop_screen_and_committee_give_the_same_verdict(
    make_app: Callable[..., MockintApp], transcripts: Path, cli
) -> None:
    run = loops.LoopRun.new("pinterest_ai_pm")
    for loop_round, round_id in (("hiring_manager_deep_dive", "impact_story"), ("system_design", "system_design")):
        run.transcripts[loop_round] = str(write_transcript(transcripts, f"loop-{round_id}", round_id=round_id))
    run.save()
    # a newer session of a loop round, outside the run: the committee must not pick it up
    write_transcript(transcripts, "elsewhere", round_id="technical_explainer", started="2026-03-09T09:00:00+00:00")

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.screen.query_one("#round", Select).value = "loop:pinterest_ai_pm"
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: isinstance(app.screen, LoopScreen) and [s.status for s in app.screen.states].count("graded") == 2
        )
        await wait_until(pilot, lambda: "Committee" in app.screen.query_one("#committee", Markdown).source)
        shown = app.screen.query_one("#committee", Markdown).source

    res = cli("committee", "--format", "json")
    assert res.code == 0, res.err
    obj = json.loads(res.out)
    assert f"**{format_verdict(obj['recommendation']).capitalize()}**" in shown
    assert obj["reasons"] and all(escape_md(reason) in shown for reason in obj["reasons"])
    rows = {r["id"]: r for r in obj["rounds"]}
    assert rows["cross_functional"]["transcript"] is None, "only the loop run's own rounds"
    assert all(len(gradestore.grades_for(p)) == 1 for p in run.transcripts.values()), "the app's grades are reused"


async def test_an_offline_round_is_graded_offline_even_with_a_model_configured(
    make_app: Callable[..., MockintApp], monkeypatch, cli
) -> None:
    """The app picks the grader after a round the way `practice --plain` does (services.rounds.grader_after)."""
    from mockint.services.rounds import PracticeRequest

    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")  # configured, and the default backend
    app = make_app(practice=PracticeRequest("impact_story", backend="offline"))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(
            pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.session is not None and not app.screen.busy
        )
        interview: InterviewScreen = app.screen  # type: ignore[assignment]
        interview.query_one("#answer", TextArea).text = "I led the checkout launch; conversion rose 4% in six weeks."
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: len(interview.session.transcript.turns) >= 3 and not interview.busy)
        path = interview.session.path
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.grade is not None)
        assert app.screen.grade.grader == "offline"  # type: ignore[attr-defined]
    assert [g.grader for _, g in gradestore.grades_for(path)] == ["offline"]


async def test_the_app_resumes_a_round_cut_after_an_answer_by_the_same_rule(
    make_app: Callable[..., MockintApp], transcripts: Path
) -> None:
    """The interviewer owes a reply: the app asks it, as `practice --plain --resume` does."""
    from mockint.interview.session import RoundSession
    from mockint.services.rounds import PracticeRequest
    from mockint.transcripts.store import read_native

    path = transcripts / "cut.jsonl"
    session, first = RoundSession.start("impact_story", seed=2, out=path)
    session.writer.add_turn("candidate", "I led the checkout launch.")
    session.close()
    app = make_app(practice=PracticeRequest("impact_story", resume=path))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(
            pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.session is not None and not app.screen.busy
        )
        await wait_until(pilot, lambda: len(read_native(path).turns) == 3)
    turns = read_native(path).turns
    assert [t.speaker for t in turns] == ["interviewer", "candidate", "interviewer"]
    assert turns[2].text != first.text
