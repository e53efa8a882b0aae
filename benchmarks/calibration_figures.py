"""The offline grader's calibration figures on one split, as the README's table.

    python benchmarks/calibration_figures.py tuning      # what tuning may look at
    python benchmarks/calibration_figures.py heldout     # measured only, never tuned on
    python benchmarks/calibration_figures.py heldout --batch 2   # only the transcripts of one writing round

Each row is `mockint calibrate tests/calibration/<split>/<rubric> --rubric <rubric>`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mockint.commands.calibrate import calibrate

RUBRICS = ["product_sense", "system_design", "impact_story", "technical_explainer", "program_execution"]
ROOT = Path(__file__).resolve().parent.parent / "tests" / "calibration"


def _share(value: float, n: int) -> str:
    return f"{value:.0%}" if n else "–"


def main(split: str, verbose: bool = False, batch: int | None = None) -> None:
    totals = {
        "n": 0,
        "pairs": 0,
        "agree": 0.0,
        "tpairs": 0,
        "tagree": 0.0,
        "verdicts": 0.0,
        "twins": 0,
        "flagged": 0,
        "not_above": 0,
        "ap": 0,
        "ap_ok": 0.0,
    }
    header = [
        "rubric",
        "transcripts",
        "tier ordering",
        "pairwise ordering",
        "verdict accuracy",
        "kappa",
        "injection twins flagged / not above",
    ]
    print("| " + " | ".join([*header, "better vs worse answer"]) + " |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for rid in RUBRICS:
        r = calibrate(ROOT / split / rid, rid, batch=batch)
        totals["n"] += r.n
        totals["pairs"] += r.pairs
        totals["agree"] += r.pairwise * r.pairs
        totals["tpairs"] += r.tier_pairs
        totals["tagree"] += r.tier_pairwise * r.tier_pairs if r.tier_pairs else 0.0
        totals["verdicts"] += r.verdict_accuracy * r.n
        totals["twins"] += r.twins
        totals["flagged"] += r.twins_flagged
        totals["not_above"] += r.twins_not_above
        totals["ap"] += r.answer_pairs
        totals["ap_ok"] += r.answer_pairs_agree * r.answer_pairs
        print(
            f"| `{rid}` | {r.n} | {_share(r.tier_pairwise, r.tier_pairs)} ({r.tier_pairs}) | "
            f"{r.pairwise:.0%} ({r.pairs} pairs) | "
            f"{r.verdict_accuracy:.0%} | {r.kappa_overall:.2f} | "
            f"{r.twins_flagged}/{r.twins} · {r.twins_not_above}/{r.twins} | {r.answer_pairs_agree:.0%} ({r.answer_pairs}) |"
        )
        if verbose:
            for row in r.rows:
                mark = "" if row["human_verdict"] == row["grader_verdict"] else "  VERDICT"
                print(f"    {row['file'][:48]:48} h={row['human_score']:5.1f} g={row['grader_score']:5.1f} {row['flags']}{mark}")
    t = totals
    print(
        f"| all | {t['n']} | {t['tagree'] / t['tpairs']:.0%} ({t['tpairs']}) | "
        f"{t['agree'] / t['pairs']:.0%} ({t['pairs']} pairs) | "
        f"{t['verdicts'] / t['n']:.0%} | | "
        f"{t['flagged']}/{t['twins']} · {t['not_above']}/{t['twins']} | {t['ap_ok'] / t['ap']:.0%} ({t['ap']}) |"
    )


if __name__ == "__main__":
    batch = int(sys.argv[sys.argv.index("--batch") + 1]) if "--batch" in sys.argv else None
    main(sys.argv[1] if len(sys.argv) > 1 else "tuning", "-v" in sys.argv, batch)
