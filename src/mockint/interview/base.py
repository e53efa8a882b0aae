"""What every interviewer is to a round: the `Interviewer` protocol that the scripted and the model interviewers
both implement, the `Reply` they give, and the one rule for picking a cut-off round back up (`restore_state`).

A round (`session.RoundSession`) talks only to this protocol, so the CLI and the app drive either interviewer
the same way: replies are async and stream through `on_delta` (the scripted one feeds its instant reply through
the same path, word by word)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from mockint.domain.round import Question, RoundSpec
from mockint.domain.rubric import Rubric
from mockint.domain.transcript import Transcript

Delta = Callable[[str], None] | None


@dataclass
class Reply:
    """What the interviewer says next; `done` closes the round. `hint` is a coach note (kept apart from the
    interviewer's words); `move` says what kind of reply it is (probe, repeat, wait, ..., close:<reason>);
    `tokens` the model's completion tokens when a model wrote it."""

    text: str
    done: bool = False
    hint: str | None = None
    criterion: str | None = None
    tokens: int | None = None
    move: str = "probe"
    aspect: str | None = None
    cut: bool = False  # a model's reply stopped at the reply limit: saved, marked as cut off


class Interviewer(Protocol):
    """An interviewer for one round. `restore` picks up a cut-off round from its transcript (see `restore_state`)."""

    spec: RoundSpec
    rubric: Rubric
    mode: str
    questions_asked: int
    started_at: float | None

    def minutes_left(self) -> float: ...

    def restore(self, transcript: Transcript) -> None: ...

    async def ask_opening(self, transcript: Transcript, on_delta: Delta = None) -> Reply:
        """The greeting and the opening question."""
        ...

    async def ask_next(self, transcript: Transcript, on_delta: Delta = None) -> Reply:
        """The reply to the candidate's last answer: a follow-up, or the close when time or questions run out."""
        ...

    async def ask_closing(self, transcript: Transcript, on_delta: Delta = None) -> Reply:
        """A closing line for a round the candidate ended."""
        ...


def emit(reply: Reply, on_delta: Delta) -> Reply:
    """Feed an instant reply through the same streaming path a model reply takes (word by word)."""
    if on_delta is not None:
        for piece in re.findall(r"\S+\s*|\s+", reply.text):
            on_delta(piece)
    return reply


@dataclass(frozen=True)
class RestoredState:
    """What a cut-off round tells an interviewer: what it asked (complete turns only; a reply cut off mid-stream
    was never fully asked), which rubric probes those were, the question the round is about, and how long it ran."""

    asked: list[str]
    asked_probes: set[str]
    question: Question | None
    elapsed_seconds: float

    @property
    def questions_asked(self) -> int:
        return len(self.asked)


def restore_state(transcript: Transcript, spec: RoundSpec, rubric: Rubric) -> RestoredState:
    """The one rule both interviewers resume by."""
    asked = [t.text for t in transcript.turns if t.speaker == "interviewer" and not t.partial]
    probes = {p for c in rubric.criteria for p in c.probes}
    question = None
    for candidate in spec.questions:
        if any(candidate.text[:60] in text for text in asked):
            question = candidate
    stamps = [s for t in transcript.turns if (s := t.ended or t.started) is not None]
    elapsed = (max(stamps) - min(stamps)).total_seconds() if len(stamps) > 1 else 0.0
    return RestoredState(asked, {p for p in probes if any(p in text for text in asked)}, question, elapsed)
