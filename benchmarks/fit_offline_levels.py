"""Fit the offline grader's level cut-offs on the tuning split only, and write them as data.

    python benchmarks/fit_offline_levels.py            # prints the fit; --write saves offline_levels.json

The cut-offs map the share of a criterion's signal weight shown to a level (see grading/levels.py).
They are chosen on `tests/calibration/tuning/` to maximise agreement with the human labels: the mean
of verdict accuracy and same-round pairwise ordering, with quadratic weighted kappa as a tie-break.
Among fits within half a point of the best, the most evenly spread cut-offs win. The held-out split is never
read here.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

from mockint import rubrics
from mockint.domain.grade import CriterionGrade
from mockint.grading import offline
from mockint.grading.calibration import load_labels, pairwise_accuracy, quadratic_weighted_kappa
from mockint.grading.levels import LEVELS_FILE
from mockint.grading.scoring import verdict, weighted_score
from mockint.transcripts import load_any

TUNING = Path(__file__).resolve().parent.parent / "tests" / "calibration" / "tuning"
GRID = [round(x * 0.025, 3) for x in range(1, 40)]
TIE = 0.005


def _inputs():
    """Per rubric: labels, and per transcript the (share shown, penalties, any shown) of each criterion."""
    out = []
    for folder in sorted(p for p in TUNING.iterdir() if p.is_dir()):
        loaded = rubrics.resolve(folder.name)
        rubric = loaded.rubric
        labels = load_labels(folder, rubric).transcripts
        rows = []
        for label in labels:
            analysis = offline.analyse(load_any(folder / label.file))
            evidence = offline.evidence_map(rubric, analysis)
            rambling = bool(offline.rambling_turns(rubric, analysis, evidence))
            crits = []
            for crit in rubric.criteria:
                chosen = evidence[crit.id]
                vague = (
                    bool(chosen)
                    and offline.wants_specifics(rubric, crit)
                    and not any(offline._specific(analysis.lowered[i]) for i in chosen.values())
                )
                penalties = len(offline._penalties(crit, analysis)) + rambling
                crits.append((offline.share_shown(crit, chosen), penalties, bool(chosen), vague))
            rows.append(crits)
        out.append((rubric, labels, rows))
    return out


def evaluate(data, cuts) -> tuple[float, float, float]:
    verdicts = n = agree = pairs = 0.0
    human_all: list[int] = []
    machine_all: list[int] = []
    for rubric, labels, rows in data:
        human_scores, machine_scores = [], []
        for label, crits in zip(labels, rows, strict=True):
            graded = []
            for crit, (share, penalties, shown, vague) in zip(rubric.criteria, crits, strict=True):
                score = offline.criterion_level(rubric, share, penalties, shown, vague, cuts)
                graded.append(
                    CriterionGrade(id=crit.id, score=score, max=rubric.max_score, weight=crit.weight, must_pass=crit.must_pass)
                )
                human_all.append(label.scores[crit.id])
                machine_all.append(score)
            score = weighted_score(rubric, graded)
            outcome, _ = verdict(rubric, graded, score)
            verdicts += outcome == label.verdict
            n += 1
            machine_scores.append(score)
            human = [
                CriterionGrade(id=c.id, score=label.scores[c.id], max=rubric.max_score, weight=c.weight) for c in rubric.criteria
            ]
            human_scores.append(weighted_score(rubric, human))
        acc, k = pairwise_accuracy(human_scores, machine_scores)
        agree += acc * k
        pairs += k
    kappa = quadratic_weighted_kappa(human_all, machine_all, [1, 2, 3, 4])
    return verdicts / n, agree / pairs, kappa


def main(write: bool) -> None:
    data = _inputs()
    scored = []
    for cuts in itertools.combinations(GRID, 3):
        v, p, k = evaluate(data, cuts)
        scored.append(((v + p) / 2, cuts, v, p, k))
    top = max(s[0] for s in scored)
    # among fits within half a point of the best, prefer evenly spread cut-offs (a wide band per level is less
    # likely to be an accident of this sample), then kappa
    near = [s for s in scored if s[0] >= top - TIE]
    _, cuts, v, p, k = max(near, key=lambda s: (min(b - a for a, b in zip((0.0, *s[1]), s[1], strict=False)), s[4]))
    print(f"cut-offs {cuts}: verdict accuracy {v:.1%}, pairwise {p:.1%}, kappa {k:.2f} (tuning split)")
    if write:
        LEVELS_FILE.write_text(json.dumps({"cutoffs": list(cuts), "fitted_on": "tests/calibration/tuning",
                                           "verdict_accuracy": round(v, 4), "pairwise": round(p, 4),
                                           "kappa": round(k, 4)}, indent=2) + "\n", encoding="utf-8")  # fmt: skip
        print(f"wrote {LEVELS_FILE}")


if __name__ == "__main__":
    main("--write" in sys.argv)
