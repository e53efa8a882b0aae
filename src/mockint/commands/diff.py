"""`mockint diff`: what changed between two grades of one transcript (rubric v1 vs v2, offline vs LLM, two
models), or, given a folder, how such a change moved verdicts and criteria across every transcript in it.

Forms: `diff GRADE_A GRADE_B` (two grade files), `diff TRANSCRIPT [--rubric ID]` (its two latest kept grades),
`diff DIR|TRANSCRIPT... [--rubric ID]` (a summary over each transcript's two latest differing grades).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from mockint import gradestore
from mockint.domain.grade import Grade
from mockint.errors import MockintError
from mockint.grading.run import expand_paths
from mockint.report import compare
from mockint.services.grading import rubric_id_of


def looks_like_grade(path: Path) -> bool:
    """A grade file (`.json`), or JSON Lines whose first record is a grade (saved `grade --format json`)."""
    if not path.is_file():
        return False
    if path.suffix.lower() == ".json":
        return True
    if path.suffix.lower() != ".jsonl":
        return False
    try:
        with path.open("rb") as fh:
            first = json.loads(fh.readline(1 << 20) or b"null")
    except (OSError, ValueError):
        return False
    return isinstance(first, dict) and "criteria" in first and "verdict" in first


def _note(text: str) -> None:
    sys.stderr.write(f"mockint: note: {text}\n")


def _emit(text_or_obj: str | dict[str, Any]) -> None:
    if isinstance(text_or_obj, dict):
        sys.stdout.write(json.dumps(text_or_obj, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(text_or_obj)


def _show_pair(a: Grade, b: Grade, label_a: str, label_b: str, fmt: str) -> None:
    warning = compare.different_transcripts(a, b)
    if warning:
        _note(warning)
    if a.rubric != b.rubric:
        _note(f"the grades are of different rubrics ({a.rubric} vs {b.rubric}): their criteria are listed as only in one")
    d = compare.diff_grades(a, b)
    if fmt == "json":
        _emit(compare.diff_json(d, label_a, label_b))
    elif fmt == "markdown":
        _emit(compare.diff_markdown(d, label_a, label_b))
    else:
        _emit(compare.diff_table(d, label_a, label_b))


def _of_rubric(kept: list[tuple[Path, Grade]], rubric: str | None) -> tuple[str | None, list[tuple[Path, Grade]]]:
    """Grades of `rubric`, or of the newest grade's rubric when none is named."""
    chosen = rubric or (kept[-1][1].rubric if kept else None)
    return chosen, [pg for pg in kept if pg[1].rubric == chosen]


def _one_transcript(path: str, rubric: str | None, fmt: str) -> int:
    kept = gradestore.grades_for(path)
    if not kept:
        raise MockintError("no kept grades to compare (grade it first: mockint grade PATH --rubric ID)", path=path)
    chosen, of_rubric = _of_rubric(kept, rubric)
    if rubric is None and len({g.rubric for _, g in kept}) > 1:
        _note(f"comparing grades of rubric {chosen} (the newest grade's); --rubric chooses another")
    pair = compare.pick_pair(of_rubric, strict=False)
    if pair is None:
        raise MockintError(f"{len(of_rubric)} kept grade(s) of rubric {chosen}; two are needed", path=path)
    (path_a, a), (path_b, b) = pair
    _show_pair(a, b, str(path_a), str(path_b), fmt)
    return 0


def summarise(transcripts: list[str], rubric: str | None) -> compare.FolderSummary:
    """Each transcript's newest grade against its newest older grade made with another rubric file or grader."""
    summary = compare.FolderSummary(pairs=[], skipped=[])
    for path in transcripts:
        kept = gradestore.grades_for(path)
        chosen, of_rubric = _of_rubric(kept, rubric)
        pair = compare.pick_pair(of_rubric)
        if pair is None:
            if not of_rubric:
                why = f"no kept grades of rubric {chosen}" if chosen else "no kept grades"
            elif len(of_rubric) == 1:
                why = f"1 kept grade of rubric {chosen}"
            else:
                why = f"{len(of_rubric)} kept grades of rubric {chosen}, all with the same rubric file and grader"
            summary.skipped.append((path, why))
            continue
        (path_a, a), (path_b, b) = pair
        summary.pairs.append(compare.ComparedPair(path, compare.diff_grades(a, b), str(path_a), str(path_b)))
    return summary


def run(args: argparse.Namespace) -> int:
    paths: list[str] = list(getattr(args, "paths", None) or [])
    if not paths:  # the parser's older shape: two positionals
        paths = [p for p in (getattr(args, "grade_a", None), getattr(args, "grade_b", None)) if p]
    fmt = getattr(args, "format", None) or "table"
    rubric = rubric_id_of(getattr(args, "rubric", None))
    if not paths:
        raise MockintError("diff needs GRADE_A GRADE_B, or a transcript or folder")
    for p in paths:
        if not Path(p).exists():
            raise MockintError("no such file or folder", path=p)
    grade_files = [p for p in paths if looks_like_grade(Path(p))]
    if grade_files:
        if len(paths) != 2 or len(grade_files) != 2:
            raise MockintError("give exactly two grade files (GRADE_A GRADE_B), or transcripts and folders, not a mix")
        a, b = (gradestore.load_grade(p) for p in paths)
        if rubric is not None and rubric not in (a.rubric, b.rubric):
            _note(f"--rubric {rubric} is ignored: the grade files are of {a.rubric} and {b.rubric}")
        _show_pair(a, b, paths[0], paths[1], fmt)
        return 0
    if len(paths) == 1 and Path(paths[0]).is_file():
        return _one_transcript(paths[0], rubric, fmt)
    summary = summarise(expand_paths(paths), rubric)
    for pair in summary.pairs:
        warning = compare.different_transcripts(pair.diff.a, pair.diff.b)
        if warning:
            _note(warning)
    if fmt == "json":
        _emit(compare.folder_json(summary))
    elif fmt == "markdown":
        _emit(compare.folder_markdown(summary))
    else:
        _emit(compare.folder_table(summary))
    return 0 if summary.pairs else 1
