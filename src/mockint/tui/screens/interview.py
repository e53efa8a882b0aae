"""The live round: interviewer messages stream in as Markdown, answers go in a multi-line editor.

Every interviewer call (opening, reply, closing) runs in one exclusive, cancellable worker group, so
the UI never blocks and a new action (ending the round, escape) cancels whatever is running. Every
turn is saved by RoundSession the moment it exists; leaving or quitting mid-round keeps it resumable.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Markdown, TextArea

from mockint.errors import MockintError
from mockint.interview.scripted import Reply
from mockint.tui.backend import BackendError, Chunk, InterviewerBackend, reply_markdown
from mockint.tui.data import PracticeRequest, coach_hint
from mockint.tui.screens.confirm import ConfirmScreen
from mockint.tui.widgets.chat import ChatMessage
from mockint.tui.widgets.footer import KeysFooter
from mockint.tui.widgets.status import RoundStatus

if TYPE_CHECKING:
    from mockint.domain.transcript import Transcript
    from mockint.interview.session import RoundSession


class InterviewScreen(Screen[None]):
    """One round, from the opening question to the grade."""

    CSS_PATH = "interview.tcss"
    # short labels: with a failed model call in coach mode, eight keys share 80 columns
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,ctrl+enter", "send", "Send", key_display="^s", tooltip="Send your answer (enter adds a new line)"),
        Binding("ctrl+r", "end_round", "End", tooltip="Finish the round and see your grade"),
        Binding("ctrl+t", "hint", "Hint", tooltip="Coach mode: what your answers have not shown yet"),
        Binding("escape", "escape", "Leave", tooltip="Stop the interviewer's reply; when idle, leave (resumable)"),
        Binding("ctrl+g", "retry", "Retry", tooltip="Ask the interviewer again after it failed"),
        Binding("ctrl+o", "offline", "Offline", tooltip="Carry on with the scripted interviewer"),
    ]

    busy: reactive[bool] = reactive(False, bindings=True)
    finished: reactive[bool] = reactive(False, bindings=True)
    failed: reactive[bool] = reactive(False, bindings=True)  # the last interviewer call failed: offer retry/offline

    def __init__(self, request: PracticeRequest, backend: InterviewerBackend) -> None:
        super().__init__()
        self.request = request
        self.backend = backend
        self.session: RoundSession | None = None
        self.transcript: Transcript | None = None
        self._t0 = 0.0
        self._elapsed_at_open = 0.0

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield RoundStatus("Opening the round…", id="status")
        yield VerticalScroll(id="conversation")
        yield TextArea(
            id="answer",
            soft_wrap=True,
            tab_behavior="focus",
            placeholder="Your answer. Enter adds a line; ctrl+s (or ctrl+enter) sends it.",
        )
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#conversation", VerticalScroll).anchor()
        self.query_one("#answer", TextArea).focus()
        self._t0 = self.clock()
        self.set_interval(1.0, self.refresh_status)
        self.open_round()

    def clock(self) -> float:
        return float(self.app.clock())  # type: ignore[attr-defined]

    @property
    def live(self) -> bool:
        """A round that is open and not finished: leaving it needs a confirmation."""
        return self.session is not None and not self.finished

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hint":
            if self.request.mode != "coach":
                return False
            return True if (self.session is not None and not self.finished) else None
        if action == "send":
            return True if (self.session is not None and not self.busy and not self.finished) else None
        if action == "end_round":
            return True if self.session is not None else None
        if action in ("retry", "offline"):
            return bool(self.failed and not self.busy and not self.finished)
        return True

    # ------------------------------------------------------------ status

    def minutes_left(self) -> float:
        if self.session is None:
            return 0.0
        spec = self.session.interviewer.spec
        return spec.duration_minutes - self._elapsed_at_open - (self.clock() - self._t0) / 60

    _final_minutes: float | None = None

    def refresh_status(self) -> None:
        status = self.query_one(RoundStatus)
        if self.session is None:
            return
        spec = self.session.interviewer.spec
        if self.finished:
            state = "over · ctrl+r: grade"
        elif self.busy:
            state = "interviewer replying (esc stops)"
        else:
            state = ""
        status.show(
            title=spec.title,
            question=self.session.interviewer.questions_asked,
            max_questions=spec.max_questions,
            minutes_left=self._final_minutes if self.finished and self._final_minutes is not None else self.minutes_left(),
            mode=self.session.interviewer.mode,
            state=state,
        )

    def watch_busy(self) -> None:
        self.refresh_status()

    def watch_finished(self, finished: bool) -> None:
        if finished and self.session is not None and self._final_minutes is None:
            self._final_minutes = self.minutes_left()  # the clock stops when the round ends
        area = self.query_one("#answer", TextArea)
        area.disabled = finished
        self.refresh_status()

    # ------------------------------------------------------------ messages

    @property
    def interviewer_name(self) -> str:
        if self.session is None:
            return "Interviewer"
        persona = self.session.interviewer.spec.persona
        return f"{persona.name} ({persona.role_for(self.session.transcript.meta.company)})"

    async def add_message(self, message: ChatMessage, *, before: ChatMessage | None = None) -> ChatMessage:
        conversation = self.query_one("#conversation", VerticalScroll)
        await conversation.mount(message, before=before)
        return message

    async def stream_into(self, message: ChatMessage, items: AsyncIterator[Chunk | Reply]) -> Reply | None:
        """Write chunks into the message as they come, then one full update so Markdown renders whole."""
        stream = Markdown.get_stream(message.body)
        reply: Reply | None = None
        try:
            async for item in items:
                if isinstance(item, Reply):
                    reply = item
                else:
                    await stream.write(item.text)
        finally:
            await stream.stop()
        if reply is not None:
            await message.body.update(reply_markdown(reply))
        return reply

    async def show_transcript(self) -> None:
        """A resumed round: every saved turn, numbered as evidence will cite it."""
        assert self.session is not None
        notes = self.session.transcript.notes
        for turn in self.session.transcript.turns:
            if turn.speaker == "interviewer":
                for note in (n for n in notes if n.turn == turn.index):
                    await self.add_message(ChatMessage("Coach", note.text, kind="hint"))
                await self.add_message(ChatMessage(self.interviewer_name, turn.text, turn=turn.index))
            else:
                await self.add_message(ChatMessage("You", turn.text, kind="candidate", turn=turn.index))

    def _number_last_turns(self, *messages: ChatMessage) -> None:
        assert self.session is not None
        turns = self.session.transcript.turns
        for message, turn in zip(reversed(messages), reversed(turns), strict=False):
            message.set_turn(turn.index)

    # ------------------------------------------------------------ workers

    @work(exclusive=True, group="interviewer")
    async def open_round(self) -> None:
        req = self.request
        self.busy = True
        try:
            if req.resume is not None:
                self.session, pending = await self.backend.resume(req.resume)
                self._elapsed_at_open = max(
                    0.0, self.session.interviewer.spec.duration_minutes - self.session.interviewer.minutes_left()
                )
                meta = self.session.transcript.meta
                self.request = replace(
                    self.request, mode=meta.mode or self.request.mode, company=meta.company or self.request.company
                )
                self.refresh_bindings()
                self.refresh_status()
                await self.show_transcript()
                if pending is not None and pending.done:  # it had closed; only the end record was missing
                    await self._finish_file()
                    return
                self.notify("Round resumed where it was cut off.")
                self.restore_draft()
                if pending is None:  # the interviewer still owes a reply
                    message = await self.add_message(ChatMessage(self.interviewer_name))
                    if not await self._stream_or_fail(message, self.backend.retry(self.session)):
                        return
            else:
                self.session, first = await self.backend.start(req)
                self.refresh_status()
                message = await self.add_message(ChatMessage(self.interviewer_name))
                items = self.backend.stream_reply(first) if first is not None else self.backend.opening(self.session)
                if not await self._stream_or_fail(message, items):
                    return
                self._number_last_turns(message)
        except (MockintError, OSError) as exc:
            self.notify(str(exc), title="Could not open the round", severity="error", timeout=10)
            self.app.pop_screen()
            return
        finally:
            self.busy = False
        self.refresh_status()

    @work(exclusive=True, group="interviewer")
    async def ask(self, text: str) -> None:
        """Send one answer; the reply streams in. Cancelling shows what the transcript saved."""
        assert self.session is not None
        self.busy = True
        mine = await self.add_message(ChatMessage("You", text, kind="candidate"))
        theirs = await self.add_message(ChatMessage(self.interviewer_name))
        try:
            reply = await self.stream_into(theirs, self.backend.answer(self.session, text))
        except asyncio.CancelledError:
            await self._show_saved_reply(theirs, mine)
            raise
        except BackendError as exc:
            answered = [t for t in self.session.transcript.turns if t.speaker == "candidate"]
            if answered:
                mine.set_turn(answered[-1].index)
            await self._failed(theirs, exc)
            return
        except (MockintError, OSError) as exc:
            self.notify(str(exc), title="The interviewer failed", severity="error", timeout=10)
            return
        finally:
            self.busy = False
        self._number_last_turns(mine, theirs)
        if reply is not None and reply.hint:
            hint = reply.hint.removeprefix("Coach:").strip()
            await self.add_message(ChatMessage("Coach", hint, kind="hint"), before=theirs)
        if reply is not None and reply.done:
            await self._finish_file()

    async def _failed(self, message: ChatMessage, exc: BackendError) -> None:
        """Say what failed and what the candidate can do; every answer is already saved."""
        self.failed = True
        await message.body.update(f"*(no reply: {exc.detail})*")
        self.notify(
            f"{exc.detail}. Your answers are saved. ctrl+g retries; ctrl+o continues with the scripted interviewer.",
            title="The interviewer failed",
            severity="error",
            timeout=15,
        )

    async def _stream_or_fail(self, message: ChatMessage, items: AsyncIterator[Chunk | Reply]) -> bool:
        """Stream a reply; on a backend failure show the way out and return False."""
        try:
            await self.stream_into(message, items)
        except BackendError as exc:
            await self._failed(message, exc)
            return False
        self.failed = False
        return True

    @work(exclusive=True, group="interviewer")
    async def ask_again(self) -> None:
        """Retry after a failure (after ctrl+o, the scripted interviewer answers)."""
        assert self.session is not None
        self.busy = True
        message = await self.add_message(ChatMessage(self.interviewer_name))
        try:
            if await self._stream_or_fail(message, self.backend.retry(self.session)):
                self._number_last_turns(message)
                turns = self.session.transcript.turns
                if turns and self.session.done:
                    await self._finish_file()
        finally:
            self.busy = False
        self.refresh_status()

    def action_retry(self) -> None:
        if self.session is not None and self.failed and not self.busy:
            self.ask_again()

    def action_offline(self) -> None:
        if self.session is None or not self.failed or self.busy:
            return
        self.session.fall_back_to_scripted()
        self.notify("The scripted interviewer takes over; the transcript continues.")
        self.ask_again()

    async def _show_saved_reply(self, theirs: ChatMessage, mine: ChatMessage) -> None:
        """After a cancel, show what was saved (the transcript is the truth, not the half-streamed text)."""
        if self.session is None:
            return
        turns = self.session.transcript.turns
        if len(turns) >= 2 and turns[-1].speaker == "interviewer" and turns[-2].speaker == "candidate":
            await theirs.body.update(turns[-1].text)
            self._number_last_turns(mine, theirs)
            if turns[-1].partial:  # a model reply stopped mid-way: kept, marked as cut off
                self.failed = True
                self.notify("Stopped. What had arrived is saved, marked as cut off; ctrl+g asks again.")
            else:
                self.notify("Stopped. The reply had already been saved, so it is shown in full.")
        else:
            await theirs.body.update("*(stopped before the interviewer replied)*")
            if turns and turns[-1].speaker == "candidate":
                self.failed = True
        self.busy = False

    async def _finish_file(self) -> None:
        """The interviewer closed the round: write the end record; ctrl+r shows the grade."""
        assert self.session is not None
        self.transcript, _ = await self.backend.end(self.session)
        self.finished = True
        await self.add_message(ChatMessage("mockint", "The round is over. Press **ctrl+r** to see your grade.", kind="note"))

    @work(exclusive=True, group="interviewer")
    async def finish_round(self) -> None:
        """End now (a closing line if the interviewer had not closed), then the report."""
        assert self.session is not None
        self.busy = True
        try:
            if not self.finished:
                self.transcript, closing = await self.backend.end(self.session)
                self.finished = True
                if closing is not None:
                    message = await self.add_message(ChatMessage(self.interviewer_name))
                    await self.stream_into(message, self.backend.stream_reply(closing))
                    self._number_last_turns(message)
        finally:
            self.busy = False
        self.show_report()

    def show_report(self) -> None:
        assert self.session is not None and self.transcript is not None
        if not self.transcript.candidate_turns():
            self.notify("No answers were given, so there is nothing to grade.", severity="warning")
            self.app.pop_screen()
            return
        from mockint.services.rounds import grader_after
        from mockint.settings import current
        from mockint.tui.screens.report import ReportScreen

        grader = str(grader_after(self.session, current()))  # the same choice `practice --plain` makes
        if self.session.fell_back:  # the model failed mid-round: grade offline rather than wait on it again
            self.notify("Graded offline: the model failed during the round. Grade it with the model later from Transcripts.")
        self.app.switch_screen(ReportScreen(self.transcript, self.session.rubric, self.session.path, grader=grader))

    # ------------------------------------------------------------ actions

    def action_send(self) -> None:
        if self.session is None or self.busy or self.finished:
            return
        area = self.query_one("#answer", TextArea)
        text = area.text.strip()
        if not text:
            self.notify("Write an answer first.", severity="warning")
            return
        area.clear()
        self.ask(text)

    def action_end_round(self) -> None:
        if self.session is None:
            return
        if not self.finished and not self.session.transcript.candidate_turns():
            self.notify("Answer at least one question before ending the round; escape leaves it (resumable).", severity="warning")
            return
        if self.finished:
            if not self.busy:
                self.show_report()
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.finish_round()

        self.app.push_screen(ConfirmScreen("End the round now and see your grade?", yes="End round", no="Keep going"), confirmed)

    @work(exclusive=True, group="coach")
    async def action_hint(self) -> None:
        if self.session is None or self.request.mode != "coach":
            return
        hint = await asyncio.to_thread(coach_hint, self.session)
        await self.add_message(ChatMessage("Coach", hint, kind="hint"))

    def action_escape(self) -> None:
        if self.busy:
            self.workers.cancel_group(self, "interviewer")
            self.busy = False
            return
        self.leave()

    def leave(self, *, then_exit: bool = False) -> None:
        """Leave the round (or quit the app); an unfinished round is closed, not finished: resumable."""
        if not self.live:
            if then_exit:
                self.app.exit()
            else:
                self.app.pop_screen()
            return

        empty = (  # a loop round (its file chosen by the loop) is kept even when empty, so the loop can go on
            self.session is not None
            and self.request.out is None
            and not self.session.transcript.candidate_turns()
            and not self.query_one("#answer", TextArea).text.strip()
        )

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            self.workers.cancel_group(self, "interviewer")
            if empty and self.session is not None:  # nothing answered and nothing drafted: not a session worth keeping
                self.session.close()
                self.session.path.unlink(missing_ok=True)
                self.notify("Round discarded: nothing was answered.", timeout=4)
                if then_exit:
                    self.app.exit()
                else:
                    self.app.pop_screen()
                return
            self.close_session()
            path = self.session.path if self.session else None
            if then_exit:
                self.app.exit(message=f"Round saved to {path}; resume it from the home screen." if path else None)
            else:
                self.notify(f"Round saved; resume it from Recent.\n{path}", timeout=6)
                self.app.pop_screen()

        question = (
            "Quit mockint? This round is saved and can be resumed."
            if then_exit
            else "Leave this round? It is saved and can be resumed."
        )
        if empty:
            question = "Quit mockint? " if then_exit else "Leave this round? "
            question += "Nothing was answered, so it will be discarded."
        self.app.push_screen(ConfirmScreen(question, yes="Quit" if then_exit else "Leave", no="Stay"), confirmed)

    def close_session(self) -> None:
        if self.session is not None and not self.finished:
            self.save_draft()
            self.session.close()

    def _draft_path(self) -> Path | None:
        return self.session.path.with_name(self.session.path.name + ".draft") if self.session is not None else None

    def save_draft(self) -> None:
        """An answer typed but not sent is kept beside the transcript, so leaving never loses it."""
        path = self._draft_path()
        if path is None:
            return
        try:
            text = self.query_one("#answer", TextArea).text
        except Exception:  # the screen is being torn down
            return
        if text.strip():
            from mockint.transcripts.store import write_atomic

            write_atomic(path, text.encode())
        else:
            path.unlink(missing_ok=True)

    def restore_draft(self) -> None:
        path = self._draft_path()
        if path is None or not path.exists():
            return
        area = self.query_one("#answer", TextArea)
        area.text = path.read_text(encoding="utf-8", errors="replace")
        area.move_cursor(area.document.end)  # carry on typing where the draft stopped
        path.unlink(missing_ok=True)
        self.notify("Your unsent answer is back in the box.")

    def on_unmount(self) -> None:
        self.close_session()
