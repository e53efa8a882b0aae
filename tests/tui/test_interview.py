"""The interview screen: streaming replies, saved turns, hints, cancel, leaving and quitting safely."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import TextArea

from mockint.transcripts.store import read_native
from mockint.tui.app import MockintApp
from mockint.tui.data import PracticeRequest
from mockint.tui.screens.confirm import ConfirmScreen
from mockint.tui.screens.home import HomeScreen
from mockint.tui.screens.interview import InterviewScreen
from mockint.tui.screens.report import ReportScreen
from mockint.tui.widgets.chat import ChatMessage
from tests.tui.conftest import STRONG_ANSWERS, wait_until


def messages(app: MockintApp) -> list[ChatMessage]:
    return list(app.screen.query(ChatMessage))


async def opened(pilot, app: MockintApp) -> InterviewScreen:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.session and not app.screen.busy)
    return app.screen  # type: ignore[return-value]


async def answer(pilot, screen: InterviewScreen, text: str) -> None:  # type: ignore[no-untyped-def]
    before = len(screen.session.transcript.turns)  # type: ignore[union-attr]
    screen.query_one("#answer", TextArea).insert(text)
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: len(screen.session.transcript.turns) >= before + 2 and not screen.busy, what="the reply")


async def test_each_turn_is_saved_and_numbered(make_app: Callable[..., MockintApp], transcripts: Path) -> None:
    app = make_app(practice=PracticeRequest("product_sense", track="pm", seed=7))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot, app)
        assert screen.query_one("#answer", TextArea).has_focus
        first = messages(app)[0]
        assert first.turn == 1 and first.body.source.strip() == screen.session.transcript.turns[0].text.strip()
        await answer(pilot, screen, "Line one\nline two")
        on_disk = read_native(screen.session.path)
        assert [t.speaker for t in on_disk.turns] == ["interviewer", "candidate", "interviewer"]
        assert on_disk.turns[1].text == "Line one\nline two"
        assert [m.turn for m in messages(app)] == [1, 2, 3]
        assert messages(app)[2].body.source.strip() == on_disk.turns[2].text.strip()
        assert "Q 2/7" in str(screen.query_one("#status").render())
        assert "45:00 left" in str(screen.query_one("#status").render())


async def test_enter_is_a_newline_and_empty_answers_are_not_sent(make_app: Callable[..., MockintApp]) -> None:
    app = make_app(practice=PracticeRequest("product_sense", seed=7))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot, app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert len(screen.session.transcript.turns) == 1
        await pilot.press("a", "enter", "b")
        assert screen.query_one("#answer", TextArea).text == "a\nb"
        assert len(screen.session.transcript.turns) == 1


async def test_coach_mode_hints(make_app: Callable[..., MockintApp]) -> None:
    app = make_app(practice=PracticeRequest("product_sense", mode="coach", seed=7))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot, app)
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: any(m.kind == "hint" for m in messages(app)), what="a hint")
        await answer(pilot, screen, "We should build a feature.")
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: sum(m.kind == "hint" for m in messages(app)) == 3, what="a third hint")
        hints = [m.body.source for m in messages(app) if m.kind == "hint"]
        assert len(set(hints)) == 3, "ctrl+t gives the next hint, never a repeat"
        titles = [c.title for c in screen.session.rubric.rubric.criteria]
        assert not any(t in h for t in titles for h in hints), "hints speak plainly, not in rubric text"
        saved = read_native(screen.session.path)
        assert [n.text for n in saved.notes] == hints, "every hint is saved as a coach note"
        assert not any(n.text in t.text for n in saved.notes for t in saved.turns), "and never as the interviewer's words"


async def test_realistic_mode_has_no_hint_key(make_app: Callable[..., MockintApp]) -> None:
    app = make_app(practice=PracticeRequest("product_sense", seed=7))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot, app)
        assert screen.check_action("hint", ()) is False
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert not any(m.kind == "hint" for m in messages(app))


async def test_escape_cancels_a_running_reply(make_app: Callable[..., MockintApp]) -> None:
    app = make_app(practice=PracticeRequest("product_sense", seed=7), stream_delay=0.2)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.busy)
        screen: InterviewScreen = app.screen  # type: ignore[assignment]
        await wait_until(pilot, lambda: screen.session is not None)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not screen.busy and not screen.workers, what="the cancel")
        saved = screen.session.transcript.turns[0].text
        assert isinstance(app.screen, InterviewScreen)  # escape while busy stops; it does not leave
        screen.query_one("#answer", TextArea).insert(STRONG_ANSWERS[0])
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: screen.busy and len(screen.session.transcript.turns) == 3, what="the reply to start")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not screen.busy, what="the cancel")
        last = messages(app)[-1]
        await wait_until(pilot, lambda: last.body.source.strip() == screen.session.transcript.turns[-1].text.strip())
        assert last.turn == 3 and saved


async def test_leaving_mid_round_asks_and_keeps_it_resumable(make_app: Callable[..., MockintApp]) -> None:
    app = make_app(practice=PracticeRequest("product_sense", seed=7))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot, app)
        await answer(pilot, screen, STRONG_ANSWERS[0])
        path = screen.session.path
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is screen)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert not read_native(path).finished
        # Resume it from the recent list.
        home: HomeScreen = app.screen  # type: ignore[assignment]
        await wait_until(pilot, lambda: home.sessions and home.sessions[0].status == "resumable")
        home.query_one("#sessions").focus()
        await pilot.press("enter")
        resumed = await opened(pilot, app)
        assert [m.turn for m in messages(app)] == [1, 2, 3]
        await answer(pilot, resumed, STRONG_ANSWERS[1])
        assert resumed.session.path == path
        assert len(read_native(path).turns) == 5


async def test_quit_mid_round_asks_first(make_app: Callable[..., MockintApp]) -> None:
    app = make_app(practice=PracticeRequest("product_sense", seed=7))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot, app)
        await answer(pilot, screen, STRONG_ANSWERS[0])  # a round with an answer is kept (an empty one is discarded)
        path = screen.session.path
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is screen)
        assert app.is_running
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: not app.is_running)
    assert not read_native(path).finished


async def test_interviewer_closing_finishes_the_round(make_app: Callable[..., MockintApp]) -> None:
    app = make_app(practice=PracticeRequest("impact_story", seed=1))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot, app)
        for _ in range(screen.session.interviewer.spec.max_questions):
            if screen.finished:
                break
            await answer(pilot, screen, "We did a project and it went well.")
        await wait_until(pilot, lambda: screen.finished, what="the close")
        assert read_native(screen.session.path).finished
        assert screen.query_one("#answer", TextArea).disabled
        await pilot.press("ctrl+r")  # no confirmation needed once the round is over
        await wait_until(pilot, lambda: isinstance(app.screen, ReportScreen))


async def test_a_round_without_answers_cannot_be_ended_only_left(make_app: Callable[..., MockintApp]) -> None:
    """Ending would finish an empty transcript (a loop round could never be redone); leaving, after asking,
    discards it (a loop round's own file is kept)."""
    app = make_app(practice=PracticeRequest("product_sense", seed=7))
    async with app.run_test(size=(100, 30)) as pilot:
        await opened(pilot, app)
        screen = app.screen
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert app.screen is screen and not screen.finished
        assert any("Answer at least one question" in n.message for n in app._notifications)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "will be discarded" in app.screen.question
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert not screen.session.path.exists(), "a round with nothing answered is not kept"


async def test_an_unsent_answer_survives_leaving_and_comes_back_on_resume(make_app: Callable[..., MockintApp]) -> None:
    app = make_app(practice=PracticeRequest("product_sense", seed=7, mode="coach"))
    async with app.run_test(size=(100, 30)) as pilot:
        await opened(pilot, app)
        screen = app.screen
        screen.query_one("#answer", TextArea).text = "draft not sent yet"
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        path = screen.session.path
        app.start_round(PracticeRequest("product_sense", resume=path))  # home's selects say realistic
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, InterviewScreen)
                and app.screen.session is not None
                and app.screen.query_one("#answer", TextArea).text == "draft not sent yet"
            ),
        )
        assert app.screen.request.mode == "coach", "a resumed round keeps its own mode (and its hint key)"
        assert app.screen.check_action("hint", ()) is True
