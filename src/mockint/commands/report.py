"""`mockint report PATH`: a transcript and its latest kept grade as one Markdown or self-contained HTML report.

A transcript with no kept grade (of `--rubric`, when given) is graded offline first and the grade is kept, so
the report always shows a grade that `diff` and `history` can find again.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mockint import gradestore, rounds, rubrics
from mockint.commands.diff import rubric_id
from mockint.domain.grade import Grade
from mockint.domain.transcript import Transcript
from mockint.errors import MockintError
from mockint.grading.run import grade_file, keep
from mockint.report.grade_text import grade_markdown
from mockint.report.transcript_text import render_transcript
from mockint.transcripts import load_any, write_atomic


def _note(text: str) -> None:
    sys.stderr.write(f"mockint: note: {text}\n")


def default_rubric(transcript: Transcript, path: str) -> str:
    """The rubric a transcript was practised against, or its round's rubric."""
    if transcript.meta.rubric:
        return transcript.meta.rubric
    if transcript.meta.round:
        return rounds.load_round(transcript.meta.round).rubric
    raise MockintError("no kept grade and no round recorded in the transcript; pass --rubric ID", path=path)


def grade_for(path: str, transcript: Transcript, rubric_ref: str | None) -> Grade:
    """The latest kept grade (of the rubric, when named); otherwise an offline grade, kept beside the transcript."""
    found = gradestore.latest(path, rubric_id(rubric_ref))
    if found is not None:
        grade = found[1]
        if grade.transcript_sha256 and grade.transcript_sha256 != gradestore.transcript_sha256(path):
            _note(f"{path} changed since this grade was made; grade it again for a current one")
        return grade
    loaded = rubrics.resolve(rubric_ref) if rubric_ref else rubrics.resolve_id(default_rubric(transcript, path))
    grade = grade_file(path, loaded, grader="offline")
    try:
        kept = keep(grade, path)
    except OSError as exc:
        _note(f"{path}: grade not kept ({exc.strerror or exc})")
    else:
        if kept is not None:
            _note(f"no kept grade of {loaded.rubric.id}: graded offline and kept it in {kept}")
    return grade


def _fence(text: str) -> str:
    """A code fence longer than any run of backticks in the text, so the transcript cannot close it."""
    longest, run = 0, 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


def markdown_report(grade: Grade, transcript: Transcript) -> str:
    """The grade report, then the transcript with turn numbers in a fence (so its text is shown, not rendered)."""
    body = render_transcript(transcript, width=100).rstrip("\n")
    fence = _fence(body)
    return f"{grade_markdown(grade).rstrip()}\n\n## Transcript\n\n{fence}text\n{body}\n{fence}\n"


def run(args: argparse.Namespace) -> int:
    path = str(args.path)
    if Path(path).is_dir():
        raise MockintError("is a folder; report takes one transcript", path=path)
    transcript = load_any(path, require_candidate=False)
    grade = grade_for(path, transcript, getattr(args, "rubric", None))
    if (getattr(args, "format", None) or "markdown") == "html":
        from mockint.report.html import grade_html

        text = grade_html(grade, transcript)
    else:
        text = markdown_report(grade, transcript)
    out = getattr(args, "output", None)
    if out:
        target = Path(out)
        if target.is_dir():
            raise MockintError("is a folder; -o takes a file name", path=out)
        try:
            write_atomic(target, text.encode("utf-8"))
        except OSError as exc:
            raise MockintError(f"cannot write: {exc.strerror or exc}", path=out) from None
        print(f"report written to {target}")
    else:
        sys.stdout.write(text)
    return 0
