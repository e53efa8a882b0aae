"""A grade's Markdown report written next to its transcript (the app's Report screen: e)."""

from __future__ import annotations

from pathlib import Path

from mockint import config
from mockint.domain.grade import Grade
from mockint.report.grade_text import grade_markdown
from mockint.transcripts.store import write_atomic

REPORT_SUFFIX = ".report.md"


def report_path(transcript_path: Path | str | None) -> Path:
    """Where a grade's Markdown export goes: next to its transcript (the transcript store by default)."""
    if transcript_path:
        p = Path(transcript_path)
        if p.suffix:
            return p.with_name(p.name[: -len(p.suffix)] + REPORT_SUFFIX)
    return config.transcripts_dir() / f"report{REPORT_SUFFIX}"


def export_markdown(grade: Grade, transcript_path: Path | str | None) -> Path:
    """Write the grade's Markdown report atomically (0600) and return its path."""
    target = report_path(transcript_path)
    write_atomic(target, grade_markdown(grade).encode("utf-8"))
    return target
