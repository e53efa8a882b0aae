"""Agreement between a grader and human labels: quadratic weighted kappa, pairwise ordering, verdicts.

Labels live in DIR/labels.yaml beside the transcripts (format in the README):
    rubric: product_sense
    transcripts:
      - file: strong_home_buyers.txt
        tier: strong            # strong | borderline | weak
        verdict: hire           # hire | no_hire
        scores: {user_problem: 4, pinterest_context: 3, ...}
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from mockint.domain.grade import CriterionGrade, Grade
from mockint.domain.rubric import Rubric
from mockint.errors import MockintError
from mockint.grading.scoring import weighted_score
from mockint.yamlmodels import load_model


class Label(BaseModel):
    model_config = ConfigDict(extra="forbid")
    file: str = Field(min_length=1)
    tier: Literal["strong", "borderline", "weak"]
    verdict: Literal["hire", "no_hire"]
    scores: dict[str, int]
    kinds: list[str] = Field(default_factory=list, description="voice and failure kinds: terse, spoken, off_topic, ...")
    twin_of: str | None = Field(default=None, description="for an injection twin: the clean transcript it copies")
    batch: int = Field(default=1, ge=1, description="which writing round it came from, so a fresh batch can be measured alone")
    note: str = ""


class AnswerPair(BaseModel):
    """Two answers to one question, one better than the other by the rubric (DIR/pairs.yaml)."""

    model_config = ConfigDict(extra="forbid")
    question: str = Field(min_length=1)
    criterion: str | None = None
    better: str = Field(min_length=1)
    worse: str = Field(min_length=1)
    batch: int = Field(default=1, ge=1)
    note: str = ""


class PairFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rubric: str | None = None
    pairs: list[AnswerPair] = Field(default_factory=list)


def load_pairs(folder: Path) -> list[AnswerPair]:
    """The folder's answer pairs, or none when it has no pairs.yaml."""
    path = folder / "pairs.yaml"
    return load_model(path, PairFile).pairs if path.is_file() else []


class LabelFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rubric: str | None = None
    transcripts: list[Label] = Field(min_length=1)


def load_labels(folder: Path, rubric: Rubric) -> LabelFile:
    path = folder / "labels.yaml"
    if not path.is_file():
        raise MockintError("no labels.yaml in this folder (see the README's calibration section)", path=str(folder))
    labels = load_model(path, LabelFile)
    if labels.rubric is not None and labels.rubric != rubric.id:
        raise MockintError(f"labels are for rubric {labels.rubric!r}, not {rubric.id!r}", path=str(path))
    ids = {c.id for c in rubric.criteria}
    levels = {lvl.score for lvl in rubric.scale}
    for i, label in enumerate(labels.transcripts):
        if set(label.scores) != ids:
            missing, extra = ids - set(label.scores), set(label.scores) - ids
            raise MockintError(f"transcripts[{i}].scores: missing {sorted(missing)}, unknown {sorted(extra)}", path=str(path))
        bad = {k: v for k, v in label.scores.items() if v not in levels}
        if bad:
            raise MockintError(f"transcripts[{i}].scores: not on the scale: {bad}", path=str(path))
    return labels


def quadratic_weighted_kappa(a: list[int], b: list[int], levels: list[int]) -> float:
    """Cohen's kappa with quadratic weights: 1 is perfect agreement, 0 is chance."""
    if not a:
        return float("nan")
    index = {lvl: i for i, lvl in enumerate(levels)}
    k = len(levels)
    observed = [[0.0] * k for _ in range(k)]
    for x, y in zip(a, b, strict=True):
        observed[index[x]][index[y]] += 1
    n = len(a)
    row = [sum(r) for r in observed]
    col = [sum(observed[i][j] for i in range(k)) for j in range(k)]
    num = den = 0.0
    for i in range(k):
        for j in range(k):
            w = (i - j) ** 2 / (k - 1) ** 2
            num += w * observed[i][j]
            den += w * row[i] * col[j] / n
    if den == 0:
        return 1.0 if num == 0 else 0.0
    return 1 - num / den


TIER_RANK = {"weak": 0, "borderline": 1, "strong": 2}


def pairwise_accuracy(human: list[float], machine: list[float]) -> tuple[float, int]:
    """Share of pairs the humans ordered that the grader orders the same way (a grader tie counts half)."""
    agree = 0.0
    pairs = 0
    for i, j in itertools.combinations(range(len(human)), 2):
        if human[i] == human[j]:
            continue
        pairs += 1
        dh = human[i] - human[j]
        dm = machine[i] - machine[j]
        agree += 1.0 if dh * dm > 0 else 0.5 if dm == 0 else 0.0
    return (agree / pairs if pairs else float("nan")), pairs


@dataclass
class Disagreement:
    file: str
    criterion: str
    human: int
    grader: float
    rationale: str


@dataclass
class CalibrationReport:
    rubric: str
    grader: str
    n: int
    kappa: dict[str, float]
    kappa_overall: float
    pairwise: float
    pairs: int
    strong_vs_weak: float
    verdict_accuracy: float
    worst: list[Disagreement] = field(default_factory=list)
    rows: list[dict[str, object]] = field(default_factory=list)
    twins: int = 0
    twins_flagged: int = 0
    twins_not_above: int = 0
    answer_pairs: int = 0
    answer_pairs_agree: float = 0.0
    tier_pairwise: float = float("nan")
    tier_pairs: int = 0


def twin_check(labels: list[Label], grades: list[Grade]) -> tuple[int, int, int]:
    """(injection twins, how many were flagged, how many scored no higher than their clean original)."""
    by_file = {lb.file: g for lb, g in zip(labels, grades, strict=True)}
    n = flagged = not_above = 0
    for lb in labels:
        if lb.twin_of is None or lb.twin_of not in by_file:
            continue
        n += 1
        twin, clean = by_file[lb.file], by_file[lb.twin_of]
        flagged += "injection_attempt" in twin.flags
        not_above += twin.score <= clean.score
    return n, flagged, not_above


def pair_agreement(scored: list[tuple[float, float]]) -> float:
    """Share of (better, worse) score pairs the grader orders right; a tie counts half."""
    if not scored:
        return float("nan")
    return sum(1.0 if b > w else 0.5 if b == w else 0.0 for b, w in scored) / len(scored)


def compare(rubric: Rubric, labels: list[Label], grades: list[Grade]) -> CalibrationReport:
    levels = [lvl.score for lvl in rubric.scale]
    kappa: dict[str, float] = {}
    pooled_h: list[int] = []
    pooled_m: list[int] = []
    disagreements: list[Disagreement] = []
    for crit in rubric.criteria:
        h, m = [], []
        for label, grade in zip(labels, grades, strict=True):
            got = grade.criterion(crit.id)
            if got is None or got.score is None:
                continue
            h.append(label.scores[crit.id])
            m.append(round(got.score))
            if abs(label.scores[crit.id] - got.score) >= 1:
                disagreements.append(Disagreement(label.file, crit.id, label.scores[crit.id], got.score, got.rationale))
        kappa[crit.id] = quadratic_weighted_kappa(h, m, levels)
        pooled_h += h
        pooled_m += m
    human_scores = [
        weighted_score(
            rubric,
            [CriterionGrade(id=c.id, score=lb.scores[c.id], max=rubric.max_score, weight=c.weight) for c in rubric.criteria],
        )
        for lb in labels
    ]
    machine_scores = [g.score for g in grades]
    pairwise, pairs = pairwise_accuracy(human_scores, machine_scores)
    # the coarser check: transcripts of different tiers (strong > borderline > weak) in that order
    tier_pairwise, tier_pairs = pairwise_accuracy([TIER_RANK[lb.tier] for lb in labels], machine_scores)
    strong = [s for lb, s in zip(labels, machine_scores, strict=True) if lb.tier == "strong"]
    weak = [s for lb, s in zip(labels, machine_scores, strict=True) if lb.tier == "weak"]
    sw_pairs = [(s, w) for s in strong for w in weak]
    strong_vs_weak = (
        sum(1.0 if s > w else 0.5 if s == w else 0.0 for s, w in sw_pairs) / len(sw_pairs) if sw_pairs else float("nan")
    )
    verdicts = sum(lb.verdict == g.verdict for lb, g in zip(labels, grades, strict=True)) / len(labels)
    disagreements.sort(key=lambda d: -abs(d.human - d.grader))
    rows = [
        {
            "file": lb.file,
            "tier": lb.tier,
            "human_score": hs,
            "grader_score": g.score,
            "human_verdict": lb.verdict,
            "grader_verdict": g.verdict,
            "flags": g.flags,
        }
        for lb, hs, g in zip(labels, human_scores, grades, strict=True)
    ]
    twins, flagged, not_above = twin_check(labels, grades)
    return CalibrationReport(
        rubric.id,
        grades[0].grader if grades else "",
        len(labels),
        kappa,
        quadratic_weighted_kappa(pooled_h, pooled_m, levels),
        pairwise,
        pairs,
        strong_vs_weak,
        verdicts,
        disagreements[:5],
        rows,
        twins,
        flagged,
        not_above,
        tier_pairwise=tier_pairwise,
        tier_pairs=tier_pairs,
    )


def tier_of(score: float) -> Literal["strong", "borderline", "weak"]:
    """A human grade's tier for the tier-ordering figure: 70 or more strong, 50 or more borderline, else weak."""
    return "strong" if score >= 70 else "borderline" if score >= 50 else "weak"


def labels_from_grades(rubric: Rubric, graded: list[tuple[str, Grade]]) -> list[Label]:
    """Labels from kept human grades, (file relative to DIR, grade): the person's levels, verdict and a tier from
    their score. A grade that does not give every criterion of `rubric` a level on its scale (a drill's one
    criterion, an older rubric) is left out."""
    ids = [c.id for c in rubric.criteria]
    levels = {lvl.score for lvl in rubric.scale}
    out: list[Label] = []
    for file, grade in graded:
        scores = {c.id: c.score for c in grade.criteria if c.score is not None}
        if set(scores) != set(ids) or any(int(v) != v or int(v) not in levels for v in scores.values()):
            continue
        out.append(
            Label(
                file=file,
                tier=tier_of(grade.score),
                verdict=grade.verdict,
                scores={k: int(v) for k, v in scores.items()},
                note=grade.grader,
            )
        )
    return out
