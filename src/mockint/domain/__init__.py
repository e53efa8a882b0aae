"""Pydantic models of mockint's data, with no I/O: transcripts, rubrics, grades, rounds, loops.

The names below are imported on first use (PEP 562), so `mockint.domain.transcript` does not build the grade,
round and rubric models too: a command pays only for the models it uses."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mockint.domain.grade import CriterionGrade, Evidence, Grade
    from mockint.domain.round import CommitteeRule, LoopRound, LoopSpec, Persona, Question, RoundSpec, TrackSpec
    from mockint.domain.rubric import Criterion, Examples, Level, Rubric, Signal, VerdictRule, VerdictRules
    from mockint.domain.transcript import Speaker, Transcript, TranscriptMeta, Turn

_HOME = {
    "grade": ("CriterionGrade", "Evidence", "Grade"),
    "round": ("CommitteeRule", "LoopRound", "LoopSpec", "Persona", "Question", "RoundSpec", "TrackSpec"),
    "rubric": ("Criterion", "Examples", "Level", "Rubric", "Signal", "VerdictRule", "VerdictRules"),
    "transcript": ("Speaker", "Transcript", "TranscriptMeta", "Turn"),
}
_MODULE_OF = {name: module for module, names in _HOME.items() for name in names}

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


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'mockint.domain' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"mockint.domain.{module}"), name)
    globals()[name] = value
    return value
