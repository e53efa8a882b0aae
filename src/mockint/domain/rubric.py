"""Rubric models: what a hiring committee rewards and punishes, as data graders and interviewers share."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr, field_validator, model_validator

from mockint.domain.regex_safety import catastrophic, hazard

__all__ = ["Criterion", "Examples", "Level", "Rubric", "Signal", "VerdictRule", "VerdictRules", "catastrophic"]

Id = str
ID_PATTERN = r"^[a-z][a-z0-9_]*$"

Detector = Literal[
    "metric",  # a metric bound to a number, direction or target and a time frame
    "user",  # a specific person or segment in a situation
    "plan",  # ordered steps with a checkpoint or gate
    "ownership",  # what the candidate personally did ("I decided ...")
    "tradeoff",  # a choice with its cost named
    "quantity",  # a number with a unit (%, ms, weeks, users)
    "timeline",  # a time frame (weeks, a quarter, by launch)
    "example",  # a concrete worked example
    "analogy",  # an explanation by comparison
    "mitigation",  # a risk paired with what is done about it
    "reflection",  # a lesson learned or what they would do differently
    "mechanism",  # how something works: a system acting, or a condition ("checks the key on every request")
    "comparison",  # a dimension weighed: faster, cheaper, staler, versus
]
Penalty = Literal[
    "implementation_heavy",  # most words spent on schemas, endpoints and tables
    "process_only",  # sprints, tickets and ceremonies with no technical judgment
    "vague_we",  # "we did" with no personal role
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Level(_Strict):
    """One labelled point of the rubric's scale."""

    score: StrictInt = Field(ge=0, le=10, description="The level's value on the scale.")
    label: str = Field(min_length=1, description="Short name of the level, e.g. 'Strong'.")


class Signal(_Strict):
    """Something the offline grader looks for in the candidate's sentences.

    A signal fires on a sentence that contains one of `terms` (any sentence when empty)
    and passes `detector`, which asks for substance rather than the words alone.
    """

    id: Id = Field(pattern=ID_PATTERN)
    description: str = Field(min_length=1)
    terms: list[str] = Field(default_factory=list, description="Case-insensitive regular expressions.")
    detector: Detector | None = None
    weight: StrictFloat = Field(default=1.0, gt=0, le=1000, allow_inf_nan=False)

    @field_validator("terms")
    @classmethod
    def _terms_compile(cls, terms: list[str]) -> list[str]:
        for term in terms:
            try:
                re.compile(term)
            except re.error as exc:
                raise ValueError(f"term {term!r} is not a valid regular expression: {exc}") from None
            problem = hazard(term)
            if problem is not None:
                raise ValueError(f"term {term!r} {problem}; write it without that repetition")
        return terms

    @model_validator(mode="after")
    def _terms_or_detector(self) -> Signal:
        if not self.terms and self.detector is None:
            raise ValueError("a signal needs terms, a detector, or both")
        return self


class Examples(_Strict):
    """Example answers, in the rubric author's own words, used by `rubric test` and the LLM grader."""

    good: list[str] = Field(min_length=1)
    bad: list[str] = Field(min_length=1)


class Criterion(_Strict):
    """One thing the committee judges, with an observable anchor for every level of the scale."""

    id: Id = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    description: str = Field(min_length=1)
    weight: StrictFloat = Field(gt=0, le=1000, allow_inf_nan=False)
    must_pass: bool = False
    anchors: dict[StrictInt, str] = Field(description="Scale score -> what the candidate said or did at that level.")
    signals: list[Signal] = Field(min_length=1)
    penalties: list[Penalty] = Field(default_factory=list)
    probes: list[str] = Field(min_length=1, description="Questions the interviewer asks when this is missing.")
    examples: Examples
    source: str = Field(min_length=1, description="Which article or evidence the criterion comes from.")

    @field_validator("anchors")
    @classmethod
    def _anchors_non_empty(cls, anchors: dict[int, str]) -> dict[int, str]:
        for level, text in anchors.items():
            if not text.strip():
                raise ValueError(f"anchor for level {level} is empty")
        return anchors


class VerdictRule(_Strict):
    """No hire when `criterion` scores below `min`, whatever the total."""

    criterion: Id
    min: StrictInt
    reason: str = Field(min_length=1)


class VerdictRules(_Strict):
    """How the weighted score and the criteria become hire / no_hire."""

    hire_min_score: StrictFloat = Field(default=70, ge=0, le=100, description="Weighted 0-100 score needed to hire.")
    must_pass_min: StrictInt | None = Field(
        default=None, description="A must_pass criterion below this level means no_hire (default: scale middle)."
    )
    rules: list[VerdictRule] = Field(default_factory=list)


class Rubric(_Strict):
    """A YAML rubric: scale, weighted criteria and verdict rules."""

    id: Id = Field(pattern=ID_PATTERN)
    version: StrictInt | StrictStr = Field(description="An integer or a string, e.g. 2 or '2026-11'.")
    title: str = Field(min_length=1)
    round: Id = Field(pattern=ID_PATTERN)
    description: str = ""
    scale: list[Level] = Field(min_length=2)
    no_evidence_max: StrictInt | None = Field(
        default=None, description="Highest score a criterion may get with no verified evidence (default: lowest level)."
    )
    criteria: list[Criterion] = Field(min_length=1)
    verdict: VerdictRules = Field(default_factory=VerdictRules)

    @model_validator(mode="after")
    def _cross_checks(self) -> Rubric:
        scores = [level.score for level in self.scale]
        if len(set(scores)) != len(scores):
            raise ValueError("scale: level scores must be unique")
        if scores != sorted(scores):
            raise ValueError("scale: levels must be listed from lowest to highest")
        seen: set[str] = set()
        for i, crit in enumerate(self.criteria):
            if crit.id in seen:
                raise ValueError(f"criteria[{i}].id: duplicate criterion id {crit.id!r}")
            seen.add(crit.id)
            missing = [s for s in scores if s not in crit.anchors]
            if missing:
                raise ValueError(f"criteria[{i}].anchors: no anchor for level(s) {', '.join(map(str, missing))}")
            extra = [s for s in crit.anchors if s not in scores]
            if extra:
                raise ValueError(f"criteria[{i}].anchors: level(s) {', '.join(map(str, extra))} not on the scale")
            signal_ids = [s.id for s in crit.signals]
            if len(set(signal_ids)) != len(signal_ids):
                raise ValueError(f"criteria[{i}].signals: duplicate signal id")
        for j, rule in enumerate(self.verdict.rules):
            if rule.criterion not in seen:
                raise ValueError(f"verdict.rules[{j}].criterion: no criterion {rule.criterion!r} in this rubric")
            if rule.min not in scores:
                raise ValueError(f"verdict.rules[{j}].min: {rule.min} is not a level of the scale")
        for name, value in (("verdict.must_pass_min", self.verdict.must_pass_min), ("no_evidence_max", self.no_evidence_max)):
            if value is not None and value not in scores:
                raise ValueError(f"{name}: {value} is not a level of the scale")
        return self

    @property
    def min_score(self) -> int:
        return self.scale[0].score

    @property
    def max_score(self) -> int:
        return self.scale[-1].score

    @property
    def must_pass_bar(self) -> int:
        """The level a must_pass criterion needs; the middle of the scale unless the rubric says."""
        if self.verdict.must_pass_min is not None:
            return self.verdict.must_pass_min
        return self.scale[len(self.scale) // 2].score

    @property
    def evidence_cap(self) -> int:
        return self.no_evidence_max if self.no_evidence_max is not None else self.min_score

    def criterion(self, criterion_id: str) -> Criterion:
        for crit in self.criteria:
            if crit.id == criterion_id:
                return crit
        raise KeyError(criterion_id)

    def label(self, score: int) -> str:
        for level in self.scale:
            if level.score == score:
                return level.label
        return str(score)
