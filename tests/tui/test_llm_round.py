"""A model round in the app against the loopback chat-completions server: the home screen offers the
model and says whether it is reachable; replies stream; a fault mid-stream keeps every saved turn,
marks the cut-off reply, and ctrl+g / ctrl+o get the round going again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Select, Static, TextArea

from mockint.transcripts import read_native
from mockint.tui.app import MockintApp
from mockint.tui.screens.home import HomeScreen
from mockint.tui.screens.interview import InterviewScreen
from mockint.tui.screens.report import ReportScreen
from tests.chat_server import ChatServer, Fault, Reply
from tests.tui.conftest import wait_until


@pytest.fixture
def llm_env(chat_server: ChatServer, mockint_home: Path, monkeypatch: pytest.MonkeyPatch) -> ChatServer:
    mockint_home.mkdir(parents=True, exist_ok=True)
    (mockint_home / "config.toml").write_text("[llm]\nmax_retries = 0\ntimeout = 5\n")
    monkeypatch.setenv("OPENAI_BASE_URL", chat_server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-tui")
    return chat_server


async def _start(app: MockintApp, pilot) -> InterviewScreen:
    await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
    home: HomeScreen = app.screen  # type: ignore[assignment]
    assert home.query_one("#backend-choice", Select).value == "openai"
    await wait_until(pilot, lambda: "Endpoint reachable" in str(home.query_one("#backend", Static).render()))
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.session is not None)
    return app.screen  # type: ignore[return-value]


async def _send(pilot, screen: InterviewScreen, text: str) -> None:
    screen.query_one("#answer", TextArea).text = text
    await pilot.press("ctrl+s")


async def test_model_round_streams_and_recovers_from_a_cut_stream(
    llm_env: ChatServer, make_app: Callable[..., MockintApp]
) -> None:
    llm_env.queue(
        Reply(content="Hi, I'm Priya. What would you improve on Pinterest?", chunk_delay=0.01),
        Reply(content="Interesting, and who would", fault=Fault.STREAM_CUT, cut_after=3),
        Reply(content="Who exactly is the user?"),
    )
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _start(app, pilot)
        await wait_until(pilot, lambda: len(screen.session.transcript.turns) == 1 and not screen.busy)
        assert screen.session.transcript.meta.backend == "openai"
        assert "What would you improve" in screen.session.transcript.turns[0].text
        await _send(pilot, screen, "Boards for first-time renters.")
        await wait_until(pilot, lambda: screen.failed and not screen.busy)
        turns = read_native(screen.session.path).turns
        assert [(t.speaker, t.partial) for t in turns] == [("interviewer", False), ("candidate", False), ("interviewer", True)]
        await pilot.press("ctrl+g")
        await wait_until(
            pilot,
            lambda: (
                not screen.failed and not screen.busy and screen.session.transcript.turns[-1].text == "Who exactly is the user?"
            ),
        )
        assert len(llm_env.chat_requests) == 3


async def test_dead_model_continues_offline(llm_env: ChatServer, make_app: Callable[..., MockintApp]) -> None:
    llm_env.queue(Reply(content="Tell me about a product you love."), Reply.error(503))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _start(app, pilot)
        await wait_until(pilot, lambda: len(screen.session.transcript.turns) == 1 and not screen.busy)
        await _send(pilot, screen, "I would build a board-to-project planner.")
        await wait_until(pilot, lambda: screen.failed and not screen.busy)
        assert [t.speaker for t in read_native(screen.session.path).turns] == ["interviewer", "candidate"]
        await pilot.press("ctrl+o")
        await wait_until(
            pilot, lambda: not screen.failed and not screen.busy and screen.session.transcript.turns[-1].speaker == "interviewer"
        )
        probes = {p for c in screen.session.rubric.rubric.criteria for p in c.probes}
        last = screen.session.transcript.turns[-1].text
        assert last in probes or "board-to-project planner" in last, "the scripted interviewer took over and followed up"
        # ending the round grades it offline: the endpoint that failed is not called again
        calls = len(llm_env.chat_requests)
        screen.finish_round()
        await wait_until(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.grade is not None, what="the grade")
        assert app.screen.grade.grader == "offline" and len(llm_env.chat_requests) == calls


async def test_transcript_can_be_graded_by_the_model_or_offline(
    llm_env: ChatServer, make_app: Callable[..., MockintApp], transcripts: Path
) -> None:
    """Any rubric and any grader: the model grader's grade shows up beside the offline one."""
    import json

    from mockint import gradestore, rubrics
    from mockint.tui.screens.transcripts import TranscriptScreen
    from tests.tui.conftest import write_transcript

    path = write_transcript(transcripts, "both")
    ids = [c.id for c in rubrics.resolve("product_sense").rubric.criteria]
    llm_env.default_reply = Reply(
        content=json.dumps(
            {"criteria": [{"id": i, "evidence": [], "reasoning": "r", "score": 1} for i in ids], "injection_attempt": False}
        )
    )
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_transcript(path)
        await wait_until(pilot, lambda: isinstance(app.screen, TranscriptScreen) and app.screen.grades)
        screen: TranscriptScreen = app.screen  # type: ignore[assignment]
        assert screen.grades[-1][0].grader.startswith("llm:"), "with a model configured, the model grades by default"
        screen.query_one("#grader", Select).value = "offline"
        await pilot.press("g")
        await wait_until(pilot, lambda: len(screen.grades) == 2)
        assert [g.grader for g, _ in screen.grades] == ["llm:gpt-4o-mini", "offline"]
        assert sorted(g.grader for _, g in gradestore.grades_for(path)) == ["llm:gpt-4o-mini", "offline"]


async def test_report_offers_offline_grading_when_the_model_grader_fails(
    llm_env: ChatServer, make_app: Callable[..., MockintApp], transcripts: Path
) -> None:
    from mockint import rubrics
    from mockint.transcripts import read_native
    from mockint.tui.screens.report import ReportScreen
    from tests.tui.conftest import write_transcript

    llm_env.default_reply = Reply.error(503)
    path = write_transcript(transcripts, "dead-grader")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(ReportScreen(read_native(path), rubrics.resolve("product_sense"), path))
        await wait_until(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.failed)
        report: ReportScreen = app.screen  # type: ignore[assignment]
        assert "Press g to grade it offline" in str(report.query_one("#summary", Static).render())
        await pilot.press("g")
        await wait_until(pilot, lambda: report.grade is not None)
        assert report.grade.grader == "offline"
