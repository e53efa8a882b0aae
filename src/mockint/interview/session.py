"""A live round: every turn is saved (appended and fsynced) the moment it exists, so a crash,
Ctrl-C or a dead backend never loses a turn; a cut-off round resumes in the same file."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar, cast

from mockint import __version__, config
from mockint.domain.round import RoundSpec
from mockint.domain.transcript import Transcript, TranscriptMeta
from mockint.errors import MockintError
from mockint.interview.base import Delta, Interviewer, Reply
from mockint.interview.scripted import ScriptedInterviewer
from mockint.rounds import load_round
from mockint.rubrics import LoadedRubric, resolve, resolve_id
from mockint.settings import Backend, Mode, Settings
from mockint.transcripts.store import SUFFIX, TranscriptWriter, read_native

T = TypeVar("T")


def run_now(coro: Coroutine[Any, Any, T]) -> T:
    """Run a session call to its end without an event loop. The scripted interviewer never waits, so its round can
    be driven this way (scripts, tests, a worker thread); a model interviewer must be awaited."""
    try:
        coro.send(None)
    except StopIteration as stop:
        return cast(T, stop.value)
    coro.close()
    raise MockintError("this interviewer talks to a model: await the session's calls instead")


def _with_minutes(spec: RoundSpec, minutes: int | None) -> RoundSpec:
    return spec if minutes is None else spec.model_copy(update={"duration_minutes": minutes})


def new_transcript_path(round_id: str) -> tuple[str, Path]:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    ident = f"{stamp}-{round_id}-{secrets.token_hex(3)}"
    return ident, config.transcripts_dir() / f"{ident}{SUFFIX}"


def _interviewer(
    backend: Backend | str,
    spec: RoundSpec,
    loaded: LoadedRubric,
    settings: Settings | None,
    *,
    mode: str,
    company: str | None,
    track: str | None,
    seed: int | None,
) -> Interviewer:
    if backend == Backend.OPENAI:
        from mockint.interview.llm_interviewer import LLMInterviewer

        if settings is None or not settings.endpoint_configured:
            raise MockintError("a model round needs OPENAI_API_KEY or OPENAI_BASE_URL (see 'mockint config')")
        return LLMInterviewer(spec, loaded.rubric, settings, mode=mode, company=company, track=track, seed=seed)
    return ScriptedInterviewer(spec, loaded.rubric, mode=mode, company=company, seed=seed)


@dataclass
class RoundSession:
    """Drives one round: interviewer replies in, candidate answers in, each saved as it happens.

    One API for both interviewers and both front ends: `begin_async`, `answer_async`, `retry_async` and `end_async`
    stream through `on_delta`. `start`, `answer` and `end` run the very same calls to their end for a scripted round
    (scripts, tests, worker threads), so there is one path, not a synchronous copy of it."""

    interviewer: Interviewer
    writer: TranscriptWriter
    rubric: LoadedRubric
    done: bool = False
    fell_back: bool = False  # the model failed and the scripted interviewer took over: do not call it again unasked

    @classmethod
    def create(
        cls,
        round_id: str,
        *,
        backend: Backend | str = Backend.OFFLINE,
        settings: Settings | None = None,
        track: str | None = None,
        company: str | None = "pinterest",
        mode: Mode | str = Mode.REALISTIC,
        seed: int | None = None,
        out: Path | None = None,
        minutes: int | None = None,
    ) -> RoundSession:
        """A new round with its metadata saved and no turns yet; `await begin_async()` asks the first question.
        `minutes` overrides the round's length (a loop's round can be longer than the practice round's default)."""
        spec = _with_minutes(load_round(round_id), minutes)
        loaded = resolve(spec.rubric)
        ident, default_path = new_transcript_path(round_id)
        path = out if out is not None else default_path
        backend, mode = Backend(backend), Mode(mode)
        interviewer = _interviewer(backend, spec, loaded, settings, mode=mode, company=company, track=track, seed=seed)
        meta = TranscriptMeta(
            id=ident if out is None else path.stem,
            round=round_id,
            track=track,
            company=company,
            rubric=loaded.rubric.id,
            mode=mode.value,
            duration_minutes=minutes,
            backend=backend.value,
            model=settings.interviewer_model if backend == Backend.OPENAI and settings else "scripted",
            interviewer_name=spec.persona.name,
            started=datetime.now(UTC),
            app_version=__version__,
        )
        return cls(interviewer, TranscriptWriter.create(path, meta), loaded)

    @classmethod
    def start(
        cls,
        round_id: str,
        *,
        track: str | None = None,
        company: str | None = "pinterest",
        mode: Mode | str = Mode.REALISTIC,
        seed: int | None = None,
        out: Path | None = None,
        minutes: int | None = None,
    ) -> tuple[RoundSession, Reply]:
        """An offline round with its opening question already asked and saved (`create` + `begin`, run to the end)."""
        session = cls.create(round_id, track=track, company=company, mode=mode, seed=seed, out=out, minutes=minutes)
        return session, run_now(session.begin_async())

    @classmethod
    def resume(
        cls, path: Path, *, seed: int | None = None, settings: Settings | None = None
    ) -> tuple[RoundSession, Reply | None]:
        """Reopen a cut-off round in the same file. A model round continues with the model when one is configured,
        else with the scripted interviewer. Returns the question waiting for an answer; None means the interviewer
        still owes a reply (call `retry_async`)."""
        transcript = read_native(path)
        spec = _with_minutes(load_round(transcript.meta.round or ""), transcript.meta.duration_minutes)
        loaded = resolve_id(transcript.meta.rubric) if transcript.meta.rubric else resolve(spec.rubric)
        mode = transcript.meta.mode or Mode.REALISTIC
        model_round = transcript.meta.backend == Backend.OPENAI and settings is not None and settings.llm_enabled
        backend = Backend.OPENAI if model_round else Backend.OFFLINE
        meta = transcript.meta
        interviewer = _interviewer(backend, spec, loaded, settings, mode=mode, company=meta.company, track=meta.track, seed=seed)
        interviewer.restore(transcript)
        writer = TranscriptWriter.resume(path)
        session = cls(interviewer, writer, loaded)
        complete = [t for t in writer.transcript.turns if not t.partial]
        last = complete[-1] if complete else None
        if last is not None and last.closing:  # killed after the closing line but before the end record
            session.done = True
            return session, Reply(last.text, done=True, move="close:resumed")
        if last is not None and last.speaker == "interviewer" and writer.transcript.turns[-1] is last:
            return session, Reply(last.text)
        return session, None

    @property
    def transcript(self) -> Transcript:
        return self.writer.transcript

    @property
    def path(self) -> Path:
        return self.writer.path

    def _say(self, reply: Reply, tokens: int | None = None, started: datetime | None = None) -> None:
        """Save an interviewer reply; a coach hint goes beside it as a note, never into the interviewer's words."""
        turn = self.writer.add_turn(
            "interviewer", reply.text, started=started or datetime.now(UTC), tokens=tokens, partial=reply.cut, closing=reply.done
        )
        if reply.hint:
            self.writer.add_note(reply.hint.removeprefix("Coach:").strip(), turn=turn.index)
        if reply.done:
            self.done = True

    def next_hint(self) -> str:
        """Coach mode on demand (ctrl+t): the next note not given yet, saved beside the last interviewer turn."""
        from mockint.interview.scripted import coach_hints

        given = {n.text for n in self.transcript.notes}
        hint = next((h for h in coach_hints(self.rubric.rubric, self.transcript) if h not in given), None)
        if hint is None:
            return "Your answers cover what this round looks for; go deeper on the weakest point, or end the round."
        asked = [t for t in self.transcript.turns if t.speaker == "interviewer"]
        if asked:
            self.writer.add_note(hint, turn=asked[-1].index)
        if isinstance(self.interviewer, ScriptedInterviewer):
            self.interviewer.notes_given.add(hint)
        return hint

    def fall_back_to_scripted(self) -> None:
        """Carry on with the offline interviewer (e.g. the model endpoint is down); the transcript continues."""
        spec, rubric = self.interviewer.spec, self.interviewer.rubric
        scripted = ScriptedInterviewer(spec, rubric, mode=self.interviewer.mode, company=self.transcript.meta.company)
        scripted.restore(self.transcript)
        self.interviewer = scripted
        self.fell_back = True

    # ---- the round: model replies stream through `on_delta`; failures keep what was said

    async def _ask(self, call: Callable[[], Awaitable[Reply]]) -> Reply:
        """Run one interviewer call; a reply cut off mid-stream is saved as a partial turn before the error goes up."""
        started = datetime.now(UTC)
        try:
            reply = await call()
        except Exception as exc:
            partial = getattr(exc, "partial", "")
            if partial.strip():
                self.writer.add_turn("interviewer", partial, started=started, partial=True)
            raise
        # saved with no await between the reply's end and its save, so a cancel never leaves it saved twice
        self._say(reply, reply.tokens, started)  # started when the call began, ended when saved
        return reply

    async def begin_async(self, on_delta: Delta = None) -> Reply:
        """The opening question."""
        return await self._ask(lambda: self.interviewer.ask_opening(self.transcript, on_delta))

    async def answer_async(self, text: str, on_delta: Delta = None, *, started: datetime | None = None) -> Reply:
        """Save the answer (with its token count on a model round), then stream the interviewer's reply."""
        if isinstance(self.interviewer, ScriptedInterviewer):  # may be driven by run_now, with no loop: never waits
            self._save_answer(text, started)
        else:  # a model round is awaited on an event loop (the app's): the save and the token count go to a thread
            await asyncio.to_thread(self._save_answer, text, started)
        return await self._ask(lambda: self.interviewer.ask_next(self.transcript, on_delta))

    def _save_answer(self, text: str, started: datetime | None) -> None:
        count = None
        if self.transcript.meta.backend == Backend.OPENAI:
            from mockint.llm import tokens

            count = tokens.count(text, self.transcript.meta.model or "gpt-4o-mini")
        self.writer.add_turn("candidate", text.strip(), started=started, tokens=count)

    async def retry_async(self, on_delta: Delta = None) -> Reply:
        """Ask again after a failed call or a resume: the opening if no question got through, else the next reply."""
        complete = [t for t in self.transcript.turns if not t.partial]
        if not any(t.speaker == "interviewer" for t in complete):
            return await self.begin_async(on_delta)
        return await self._ask(lambda: self.interviewer.ask_next(self.transcript, on_delta))

    async def end_async(self, on_delta: Delta = None) -> tuple[Transcript, Reply | None]:
        """Close politely if the interviewer had not (a failed closing still ends the round), then finish."""
        closing = None
        if not self.done:
            try:
                closing = await self._ask(lambda: self.interviewer.ask_closing(self.transcript, on_delta))
            except Exception:  # the round ends regardless; every answer is already saved
                closing = None
        return self.writer.finish(), closing

    def answer(self, text: str, *, started: datetime | None = None) -> Reply:
        """`answer_async`, run to its end (scripted rounds)."""
        return run_now(self.answer_async(text, started=started))

    def end(self) -> tuple[Transcript, Reply | None]:
        """`end_async`, run to its end (scripted rounds)."""
        return run_now(self.end_async())

    def close(self) -> None:
        """Stop without finishing (e.g. Ctrl-C): the file stays resumable."""
        self.writer.close()
