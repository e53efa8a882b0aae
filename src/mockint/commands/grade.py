"""`mockint grade`: grade transcripts, print JSON Lines, Markdown or a table; one bad file stops no other.

Without `--rubric`, a native transcript is graded with its own round's rubric (`services.grading.rubric_for`)."""

from __future__ import annotations

import argparse
import json
import sys

from mockint import rubrics
from mockint.errors import MockintError
from mockint.grading.run import expand_paths
from mockint.report.grade_text import grade_markdown, grade_table
from mockint.rubrics import LoadedRubric
from mockint.services.grading import choose_grader, grade_and_keep, rubric_for
from mockint.settings import GraderKind, current


def run(args: argparse.Namespace) -> int:
    if args.samples < 1:
        raise MockintError("--samples must be at least 1")
    settings = current()
    named: LoadedRubric | None = rubrics.resolve(args.rubric) if args.rubric else None
    grader = choose_grader(args.grader, settings)
    if grader == GraderKind.OFFLINE and args.samples > 1:
        sys.stderr.write("mockint: note: the offline grader is deterministic; --samples has no effect on it\n")
    paths = expand_paths(args.paths)
    grades, failed = [], []
    for path in paths:
        try:
            loaded = named or rubric_for(path, None)
            graded = grade_and_keep(
                path,
                loaded,
                grader=grader,
                candidate=args.candidate,
                settings=settings,
                samples=args.samples if grader == GraderKind.LLM else 1,
                save=not args.no_save,
            )
        except MockintError as exc:
            sys.stderr.write(f"mockint: error: {exc}\n")
            failed.append(path)
            continue
        for line in graded.notes:
            sys.stderr.write(f"mockint: note: {line}\n")
        grade = graded.grade
        grades.append(grade)
        if args.format == "json":
            sys.stdout.write(json.dumps(grade.model_dump(mode="json"), ensure_ascii=False) + "\n")
            sys.stdout.flush()
        elif args.format == "markdown":
            if len(grades) > 1:
                sys.stdout.write("\n---\n\n")
            sys.stdout.write(grade_markdown(grade))
    if args.format == "table" and grades:
        sys.stdout.write(grade_table(grades))
    if failed:
        sys.stderr.write(f"mockint: {len(failed)} of {len(paths)} transcript(s) could not be graded: {', '.join(failed)}\n")
        return 1
    return 0
