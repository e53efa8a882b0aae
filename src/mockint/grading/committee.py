"""The committee's binary recommendation across the rounds of a loop, by the loop's rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from mockint.domain.grade import Grade
from mockint.domain.round import LoopSpec


@dataclass
class Decision:
    recommendation: Literal["hire", "no_hire"]
    reasons: list[str] = field(default_factory=list)
    missing_rounds: list[str] = field(default_factory=list)


def failed_because(grade: Grade) -> str:
    """Why a round failed, in the words of the rule that failed it (the grade's own verdict reasons), not the loop's
    general reason for the veto: a design that had its gated rollout but missed the score bar is told so."""
    if grade.verdict_reasons:
        return "; ".join(r.rstrip(".") for r in grade.verdict_reasons)
    return "its grade gave no reason"


def decide(loop: LoopSpec, grades: dict[str, Grade]) -> Decision:
    """`grades` maps loop round ids to that round's grade. Rounds without a grade cannot vouch for the
    candidate: a veto round that is missing counts against, so the recommendation stays honest."""
    reasons: list[str] = []
    missing = [r.id for r in loop.rounds if r.round is not None and r.id not in grades]
    graded = [g for rid, g in grades.items() if any(r.id == rid for r in loop.rounds)]
    titles = {r.id: r.title for r in loop.rounds}
    for rule in loop.rules:
        if rule.kind == "veto":
            for rid in rule.rounds:
                got = grades.get(rid)
                if got is None:
                    reasons.append(f"{titles[rid]} has not been graded yet; {rule.reason}")
                elif got.verdict == "no_hire":
                    why = failed_because(got)
                    reasons.append(f"{titles[rid]} was a no hire ({got.score:.0f}/100): {why}; it is a veto round")
        elif rule.kind == "min_hires":
            pool = [grades[r] for r in rule.rounds if r in grades] if rule.rounds else graded
            hires = sum(g.verdict == "hire" for g in pool)
            if hires < (rule.count or 0):
                reasons.append(f"only {hires} hire round(s), {rule.count} needed: {rule.reason}")
        elif rule.kind == "min_mean_score":
            pool = [grades[r] for r in rule.rounds if r in grades] if rule.rounds else graded
            mean = sum(g.score for g in pool) / len(pool) if pool else 0.0
            if mean < (rule.score or 0):
                reasons.append(f"mean score {mean:.0f} is below {rule.score:g}: {rule.reason}")
    return Decision("no_hire" if reasons else "hire", reasons, missing)
