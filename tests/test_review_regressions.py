"""Regressions from a review against the contract: each test is a reported defect, now fixed."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from mockint import gradestore
from mockint.grading.sentences import split_turn
from mockint.transcripts import read_native

from .conftest import run_subprocess


def test_yaml_alias_bomb_is_refused_quickly(cli, tmp_path: Path) -> None:
    rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefg", "bcdefgh", strict=True):
        rows.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(rows) + "\n")
    started = time.monotonic()
    out = cli("rubric", "check", str(path))
    assert out.code == 2 and "nested aliases" in out.err and "Traceback" not in out.err
    assert time.monotonic() - started < 10


def test_sentence_splitting_is_linear_in_abbreviations() -> None:
    started = time.monotonic()
    sentences = split_turn(2, "e.g. " * 40_000)  # 200 KB of abbreviations: was minutes, quadratic
    assert sentences and time.monotonic() - started < 5


def test_io_errors_are_one_line(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "t.txt"
    source.write_text("Interviewer: q\n\nCandidate: I led the launch.\n")
    to_folder = cli("transcript", "import", str(source), "-o", str(tmp_path), "--force")
    assert to_folder.code == 2 and "is a folder" in to_folder.err
    monkeypatch.setenv("MOCKINT_HOME", str(source))  # a file, not a folder
    bad_home = cli("history")
    assert bad_home.code == 2 and "cannot use it as mockint's home" in bad_home.err
    assert "Traceback" not in to_folder.err + bad_home.err


def test_infinite_weights_are_rejected_at_check(cli, tmp_path: Path) -> None:
    from .conftest import DATA

    path = tmp_path / "inf.yaml"
    path.write_text((DATA / "sample_rubric.yaml").read_text().replace("    weight: 1\n", "    weight: .inf\n"))
    out = cli("rubric", "check", str(path))
    assert out.code == 2 and "criteria[1].weight: input should be a finite number" in out.err


def test_practice_keeps_its_grade_for_history(tmp_path: Path) -> None:
    home = tmp_path / "home"
    out = run_subprocess(
        "practice",
        "--round",
        "impact_story",
        "--plain",
        "--seed",
        "1",
        stdin="I led the launch and saves rose 9% in 6 weeks.\n\n/end\n",
        env={"MOCKINT_HOME": str(home)},
    )
    assert out.returncode == 0, out.stderr
    (saved,) = (home / "transcripts").glob("*.jsonl")
    assert len(gradestore.grades_for(saved)) == 1
    history = run_subprocess("history", "--format", "json", env={"MOCKINT_HOME": str(home)})
    assert json.loads(history.stdout)["sessions"] == 1


def test_grade_folders_picked_up_by_a_glob_are_skipped(cli, data: Path) -> None:
    first = cli("grade", str(data / "mock_pinterest.txt"), "--rubric", "product_sense", "--format", "json")
    assert first.code == 0
    grades = data / "mock_pinterest.txt.grades"
    assert grades.is_dir()
    again = cli("grade", str(data / "mock_pinterest.txt"), str(grades), "--rubric", "product_sense", "--format", "json")
    assert again.code == 0 and len(again.out.splitlines()) == 1


def test_llm_grader_needs_an_endpoint(cli, data: Path) -> None:
    out = cli("grade", str(data / "mock_pinterest.txt"), "--rubric", "product_sense", "--grader", "llm")
    assert out.code == 2 and "needs OPENAI_API_KEY or OPENAI_BASE_URL" in out.err


def test_transcript_show_escapes_terminal_control_codes(cli, tmp_path: Path) -> None:
    from mockint.domain import Transcript, TranscriptMeta, Turn
    from mockint.transcripts.store import serialise, write_atomic

    path = tmp_path / "esc.jsonl"
    write_atomic(
        path,
        serialise(
            Transcript(
                meta=TranscriptMeta(id="esc"),
                finished=True,
                turns=[Turn(index=1, speaker="candidate", text="hello \x1b[2J\x07 world")],
            )
        ),
    )
    out = cli("transcript", "show", str(path))
    assert out.code == 0 and "\x1b" not in out.out and "\x07" not in out.out and "\\x1b[2J" in out.out


def test_generic_rounds_do_not_greet_as_pinterest(tmp_path: Path) -> None:
    out = run_subprocess(
        "practice",
        "--round",
        "product_sense",
        "--plain",
        "--company",
        "generic",
        "--out",
        str(tmp_path / "g.jsonl"),
        stdin="I'd start with small shop owners.\n",
        env={"MOCKINT_HOME": str(tmp_path / "h")},
    )
    assert out.returncode == 0
    first = read_native(tmp_path / "g.jsonl").turns[0].text.lower()
    assert "pinterest" not in first and "home feed" not in first
    header = out.stdout.splitlines()[0].lower()
    assert "pinterest" not in header and "home feed" not in header, "the header names a generic interviewer too"


def test_rubric_check_and_list_agree_on_a_misnamed_user_rubric(cli, mockint_home: Path) -> None:
    from .conftest import DATA

    folder = mockint_home / "rubrics"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ps_override.yaml").write_text((DATA / "sample_rubric.yaml").read_text())  # id: sample
    checked = cli("rubric", "check")
    assert checked.code == 2 and "does not match the file name" in checked.err
    assert "broken" in cli("rubric", "list").out
