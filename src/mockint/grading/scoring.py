"""From criterion scores to the 0-100 score and the verdict, by the rubric's weights and rules."""

from __future__ import annotations

from mockint.domain.grade import CriterionGrade, Verdict
from mockint.domain.rubric import Rubric


def weighted_score(rubric: Rubric, criteria: list[CriterionGrade]) -> float:
    """Weighted mean of the scored criteria, each mapped from the scale onto 0-100. Unscored ones are left out."""
    span = rubric.max_score - rubric.min_score
    total = weight = 0.0
    for crit in criteria:
        if crit.score is None:
            continue
        total += crit.weight * (crit.score - rubric.min_score) / span * 100
        weight += crit.weight
    return round(total / weight, 1) if weight else 0.0


def verdict(rubric: Rubric, criteria: list[CriterionGrade], score: float) -> tuple[Verdict, list[str]]:
    """hire only when the score clears the bar and no must_pass criterion or rule says no."""
    reasons: list[str] = []
    by_id = {c.id: c for c in criteria}
    if score < rubric.verdict.hire_min_score:
        reasons.append(f"score {score:.0f} is below the hire bar of {rubric.verdict.hire_min_score:.0f}")
    bar = rubric.must_pass_bar
    for crit in rubric.criteria:
        got = by_id.get(crit.id)
        if crit.must_pass and got is not None and (got.score is None or got.score < bar):
            shown = "unscored" if got.score is None else f"{got.score:g}"
            reasons.append(f"must-pass '{crit.title}' is {shown}, below {bar}")
    for rule in rubric.verdict.rules:
        got = by_id.get(rule.criterion)
        if got is not None and got.score is not None and got.score < rule.min:
            reasons.append(f"{rule.reason} ('{rubric.criterion(rule.criterion).title}' {got.score:g} < {rule.min})")
    return ("no_hire" if reasons else "hire"), reasons


def practise_next(rubric: Rubric, criteria: list[CriterionGrade], n: int = 3) -> list[str]:
    """The criteria with the largest weighted gap to the top of the scale, with what to practise."""
    gaps = []
    for crit in criteria:
        if crit.score is None or crit.score >= rubric.max_score:
            continue
        spec = rubric.criterion(crit.id)
        gap = crit.weight * (rubric.max_score - crit.score) * (1.5 if crit.must_pass else 1.0)
        gaps.append((gap, spec.id))
    out = []
    for _gap, cid in sorted(gaps, key=lambda g: -g[0])[:n]:
        spec = rubric.criterion(cid)
        got = next(c for c in criteria if c.id == cid)
        missing = got.missing[0] if got.missing else spec.description
        out.append(f'{spec.title}: {missing}. Practise: "{spec.probes[0]}"')
    return out
