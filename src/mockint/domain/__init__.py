"""Pydantic models of mockint's data, with no I/O: transcripts, rubrics, grades, rounds, loops."""

from mockint.domain.grade import CriterionGrade, Evidence, Grade
from mockint.domain.round import CommitteeRule, LoopRound, LoopSpec, Persona, Question, RoundSpec, TrackSpec
from mockint.domain.rubric import Criterion, Examples, Level, Rubric, Signal, VerdictRule, VerdictRules
from mockint.domain.transcript import Speaker, Transcript, TranscriptMeta, Turn

__all__ = [
    "CommitteeRule",
    "Criterion",
    "CriterionGrade",
    "Evidence",
    "Examples",
    "Grade",
    "Level",
    "LoopRound",
    "LoopSpec",
    "Persona",
    "Question",
    "RoundSpec",
    "Rubric",
    "Signal",
    "Speaker",
    "TrackSpec",
    "Transcript",
    "TranscriptMeta",
    "Turn",
    "VerdictRule",
    "VerdictRules",
]
