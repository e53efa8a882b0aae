"""Transcript models: who said what in a round, and the round's metadata."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Speaker = Literal["interviewer", "candidate"]


class TranscriptMeta(BaseModel):
    """Metadata recorded when a round starts (or when an external transcript is imported)."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(min_length=1)
    round: str | None = None
    track: str | None = None
    company: str | None = None
    rubric: str | None = None
    mode: Literal["realistic", "coach"] | None = None
    duration_minutes: int | None = Field(default=None, gt=0, description="When it differs from the round spec (loops).")
    backend: str | None = Field(default=None, description="offline, openai, or import")
    model: str | None = None
    candidate_name: str | None = None
    interviewer_name: str | None = None
    source: str | None = Field(default=None, description="For imports: the file it came from.")
    started: datetime | None = None
    ended: datetime | None = None
    app_version: str | None = None
    drill: str | None = Field(default=None, description="A drill: the one criterion of the rubric it practised.")


class Turn(BaseModel):
    """One speaker's uninterrupted contribution. `index` is 1-based and is what evidence quotes cite."""

    model_config = ConfigDict(extra="ignore")

    index: int = Field(ge=1)
    speaker: Speaker
    text: str
    started: datetime | None = None
    ended: datetime | None = None
    offset: float | None = Field(default=None, ge=0, description="Seconds from the start (imported recordings).")
    end_offset: float | None = Field(default=None, ge=0, description="Seconds from the start when it ended (recordings).")
    tokens: int | None = Field(default=None, ge=0)
    partial: bool = Field(default=False, description="A message cut off mid-stream (e.g. the model died).")
    closing: bool = Field(default=False, description="The interviewer's closing line: the round was over.")


class Note(BaseModel):
    """A coach note: advice to the candidate, kept apart from what the interviewer said (never graded)."""

    model_config = ConfigDict(extra="ignore")

    turn: int = Field(ge=1, description="The interviewer turn it accompanies.")
    text: str
    kind: Literal["coach"] = "coach"
    at: datetime | None = None


class Transcript(BaseModel):
    """A whole round: metadata plus turns in order. `finished` is false for a round that was cut off."""

    meta: TranscriptMeta
    turns: list[Turn] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)
    finished: bool = False

    def candidate_turns(self) -> list[Turn]:
        return [t for t in self.turns if t.speaker == "candidate"]

    def turn(self, index: int) -> Turn | None:
        for t in self.turns:
            if t.index == index:
                return t
        return None
