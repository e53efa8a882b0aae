"""Grade models: the JSON object of CONTRACT.md, plus what reports and history need."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

Verdict = Literal["hire", "no_hire"]
Timing = Literal["recording", "typed"]


class Evidence(BaseModel):
    """A verbatim quote from one turn of the transcript."""

    turn: int = Field(ge=1)
    quote: str


class Finding(BaseModel):
    """A turn that earned nothing and why: it did not answer, deferred, quoted an answer, or talked about the grading."""

    turn: int = Field(ge=1)
    kind: str = Field(description="non_answer, off_topic, deferral, quoted or about_grading")
    note: str


class CriterionGrade(BaseModel):
    """One criterion's score on the rubric's scale (None when it could not be scored)."""

    id: str
    title: str = ""
    score: int | float | None = Field(description="On the rubric's scale; a mean when sampled; None when unscored.")
    max: int
    weight: float
    must_pass: bool = False
    evidence: list[Evidence] = Field(default_factory=list)
    rationale: str = ""
    missing: list[str] = Field(default_factory=list, description="What the answer did not show.")
    spread: float | None = Field(default=None, description="Standard deviation over samples, when sampled.")


class LongAnswer(BaseModel):
    """A candidate turn that ran long, and for how long."""

    turn: int = Field(ge=1)
    seconds: float = Field(ge=0)


class Delivery(BaseModel):
    """How the candidate spoke (or typed), from turn times; only on grades of transcripts whose turns carry times."""

    timing: Timing = Field(
        description="recording: cue times of an imported recording; typed: when answers were sent in a practised round."
    )
    timed_answers: int = Field(ge=0, description="Candidate turns with a known length (the rates use only these).")
    candidate_seconds: float = Field(ge=0, description="Total length of the timed answers.")
    words_per_minute: float | None = None
    filler_words_per_minute: float | None = None
    fillers: dict[str, int] = Field(default_factory=dict, description="Spoken fillers in the timed answers, by filler.")
    longest_answer_seconds: float | None = None
    longest_answer_turn: int | None = None
    candidate_talk_share: float | None = Field(
        default=None, ge=0, le=1, description="The candidate's share of talking time (recording) or of the words (typed)."
    )
    median_seconds_to_answer: float | None = Field(
        default=None, description="From the end of a question to the start of its answer; recordings only."
    )
    long_answers: list[LongAnswer] = Field(default_factory=list, description="Answers over the long-answer mark.")
    long_answer_seconds: float = Field(default=180, description="The mark: answers longer than this ran long.")


class Grade(BaseModel):
    """A transcript graded against one rubric by one grader."""

    transcript: str
    transcript_id: str | None = None
    rubric: str
    rubric_version: str | int
    rubric_sha256: str
    grader: str
    score: float = Field(ge=0, le=100)
    verdict: Verdict
    criteria: list[CriterionGrade]
    flags: list[str] = Field(default_factory=list)
    verdict_reasons: list[str] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list, description="Turns that earned nothing, and why.")
    confidence: Literal["low", "medium", "high"] | None = Field(
        default=None, description="How much answer there was to judge; low means not enough evidence."
    )
    structured_output: str | None = Field(
        default=None, description="LLM grades: how JSON was asked for (json_schema, json_object, or prompt)."
    )
    practise_next: list[str] = Field(default_factory=list)
    delivery: Delivery | None = Field(default=None, description="Pace, fillers and timing, when the turns carry times.")
    samples: int = 1
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    cost_usd: float | None = None
    graded_at: datetime | None = None
    duration_s: float | None = Field(default=None, description="Wall time the grading took.")
    transcript_sha256: str | None = Field(default=None, description="Hash of the transcript file that was graded.")
    app_version: str | None = None
    note: str | None = Field(default=None, description="Human grades: what the person who scored it wrote.")

    def criterion(self, criterion_id: str) -> CriterionGrade | None:
        for crit in self.criteria:
            if crit.id == criterion_id:
                return crit
        return None
