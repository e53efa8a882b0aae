"""Behaviour behind the speed work (the figures are in benchmarks/, not here): a grade is fsynced once,
saves from async code leave the event loop free, the grade index gives what a full read gives, and light
commands import only what they use."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mockint import gradestore, rubrics
from mockint.grading.run import grade_file

CAL = Path(__file__).parent / "calibration" / "tuning" / "impact_story"


def _transcript(tmp_path: Path, name: str = "talk.txt") -> Path:
    src = sorted(CAL.glob("*.txt"))[0]
    target = tmp_path / name
    target.write_text(src.read_text())
    return target


def test_a_kept_grade_is_fsynced_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _transcript(tmp_path)
    grade = grade_file(str(path), rubrics.resolve("impact_story"))
    synced: list[int] = []
    real = os.fsync

    def counting(fd: int) -> None:
        synced.append(fd)
        real(fd)

    monkeypatch.setattr(os, "fsync", counting)
    kept = gradestore.save(grade, path)
    assert len(synced) == 1, "the grade's bytes, before the rename; nothing else"
    assert gradestore.load_grade(kept) == grade
    synced.clear()
    gradestore.save(grade, path)
    assert len(synced) == 1, "a second grade into the existing folder: once again"
