"""`mockint practice --plain`: a whole round on stdin/stdout (works from a pipe).

An answer ends at an empty line; `/end` on its own line ends the round; end of input ends it too.
Every turn is saved as it happens; on Ctrl-C the round stays resumable with `--resume FILE`. With a
model backend, replies stream as they arrive; if the model fails, the candidate chooses to /retry,
go /offline (the scripted interviewer takes over) or /end — saved turns are never lost.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TextIO

from mockint.interview.base import Reply
from mockint.interview.session import RoundSession
from mockint.report.grade_text import grade_table
from mockint.services.grading import grade_or_fall_back
from mockint.services.rounds import PracticeRequest, choose_backend, grader_after, open_round
from mockint.settings import Backend, current

END, RETRY, OFFLINE = "/end", "/retry", "/offline"
PROGRESS_SECONDS = 5  # how often a silent model call says it is still waiting
MAX_ANSWER_CHARS = 50_000  # about 8,000 words: longer is a paste gone wrong, and would swell the transcript


def read_answers(stream: TextIO) -> Iterator[str | None]:
    """Yield each answer (lines up to an empty line); None means the candidate ended the round."""
    lines: list[str] = []
    for raw in stream:
        line = raw.rstrip("\n")
        if line.strip() == END:
            if lines:
                yield "\n".join(lines)
            yield None
            return
        if line.strip() in (RETRY, OFFLINE) and not lines:
            yield line.strip()
            continue
        if not line.strip():
            if lines:
                yield "\n".join(lines)
                lines = []
            continue
        lines.append(line)
    if lines:
        yield "\n".join(lines)
    yield None


class PlainRound:
    """The stdin/stdout conversation around a RoundSession."""

    def __init__(self, session: RoundSession, out: TextIO, answers: Iterator[str | None]) -> None:
        self.session = session
        self.out = out
        self.answers = answers
        self.name = session.interviewer.spec.persona.name
        self._streaming = False
        self.shown: list[str] = []  # what the current reply has streamed so far (kept if Ctrl-C cuts it)

    def _delta(self, piece: str) -> None:
        if not self._streaming:
            self.out.write(f"\n{self.name}: ")
            self._streaming = True
            self.shown = []
        self.shown.append(piece)
        self.out.write(piece)
        self.out.flush()

    def _done_streaming(self) -> None:
        if self._streaming:
            self.out.write("\n\n")
            self.out.flush()
        self._streaming = False
        self.shown = []

    def keep_interrupted(self) -> None:
        """Ctrl-C mid-reply: the part already shown is saved, marked as cut off."""
        text = "".join(self.shown).strip()
        if self._streaming and text:
            self.session.writer.add_turn("interviewer", text, partial=True)
        self._streaming = False

    async def _with_progress(self, call: Awaitable[Reply]) -> Reply:
        """Run a model call, saying every PROGRESS_SECONDS on stderr that it is still waiting (until text arrives)."""
        task = asyncio.ensure_future(call)
        waited = 0
        while True:
            done, _ = await asyncio.wait({task}, timeout=PROGRESS_SECONDS)
            if done:
                return task.result()
            waited += PROGRESS_SECONDS
            if not self._streaming:
                sys.stderr.write(f"mockint: waiting for the model ({waited} s)...\n")
                sys.stderr.flush()

    def _show_note(self, reply: Reply | None) -> None:
        """A coach note is printed apart from the interviewer's words, as it is saved apart."""
        if reply is not None and reply.cut:
            sys.stderr.write("mockint: note: that reply stopped at interviewer.max_reply_tokens; it is saved marked as cut off\n")
        if reply is not None and reply.hint:
            self.out.write(f"[coach] {reply.hint.removeprefix('Coach:').strip()}\n\n")
            self.out.flush()

    async def _next_input(self) -> str | None:
        """The next answer, read in a daemon thread: a blocked read of a terminal or pipe never keeps the process
        alive after Ctrl-C (the default executor's threads are joined at exit, which hung on a read)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[str | None] = loop.create_future()

        def settle(value: str | None, error: BaseException | None) -> None:
            if future.done():
                return
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(value)

        def read() -> None:
            try:
                value = next(self.answers, None)
            except BaseException as exc:  # handed to the waiting coroutine
                loop.call_soon_threadsafe(settle, None, exc)
                return
            loop.call_soon_threadsafe(settle, value, None)

        threading.Thread(target=read, name="answer-reader", daemon=True).start()
        return await future

    async def _call(self, make_call: Callable[[], Awaitable[Reply]]) -> Reply | None:
        """Run an interviewer call; on a model failure let the candidate retry, go offline or end."""
        from mockint.llm.client import LLMError

        call = make_call
        while True:
            try:
                reply = await self._with_progress(call())
                self._done_streaming()
                self._show_note(reply)
                return reply
            except LLMError as exc:
                self._done_streaming()
                kept = " The part it did say is saved, marked as cut off." if exc.partial.strip() else ""
                sys.stderr.write(
                    f"mockint: the model failed: {exc}.{kept} Your answers are saved. Type /retry to ask "
                    "again, /offline to continue with the scripted interviewer, or /end to finish.\n"
                )
                while True:
                    choice = await self._next_input()
                    if choice is None:
                        return None
                    if choice == RETRY:
                        call = lambda: self.session.retry_async(self._delta)  # noqa: E731
                        break
                    if choice == OFFLINE:
                        self.session.fall_back_to_scripted()
                        call = lambda: self.session.retry_async(self._delta)  # noqa: E731
                        break
                    # an answer typed instead of a choice is the candidate's next answer: save it, then ask again
                    self.session.writer.add_turn("candidate", choice.strip())
                    sys.stderr.write("mockint: your answer is saved; asking the model again (/offline to stop using it)\n")
                    call = lambda: self.session.retry_async(self._delta)  # noqa: E731
                    break

    async def run(self, pending: Reply | None, *, fresh: bool) -> None:
        if fresh:
            reply = await self._call(lambda: self.session.begin_async(self._delta))
        elif pending is None:
            reply = await self._call(lambda: self.session.retry_async(self._delta))
        else:
            reply = pending
            self.out.write(f"\n{self.name}: {pending.text}\n\n")
        while reply is not None and not reply.done:
            started = datetime.now(UTC)
            answer = await self._next_input()
            if answer is None:
                break
            if answer in (RETRY, OFFLINE):
                continue
            text = answer
            if len(text) > MAX_ANSWER_CHARS:
                sys.stderr.write(f"mockint: note: that answer is {len(text):,} characters; kept the first {MAX_ANSWER_CHARS:,}\n")
                text = text[:MAX_ANSWER_CHARS]
            reply = await self._call(partial(self.session.answer_async, text, self._delta, started=started))
        if not self.session.done:
            _, closing = await self.session.end_async(self._delta)
            self._done_streaming()
            del closing
        else:
            self.session.writer.finish()


def request_from(args: argparse.Namespace, backend: Backend) -> PracticeRequest:
    """`practice` arguments -> the round a front end runs (the same request the app's Home screen makes)."""
    return PracticeRequest(
        round_id=args.round,
        track=args.track,
        company=args.company or "pinterest",
        mode=args.mode or "realistic",
        seed=args.seed,
        out=Path(args.out) if args.out else None,
        resume=Path(args.resume) if args.resume else None,
        backend=backend,
    )


def run(args: argparse.Namespace) -> int:
    if not args.plain:
        from mockint.tui.launch import run_practice

        return run_practice(args)
    settings = current()
    request = request_from(args, choose_backend(args.backend, settings))
    out = sys.stdout
    opened = open_round(request, settings)
    session, pending = opened.session, opened.pending
    spec = session.interviewer.spec
    model = session.transcript.meta.model or settings.interviewer_model
    who = "a model: " + model if session.transcript.meta.backend == Backend.OPENAI else "offline"
    role = spec.persona.role_for(session.transcript.meta.company)
    out.write(f"{spec.title} · {spec.duration_minutes} min · {spec.persona.name}, {role} ({who})\n")
    if sys.stdin.isatty():
        out.write("Answer, then press Enter on an empty line. Type /end on its own line to finish.\n")
    out.flush()
    plain = PlainRound(session, out, read_answers(sys.stdin))
    try:
        asyncio.run(plain.run(pending, fresh=opened.fresh))
    except KeyboardInterrupt:
        plain.keep_interrupted()
        session.close()
        sys.stderr.write(
            f"\nmockint: round saved to {session.path}; resume with "
            f"'mockint practice --round {spec.id} --plain --resume {session.path}'\n"
        )
        return 130
    transcript = session.transcript
    if not transcript.candidate_turns():
        session.path.unlink(missing_ok=True)  # a round with no answers is not a session worth keeping
        out.write("No answers were given, so the round was not kept and there is nothing to grade.\n")
        return 0
    out.write(f"Transcript saved: {session.path}\n\n")
    grader = grader_after(session, settings)
    if session.fell_back:
        sys.stderr.write(
            f"mockint: note: the model failed during the round, so it is graded offline; for the model's grade, run "
            f"'mockint grade {session.path} --grader llm' once the endpoint is back\n"
        )
    # kept like every grade, with the transcript's hash: `grade` of the unchanged file finds it, `report` tells a stale one
    graded = grade_or_fall_back(str(session.path), session.rubric, grader=grader, settings=settings)
    for line in graded.notes:
        sys.stderr.write(f"mockint: note: {line}\n")
    grade = graded.grade
    out.write(grade_table([grade]))
    if grade.practise_next:
        out.write("\nPractise next:\n" + "".join(f"  {i}. {p}\n" for i, p in enumerate(grade.practise_next, 1)))
    return 0
