"""`mockint grade`: grade transcripts, print JSON Lines, Markdown or a table; one bad file stops no other."""

from __future__ import annotations

import argparse
import json
import sys

from mockint import rubrics
from mockint.errors import MockintError
from mockint.grading.run import expand_paths, grade_file, llm_configured
from mockint.report.grade_text import grade_markdown, grade_table


def choose_grader(requested: str | None) -> str:
    if requested:
        return requested
    if llm_configured():
        sys.stderr.write("mockint: note: the LLM grader is not available yet; grading offline\n")
    return "offline"


def run(args: argparse.Namespace) -> int:
    if args.samples < 1:
        raise MockintError("--samples must be at least 1")
    loaded = rubrics.resolve(args.rubric)
    grader = choose_grader(args.grader)
    if grader == "llm":
        raise MockintError("the LLM grader is not available yet in this version (use --grader offline)")
    paths = expand_paths(args.paths)
    grades, failed = [], []
    for path in paths:
        try:
            grade = grade_file(path, loaded, grader=grader, candidate=args.candidate)
        except MockintError as exc:
            sys.stderr.write(f"mockint: error: {exc}\n")
            failed.append(path)
            continue
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
