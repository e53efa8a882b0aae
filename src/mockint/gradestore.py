"""Every grade is kept, never overwritten, beside its transcript: `talk.jsonl` -> `talk.grades/*.json`.

A grade file records the rubric (id, version, sha256), the grader and model, samples, tokens, cost and
timing, plus the transcript's sha256, so a re-grade with the same inputs can be skipped (unless forced)
and a changed transcript is never mistaken for the old one. Files are written whole via a temp file and
an atomic rename (0600); a kill mid-write leaves at most a hidden temp file, which readers ignore.

What lists and skip checks need of each grade (rubric, grader, hashes, samples, when) is indexed in
`talk.grades/.index` (JSON, written atomically): an entry is trusted while its file keeps its size and mtime,
any other file is read and added, and a missing or broken index is simply rebuilt, so the index always gives
what reading every file would. Only the grade that is wanted is then read in full.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

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
    return read_kept([ph for ph in headers_for(transcript) if rubric is None or ph[1].rubric == rubric])


@dataclass(frozen=True)
class Header:
    """What lists and skip checks need of a kept grade, without reading it whole."""

    rubric: str
    grader: str
    rubric_sha256: str
    samples: int
    transcript_sha256: str | None = None
    graded_at: datetime | None = None

    @property
    def key(self) -> GradeKey | None:
        if not self.transcript_sha256:
            return None
        return GradeKey(self.transcript_sha256, self.rubric_sha256, self.grader, self.samples)


INDEX = ".index"  # beside the grades; not a *.json name, so never read as a grade
INDEX_FORMAT = 1


def _header(grade: Grade) -> dict[str, Any]:
    return {
        "rubric": grade.rubric,
        "grader": grade.grader,
        "rubric_sha256": grade.rubric_sha256,
        "samples": grade.samples,
        "transcript_sha256": grade.transcript_sha256,
        "graded_at": grade.graded_at.isoformat() if grade.graded_at else None,
    }


def _from_record(record: dict[str, Any]) -> Header:
    when = record.get("graded_at")
    return Header(
        rubric=record["rubric"],
        grader=record["grader"],
        rubric_sha256=record["rubric_sha256"],
        samples=record["samples"],
        transcript_sha256=record.get("transcript_sha256"),
        graded_at=datetime.fromisoformat(when) if when else None,
    )


def _read_index(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != INDEX_FORMAT or not isinstance(data.get("grades"), dict):
        return {}
    return data["grades"]


def headers_for(transcript: str | Path) -> list[tuple[Path, Header]]:
    """Every readable grade's header, in the order of `grades_for`, from the index (brought up to date first)."""
    folder = grades_dir(transcript)
    try:
        files = {e.name: e for e in os.scandir(folder) if e.name.endswith(".json")}
    except OSError:  # no grades yet (or not a folder)
        return []
    known = _read_index(folder)
    entries: dict[str, Any] = {}
    changed = set(known) != set(files)
    for name, entry in files.items():
        try:
            info = entry.stat()
            stamp = [info.st_size, info.st_mtime_ns]
        except OSError:
            stamp = None
        old = known.get(name)
        if stamp is not None and isinstance(old, list) and len(old) == 3 and old[:2] == stamp:
            entries[name] = old
            continue
        try:
            record: dict[str, Any] | None = _header(load_grade(folder / name))
        except MockintError:
            record = None  # unreadable: skipped, as grades_for skips it
        entries[name] = [*(stamp or [-1, -1]), record]
        changed = True
    if changed:
        with contextlib.suppress(OSError):  # a read-only folder is still listed, only not indexed
            data = json.dumps({"format": INDEX_FORMAT, "grades": entries}, separators=(",", ":")).encode()
            write_atomic(folder / INDEX, data, sync_folder=False)
    out = []
    for name, (_size, _mtime, record) in entries.items():
        if record is None:
            continue
        try:
            out.append((folder / name, _from_record(record)))
        except (KeyError, TypeError, ValueError):  # a hand-edited index: read that grade itself
            with contextlib.suppress(MockintError):
                out.append((folder / name, _from_record(_header(load_grade(folder / name)))))
    out.sort(key=lambda ph: (ph[1].graded_at is None, ph[1].graded_at or 0, ph[0].name))
    return out


def read_kept(found: list[tuple[Path, Header]]) -> tuple[Path, Grade] | None:
    """The newest of `found` that can still be read whole."""
    for path, _ in reversed(found):
        with contextlib.suppress(MockintError):
            return path, load_grade(path)
    return None


def find_same(transcript: str | Path, key: GradeKey) -> tuple[Path, Grade] | None:
    return read_kept([ph for ph in headers_for(transcript) if ph[1].key == key])
