"""The Textual-free helpers behind the screens."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockint import rubrics
from mockint.errors import MockintError
from mockint.grading.run import grade_transcript
from mockint.transcripts.store import read_native
from mockint.tui.backend import chunk_words
from mockint.tui.data import (
    REPORT_SUFFIX,
    PracticeRequest,
    bar,
    compare_grades,
    export_markdown,
    new_rubric,
    report_path,
    scan_sessions,
)
from tests.tui.conftest import write_transcript


def test_chunks_rejoin_to_the_text() -> None:
    text = "Hello there,\n\n- one\n- two  words\n\n```\ncode\n```"
    chunks = chunk_words(text)
    assert "".join(chunks) == text
    assert len(chunks) > 2


def test_scan_lists_newest_first_and_keeps_broken_files(transcripts: Path) -> None:
    write_transcript(transcripts, "old", started="2026-01-01T10:00:00+00:00")
    write_transcript(transcripts, "new", started="2026-02-01T10:00:00+00:00", finished=False)
    (transcripts / "junk.jsonl").write_text("not json\n")
    sessions = scan_sessions()
    assert [s.ident for s in sessions[:2]] == ["new", "old"]
    assert sessions[0].status == "resumable" and sessions[1].status == "finished"
    assert sessions[-1].status == "unreadable" and sessions[-1].error
    assert sessions[1].answers == 3 and sessions[1].turns == 6
    assert sessions[0].matches("resumable product") and not sessions[0].matches("finished")


def test_compare_grades_of_two_rubrics(transcripts: Path) -> None:
    path = write_transcript(transcripts, "t")
    t = read_native(path)
    a = grade_transcript(t, rubrics.resolve("product_sense"), source=str(path))
    b = grade_transcript(t, rubrics.resolve("system_design"), source=str(path))
    rows = compare_grades(a, b)
    assert {r.id for r in rows} == {c.id for c in a.criteria} | {c.id for c in b.criteria}
    assert all(r.delta is None for r in rows if r.before is None or r.after is None)
    same = compare_grades(a, a)
    assert not any(r.moved for r in same)


def test_export_writes_next_to_the_transcript(transcripts: Path) -> None:
    path = write_transcript(transcripts, "t")
    grade = grade_transcript(read_native(path), rubrics.resolve("product_sense"), source=str(path))
    out = export_markdown(grade, path)
    assert out == transcripts / f"t{REPORT_SUFFIX}" == report_path(path)
    assert out.read_text().startswith("# ")
    assert out.stat().st_mode & 0o777 == 0o600


def test_new_rubric_is_valid_and_never_overwrites() -> None:
    path = new_rubric("my_rubric")
    assert rubrics.check_file(path) == []
    assert rubrics.resolve("my_rubric").rubric.title == "My rubric"
    with pytest.raises(MockintError):
        new_rubric("my_rubric")
    with pytest.raises(MockintError):
        new_rubric("Bad Id")


def test_bar() -> None:
    assert bar(2, 4, 8) == "████░░░░"
    assert bar(None, 4, 3) == "···"


def test_practice_request_from_cli_args(tmp_path: Path) -> None:
    import argparse

    from mockint.tui.launch import practice_request

    args = argparse.Namespace(
        round="system_design", track="tpm", mode="coach", company="generic", seed=3, out=str(tmp_path / "x.jsonl"), resume=None
    )
    assert practice_request(args) == PracticeRequest(
        round_id="system_design", track="tpm", company="generic", mode="coach", seed=3, out=tmp_path / "x.jsonl"
    )
