"""`mockint grade`: grade transcripts, print JSON Lines, Markdown or a table; one bad file stops no other."""

from __future__ import annotations

import argparse
import json
import sys

from mockint import rubrics
from mockint.errors import MockintError
from mockint.grading.run import choose_grader, expand_paths, grade_file, keep
from mockint.report.grade_text import grade_markdown, grade_table
from mockint.settings import load as load_settings


def run(args: argparse.Namespace) -> int:
    if args.samples < 1:
        raise MockintError("--samples must be at least 1")
    settings = load_settings()
    loaded = rubrics.resolve(args.rubric)
    grader = choose_grader(args.grader, settings)
    if grader == "offline" and args.samples > 1:
        sys.stderr.write("mockint: note: the offline grader is deterministic; --samples has no effect on it\n")
    paths = expand_paths(args.paths)
    grades, failed = [], []
    for path in paths:
        try:
            grade = grade_file(
                path,
                loaded,
                grader=grader,
                candidate=args.candidate,
                settings=settings,
                samples=args.samples if grader == "llm" else 1,
            )
        except MockintError as exc:
            sys.stderr.write(f"mockint: error: {exc}\n")
            failed.append(path)
            continue
        grades.append(grade)
        if not args.no_save:
            try:
                keep(grade, path)
            except OSError as exc:
                sys.stderr.write(f"mockint: note: {path}: grade not kept ({exc.strerror or exc})\n")
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
