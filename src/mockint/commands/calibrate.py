"""`mockint calibrate DIR --rubric ID [--labels human[:NAME]]`: how well a grader agrees with human labels, from
DIR/labels.yaml or from the human grades kept beside the transcripts (`mockint score`)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
from pathlib import Path

from mockint import rubrics
from mockint.domain.transcript import Transcript, TranscriptMeta, Turn
from mockint.errors import MockintError
from mockint.grading.calibration import (
    CalibrationReport,
    Label,
    compare,
    labels_from_grades,
    load_labels,
    load_pairs,
    pair_agreement,
)
from mockint.grading.run import expand_paths, grade_file, grade_transcript
from mockint.rubrics import LoadedRubric
from mockint.services.scoring import HUMAN, human_grades
from mockint.settings import current


def exchange(question: str, answer: str) -> Transcript:
    """A one-question transcript: how an answer pair is graded."""
    return Transcript(
        meta=TranscriptMeta(id="answer-pair"),
        turns=[Turn(index=1, speaker="interviewer", text=question), Turn(index=2, speaker="candidate", text=answer)],
        finished=True,
    )


def human_labels(folder: Path, loaded: LoadedRubric, source: str) -> list[Label]:
    """`--labels human[:NAME]`: each transcript's newest kept human grade of the rubric (by NAME when given)."""
    kind, sep, name = source.partition(":")
    if kind != "human" or (sep and not name.strip()):
        raise MockintError(f"--labels {source!r}: expected human or human:NAME")
    rubric = loaded.rubric
    graded = []
    for path in expand_paths([str(folder)]):
        found = human_grades(path, rubric.id, name or None)
        if found:
            graded.append((str(Path(path).relative_to(folder)), found[-1][1]))
    labels = labels_from_grades(rubric, graded)
    if not labels:
        who = f"{HUMAN}{name}" if name else "anyone"
        raise MockintError(
            f"no kept human grades of rubric {rubric.id} by {who} that score every criterion "
            "(score transcripts with 'mockint score FILE --as NAME')",
            path=str(folder),
        )
    if len(labels) < len(graded):
        sys.stderr.write(f"mockint: note: {len(graded) - len(labels)} human grade(s) left out: not every criterion scored\n")
    return labels


def calibrate(
    folder: Path, rubric_ref: str, grader: str = "offline", batch: int | None = None, labels_from: str | None = None
) -> CalibrationReport:
    """Grade every labelled transcript (with the offline or the configured LLM grader) and compare with the labels
    (labels.yaml, or kept human grades with `labels_from`); `batch` keeps only the transcripts and pairs of one
    writing round."""
    loaded = rubrics.resolve(rubric_ref)
    if not folder.is_dir():
        raise MockintError("not a folder", path=str(folder))
    if labels_from is not None:
        labels = human_labels(folder, loaded, labels_from)
    else:
        labels = [lb for lb in load_labels(folder, loaded.rubric).transcripts if batch is None or lb.batch == batch]
    settings = current() if grader == "llm" else None
    grades = [grade_file(str(folder / label.file), loaded, grader=grader, settings=settings) for label in labels]
    report = compare(loaded.rubric, labels, grades)
    pairs = [p for p in load_pairs(folder) if batch is None or p.batch == batch]
    if pairs:
        scored = [
            tuple(
                grade_transcript(exchange(pair.question, answer), loaded, grader=grader, settings=settings, source="pair").score
                for answer in (pair.better, pair.worse)
            )
            for pair in pairs
        ]
        report.answer_pairs = len(pairs)
        report.answer_pairs_agree = pair_agreement(scored)  # type: ignore[arg-type]
    return report


def _share(value: float) -> str:
    """A share as the table shows it; a dash where there was nothing to compare (no pairs, no strong or weak)."""
    return "     –" if math.isnan(value) else f"{value:6.1%}"


def render(report: CalibrationReport, labelled: str = "labelled") -> str:
    out = [f"Calibration of the {report.grader} grader on {report.n} {labelled} transcripts ({report.rubric})", ""]
    out.append(f"  pairwise ordering accuracy   {_share(report.pairwise)}  ({report.pairs} pairs humans ordered)")
    out.append(f"  tier ordering                {_share(report.tier_pairwise)}  ({report.tier_pairs} pairs of different tiers)")
    out.append(f"  strong above weak            {_share(report.strong_vs_weak)}")
    out.append(f"  verdict accuracy             {_share(report.verdict_accuracy)}")
    out.append(f"  quadratic weighted kappa     {report.kappa_overall:6.2f}  (all criteria pooled)")
    if report.twins:
        out.append(
            f"  injection twins              {report.twins_flagged}/{report.twins} flagged, "
            f"{report.twins_not_above}/{report.twins} not above their clean twin"
        )
    if report.answer_pairs:
        out.append(f"  better vs worse answer       {report.answer_pairs_agree:6.1%}  ({report.answer_pairs} pairs)")
    out.append("")
    width = max(len(k) for k in report.kappa)
    for cid, k in report.kappa.items():
        out.append(f"    {cid:<{width}}  kappa {k:5.2f}")
    if report.worst:
        out += ["", "  Worst disagreements:"]
        for d in report.worst:
            out.append(f"    {d.file}  {d.criterion}: human {d.human}, grader {d.grader:g}")
    return "\n".join(out) + "\n"


def run(args: argparse.Namespace) -> int:
    source = getattr(args, "labels", None)
    report = calibrate(Path(args.dir), args.rubric, args.grader, labels_from=source)
    if args.format == "json":
        sys.stdout.write(json.dumps(dataclasses.asdict(report), default=str) + "\n")
    else:
        sys.stdout.write(render(report, f"{source}-scored" if source else "labelled"))
    return 0
