"""Round specs, loops and tracks: who asks what, for how long, and how a committee decides."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mockint.domain.rubric import ID_PATTERN


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Persona(_Strict):
    """Who is asking: shapes the interviewer's voice and focus."""

    name: str = Field(min_length=1)
    role: str = Field(min_length=1, description="e.g. hiring manager, data scientist + engineering lead")
    style: str = Field(min_length=1, description="How they interview, in a sentence or two.")
    generic_role: str | None = Field(default=None, description="The role without company detail, for generic rounds.")

    def role_for(self, company: str | None) -> str:
        """The role as introduced for this company: the generic one unless the round is the company's own."""
        return self.role if company in (None, "pinterest") or not self.generic_role else self.generic_role


class Question(_Strict):
    """An opening question of a round's bank."""

    id: str = Field(pattern=ID_PATTERN)
    text: str = Field(min_length=1)
    company: str | None = Field(default=None, description="Company the question is specific to, if any.")
    tags: list[str] = Field(default_factory=list)


class RoundSpec(_Strict):
    """A practice round: persona, duration, rubric and question bank."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    rubric: str = Field(pattern=ID_PATTERN)
    persona: Persona
    duration_minutes: int = Field(gt=0, le=240)
    max_questions: int = Field(default=6, gt=0, le=50, description="Opening question plus follow-ups.")
    template: str = Field(default="interviewer.md.j2", description="Jinja2 system prompt in prompts/.")
    opening: str = Field(default="", description="What the interviewer says before the first question.")
    closing: str = Field(default="", description="What the interviewer says to close the round.")
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_questions(self) -> RoundSpec:
        ids = [q.id for q in self.questions]
        if len(set(ids)) != len(ids):
            raise ValueError("questions: duplicate question id")
        return self


class LoopRound(_Strict):
    """One round of an interview loop, mapped to a practice round when mockint can run it."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    minutes: int = Field(gt=0)
    interviewer: str = Field(min_length=1)
    focus: str = Field(min_length=1)
    round: str | None = Field(default=None, description="Practice round id, or None for rounds not practised.")


class CommitteeRule(_Strict):
    """A rule across rounds. `veto`: a no_hire in `rounds` rejects whatever else happened.
    `min_hires`: at least `count` hires among graded rounds. `min_mean_score`: mean score of graded rounds."""

    kind: Literal["veto", "min_hires", "min_mean_score"]
    rounds: list[str] = Field(default_factory=list)
    count: int | None = None
    score: float | None = None
    reason: str = Field(min_length=1)


class LoopSpec(_Strict):
    """An interview loop: its rounds and the committee's decision rules. The recommendation is binary."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    company: str | None = None
    source: str = ""
    rounds: list[LoopRound] = Field(min_length=1)
    rules: list[CommitteeRule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _rules_name_rounds(self) -> LoopSpec:
        ids = {r.id for r in self.rounds}
        for i, rule in enumerate(self.rules):
            for name in rule.rounds:
                if name not in ids:
                    raise ValueError(f"rules[{i}].rounds: no round {name!r} in this loop")
            if rule.kind == "min_hires" and rule.count is None:
                raise ValueError(f"rules[{i}].count: required for min_hires")
            if rule.kind == "min_mean_score" and rule.score is None:
                raise ValueError(f"rules[{i}].score: required for min_mean_score")
        return self


class TrackSpec(_Strict):
    """A job family and the rounds it practises by default."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    rounds: list[str] = Field(min_length=1)
    loop: str | None = None
