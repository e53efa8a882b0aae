"""`mockint report [PATH]`: a transcript and its grade as one Markdown or self-contained HTML report; no PATH is
the latest session.

The grade is the one that belongs to the transcript, as the app shows it: of `--rubric`, else of the transcript's
own round's rubric, made from the file as it is now. Without one, it is graded offline first and the grade is
kept, so the report always shows a grade that `diff` and `history` can find again."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mockint.domain.grade import Grade
from mockint.domain.transcript import Transcript
from mockint.errors import MockintError
from mockint.report.grade_text import grade_markdown
from mockint.report.transcript_text import render_transcript
from mockint.services.grading import grade_of_transcript
from mockint.services.sessions import latest_session
from mockint.transcripts import load_any, write_atomic


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
    path = str(args.path) if getattr(args, "path", None) else str(latest_session())
    if Path(path).is_dir():
        raise MockintError("is a folder; report takes one transcript", path=path)
    transcript = load_any(path, require_candidate=False)
    graded = grade_of_transcript(path, getattr(args, "rubric", None), transcript)
    for line in graded.notes:
        sys.stderr.write(f"mockint: note: {line}\n")
    grade = graded.grade
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
