"""A live round: every turn is saved (appended and fsynced) the moment it exists, so a crash,
Ctrl-C or a dead backend never loses a turn; a cut-off round resumes in the same file."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from mockint import __version__, config
from mockint.domain.transcript import Transcript, TranscriptMeta
from mockint.interview.scripted import Reply, ScriptedInterviewer
from mockint.rounds import load_round
from mockint.rubrics import LoadedRubric, resolve
from mockint.transcripts.store import SUFFIX, TranscriptWriter, read_native


def new_transcript_path(round_id: str) -> tuple[str, Path]:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    ident = f"{stamp}-{round_id}-{secrets.token_hex(3)}"
    return ident, config.transcripts_dir() / f"{ident}{SUFFIX}"


@dataclass
class RoundSession:
    """Drives one round: interviewer replies in, candidate answers in, each saved as it happens."""

    interviewer: ScriptedInterviewer
    writer: TranscriptWriter
    rubric: LoadedRubric
    done: bool = False

    @classmethod
    def start(
        cls,
        round_id: str,
        *,
        track: str | None = None,
        company: str | None = "pinterest",
        mode: str = "realistic",
        seed: int | None = None,
        out: Path | None = None,
    ) -> tuple[RoundSession, Reply]:
        spec = load_round(round_id)
        loaded = resolve(spec.rubric)
        ident, default_path = new_transcript_path(round_id)
        path = out if out is not None else default_path
        meta = TranscriptMeta(
            id=ident if out is None else path.stem,
            round=round_id,
            track=track,
            company=company,
            rubric=loaded.rubric.id,
            mode=mode,
            backend="offline",
            model="scripted",  # type: ignore[arg-type]
            interviewer_name=spec.persona.name,
            started=datetime.now(UTC),
            app_version=__version__,
        )
        interviewer = ScriptedInterviewer(spec, loaded.rubric, mode=mode, company=company, seed=seed)
        writer = TranscriptWriter.create(path, meta)
        session = cls(interviewer, writer, loaded)
        first = interviewer.opening()
        writer.add_turn("interviewer", first.text, started=datetime.now(UTC))
        return session, first

    @classmethod
    def resume(cls, path: Path, *, seed: int | None = None) -> tuple[RoundSession, Reply]:
        """Reopen a cut-off round; the interviewer picks up after the last saved turn."""
        transcript = read_native(path)
        spec = load_round(transcript.meta.round or "")
        loaded = resolve(transcript.meta.rubric or spec.rubric)
        interviewer = ScriptedInterviewer(
            spec, loaded.rubric, mode=transcript.meta.mode or "realistic", company=transcript.meta.company, seed=seed
        )
        interviewer.restore(transcript)
        writer = TranscriptWriter.resume(path)
        session = cls(interviewer, writer, loaded)
        last = writer.transcript.turns[-1] if writer.transcript.turns else None
        if last is not None and last.speaker == "interviewer":
            return session, Reply(last.text)
        reply = interviewer.next_reply(writer.transcript) if last is not None else interviewer.opening()
        session._say(reply)
        return session, reply

    @property
    def transcript(self) -> Transcript:
        return self.writer.transcript

    @property
    def path(self) -> Path:
        return self.writer.path

    def _say(self, reply: Reply) -> None:
        text = f"{reply.hint}\n\n{reply.text}" if reply.hint else reply.text
        self.writer.add_turn("interviewer", text, started=datetime.now(UTC))
        if reply.done:
            self.done = True

    def answer(self, text: str, *, started: datetime | None = None) -> Reply:
        """Save the candidate's answer, then the interviewer's reply (a probe, or the close)."""
        self.writer.add_turn("candidate", text.strip(), started=started)
        reply = self.interviewer.next_reply(self.transcript)
        self._say(reply)
        return reply

    def end(self) -> tuple[Transcript, Reply | None]:
        """Finish the round: a closing line if the interviewer had not closed yet (returned), then the end record."""
        closing = None
        if not self.done:
            closing = self.interviewer.closing()
            self._say(closing)
        return self.writer.finish(), closing

    def close(self) -> None:
        """Stop without finishing (e.g. Ctrl-C): the file stays resumable."""
        self.writer.close()
