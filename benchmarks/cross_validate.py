"""Cross-validated figures on the tuning split only: are the fitted cut-offs an accident of this sample?

    python benchmarks/cross_validate.py

Five folds by transcript (injection twins travel with their originals). For each fold the level
cut-offs are refitted on the other four and the fold is graded with them; a ridge regression on the
same evidence features (plus transcript-level ones) is fitted and scored the same way, as the
learned alternative. Prints verdict accuracy, all-pairs and tier ordering. Never reads heldout/.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable
from pathlib import Path

from mockint import rubrics
from mockint.domain.grade import CriterionGrade
from mockint.grading import offline
from mockint.grading.calibration import TIER_RANK, load_labels, pairwise_accuracy
from mockint.grading.levels import cutoffs
from mockint.grading.scoring import verdict, weighted_score
from mockint.transcripts import load_any

TUNING = Path(__file__).resolve().parent.parent / "tests" / "calibration" / "tuning"
FINDINGS = ("non_answer", "off_topic", "deferral", "quoted")
Row = dict
LevelFn = Callable[[Row, object], int]


def extract() -> list[Row]:
    """Per labelled transcript: its rubric, label, fold group and per-criterion evidence features."""
    rows = []
    for folder in sorted(p for p in TUNING.iterdir() if p.is_dir()):
        rubric = rubrics.resolve(folder.name).rubric
        for label in load_labels(folder, rubric).transcripts:
            a = offline.analyse(load_any(folder / label.file))
            ev = offline.evidence_map(rubric, a)
            ramble = bool(offline.rambling_turns(rubric, a, ev))
            shares = {c.id: offline.share_shown(c, ev[c.id]) for c in rubric.criteria}
            found = {k: min(sum(f.kind == k for f in a.reading.findings), 3) / 3 for k in FINDINGS}
            feats = {}
            for c in rubric.criteria:
                chosen = ev[c.id]
                cited = set(chosen.values())
                vague = (
                    bool(chosen)
                    and offline.wants_specifics(rubric, c)
                    and not any(offline._specific(a.lowered[i]) for i in cited)
                )
                feats[c.id] = {
                    "share": shares[c.id], "pen": len(offline._penalties(c, a)) + ramble, "shown": bool(chosen),
                    "vague": vague, "frac": len(chosen) / len(c.signals), "nsent": min(len(cited), 3) / 3,
                    "spec": min(sum(offline._specific(a.lowered[i]) for i in cited), 2) / 2,
                    "mean": sum(shares.values()) / len(shares), "words": math.log1p(a.reading.words) / 7, **found,
                }  # fmt: skip
            rows.append({"rubric": rubric, "label": label, "feats": feats, "group": (folder.name, label.twin_of or label.file)})
    return rows


def score(rows: list[Row], level: LevelFn) -> tuple[float, float, float]:
    """(verdict accuracy, all pairs, tier ordering) with levels from `level`."""
    by_rubric: dict[str, list[Row]] = {}
    for r in rows:
        by_rubric.setdefault(r["rubric"].id, []).append(r)
    right = n = agree = pairs = tier_agree = tier_pairs = 0.0
    for group in by_rubric.values():
        rubric = group[0]["rubric"]
        human, machine, tiers = [], [], []
        for r in group:
            graded = [
                CriterionGrade(id=c.id, score=level(r, c), max=rubric.max_score, weight=c.weight, must_pass=c.must_pass)
                for c in rubric.criteria
            ]
            s = weighted_score(rubric, graded)
            right += verdict(rubric, graded, s)[0] == r["label"].verdict
            n += 1
            machine.append(s)
            tiers.append(TIER_RANK[r["label"].tier])
            labelled = [
                CriterionGrade(id=c.id, score=r["label"].scores[c.id], max=rubric.max_score, weight=c.weight)
                for c in rubric.criteria
            ]
            human.append(weighted_score(rubric, labelled))
        acc, k = pairwise_accuracy(human, machine)
        agree, pairs = agree + acc * k, pairs + k
        acc, k = pairwise_accuracy(tiers, machine)
        tier_agree, tier_pairs = tier_agree + (acc * k if k else 0), tier_pairs + k
    return right / n, agree / pairs, tier_agree / tier_pairs


def cutoff_level(cuts: tuple[float, ...]) -> LevelFn:
    def level(r: Row, c) -> int:
        f = r["feats"][c.id]
        return offline.criterion_level(r["rubric"], f["share"], f["pen"], f["shown"], f["vague"], cuts)

    return level


def fit_cutoffs(train: list[Row]) -> LevelFn:
    """The grid search of fit_offline_levels.py, on a coarser grid (steps of 0.05)."""
    grid = [round(x * 0.05, 2) for x in range(1, 20)]
    best = max(itertools.combinations(grid, 3), key=lambda cuts: sum(score(train, cutoff_level(cuts))[:2]))
    return cutoff_level(best)


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    m = [[*row, b[i]] for i, row in enumerate(a)]
    size = len(m)
    for i in range(size):
        pivot = max(range(i, size), key=lambda j: abs(m[j][i]))
        m[i], m[pivot] = m[pivot], m[i]
        for j in range(size):
            if j != i:
                factor = m[j][i] / m[i][i]
                m[j] = [x - factor * y for x, y in zip(m[j], m[i], strict=True)]
    return [m[i][size] / m[i][i] for i in range(size)]


def fit_ridge(train: list[Row], lam: float = 3.0) -> LevelFn:
    """Least squares with an L2 penalty from the features to the human level, rounded to the scale."""
    names = sorted(train[0]["feats"][train[0]["rubric"].criteria[0].id])
    vec = lambda f: [1.0, *(float(f[k]) for k in names)]  # noqa: E731
    xs = [vec(r["feats"][c.id]) for r in train for c in r["rubric"].criteria]
    ys = [r["label"].scores[c.id] for r in train for c in r["rubric"].criteria]
    d = len(xs[0])
    a = [[sum(x[i] * x[j] for x in xs) + (lam if i == j and i else 0.0) for j in range(d)] for i in range(d)]
    w = _solve(a, [sum(x[i] * y for x, y in zip(xs, ys, strict=True)) for i in range(d)])

    def level(r: Row, c) -> int:
        p = sum(wi * xi for wi, xi in zip(w, vec(r["feats"][c.id]), strict=True))
        out = min((lvl.score for lvl in r["rubric"].scale), key=lambda s: abs(s - p))
        return out if r["feats"][c.id]["shown"] else min(out, r["rubric"].evidence_cap)

    return level


def cross_validate(rows: list[Row], fit: Callable[[list[Row]], LevelFn], k: int = 5) -> tuple[float, float, float]:
    groups = sorted({r["group"] for r in rows})
    random.Random(7).shuffle(groups)
    fold = {g: i % k for i, g in enumerate(groups)}
    levels: dict[tuple[int, str], int] = {}
    for i in range(k):
        level = fit([r for r in rows if fold[r["group"]] != i])
        for r in rows:
            if fold[r["group"]] == i:
                for c in r["rubric"].criteria:
                    levels[(id(r), c.id)] = level(r, c)
    return score(rows, lambda r, c: levels[(id(r), c.id)])


def _show(name: str, figures: tuple[float, float, float]) -> None:
    print(f"{name:34} {figures[0]:.3f}  {figures[1]:.3f}  {figures[2]:.3f}")


def main() -> None:
    rows = extract()
    print(f"{len(rows)} tuning transcripts; verdicts / all pairs / tier ordering")
    _show("fitted cut-offs, in sample", score(rows, cutoff_level(cutoffs())))
    _show("cut-offs, 5-fold CV", cross_validate(rows, fit_cutoffs))
    for lam in (0.3, 3.0, 10.0):
        _show(f"ridge (lambda {lam:g}), 5-fold CV", cross_validate(rows, lambda t, lam=lam: fit_ridge(t, lam)))


if __name__ == "__main__":
    main()
