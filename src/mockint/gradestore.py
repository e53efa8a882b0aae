"""Every grade is kept, never overwritten, beside its transcript: `talk.jsonl` -> `talk.grades/*.json`.

A grade file records the rubric (id, version, sha256), the grader and model, samples, tokens, cost and
timing, plus the transcript's sha256, so a re-grade with the same inputs can be skipped (unless forced)
and a changed transcript is never mistaken for the old one. Files are written whole via a temp file and
an atomic rename (0600); a kill mid-write leaves at most a hidden temp file, which readers ignore.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from mockint.domain.grade import Grade
from mockint.errors import MockintError
from mockint.transcripts.store import write_atomic

SUFFIX = ".grades"


def grades_dir(transcript: str | Path) -> Path:
    path = Path(transcript)
    return path.with_name(path.name + SUFFIX)


def transcript_sha256(transcript: str | Path) -> str:
    return hashlib.sha256(Path(transcript).read_bytes()).hexdigest()


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-")[:40] or "x"


@dataclass(frozen=True)
class GradeKey:
    """What makes two grades 'the same work': skip a re-grade when all of it matches."""

    transcript_sha256: str
    rubric_sha256: str
    grader: str
    samples: int


def key_of(grade: Grade) -> GradeKey | None:
    if not grade.transcript_sha256:
        return None
    return GradeKey(grade.transcript_sha256, grade.rubric_sha256, grade.grader, grade.samples)


def save(grade: Grade, transcript: str | Path) -> Path:
    """Keep a grade beside its transcript under a new, unique name; never replaces an existing file."""
    folder = grades_dir(transcript)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = grade.graded_at.strftime("%Y%m%dT%H%M%S%f") if grade.graded_at else "undated"
    for _ in range(10):
        path = folder / f"{stamp}-{_slug(grade.rubric)}-{_slug(grade.grader)}-{secrets.token_hex(2)}.json"
        if not path.exists():
            # one fsync: the grade's bytes before the rename. The folder is not fsynced: a grade a crash loses is one
            # a rerun makes again (regrade skips only grades it finds), and a torn one can never appear.
            write_atomic(path, (grade.model_dump_json(indent=2) + "\n").encode(), sync_folder=False)
            return path
    raise MockintError("could not find a free grade file name", path=str(folder))


def load_grade(path: str | Path) -> Grade:
    """A grade from a file written by the store, or from one line of `grade --format json`."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MockintError("no such file", path=str(p)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MockintError(f"cannot read: {exc}", path=str(p)) from None
    lines = [line for line in text.splitlines() if line.strip()]
    candidates = [text] + ([lines[0]] if len(lines) > 1 else [])  # a grade file, or JSON Lines from `grade`
    error: ValidationError | None = None
    for candidate in candidates:
        try:
            return Grade.model_validate_json(candidate)
        except ValidationError as exc:
            error = error or exc
    assert error is not None
    err = error.errors(include_url=False)[0]
    where = ".".join(str(x) for x in err["loc"]) or "grade"
    raise MockintError(f"not a mockint grade: {where}: {err['msg'].lower()}", path=str(p))


def grades_for(transcript: str | Path) -> list[tuple[Path, Grade]]:
    """Every readable grade of a transcript, oldest first (unreadable files are skipped)."""
    folder = grades_dir(transcript)
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.json")):
        try:
            out.append((path, load_grade(path)))
        except MockintError:
            continue
    out.sort(key=lambda pg: (pg[1].graded_at is None, pg[1].graded_at or 0, pg[0].name))
    return out


def latest(transcript: str | Path, rubric: str | None = None) -> tuple[Path, Grade] | None:
    found = [pg for pg in grades_for(transcript) if rubric is None or pg[1].rubric == rubric]
    return found[-1] if found else None


def find_same(transcript: str | Path, key: GradeKey) -> tuple[Path, Grade] | None:
    for path, grade in reversed(grades_for(transcript)):
        if key_of(grade) == key:
            return path, grade
    return None
