"""Text, Markdown and WebVTT importers: same turns from each, and one-line errors naming file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mockint.errors import MockintError
from mockint.transcripts import load_any, read_native

from .conftest import DATA


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _turns(path: Path, **kw: object) -> list[tuple[str, str]]:
    return [(t.speaker, _norm(t.text)) for t in load_any(path, **kw).turns]  # type: ignore[arg-type]


EXPECTED = [
    ("interviewer", "Pinterest wants more people to come back weekly. What would you build?"),
    (
        "candidate",
        "Before any solution I want to pick a user. I'd focus on first-time home buyers who save renovation "
        "ideas but never act on them. They save dozens of pins a week and then stall.",
    ),
    ("interviewer", "Why them and not creators?"),
    ("candidate", "Because their intent is high and the boards show it."),
]


@pytest.mark.parametrize("name", ["mock_pinterest.txt", "mock_pinterest.md", "mock_pinterest.vtt"])
def test_every_format_imports_to_the_same_turns(name: str) -> None:
    assert _turns(DATA / name) == EXPECTED


def test_text_keeps_blank_lines_inside_a_turn() -> None:
    transcript = load_any(DATA / "mock_pinterest.txt")
    assert "them.\n\nThey save" in transcript.turns[1].text
    assert [t.index for t in transcript.turns] == [1, 2, 3, 4]


def test_vtt_names_offsets_and_candidate_choice() -> None:
    transcript = load_any(DATA / "mock_pinterest.vtt")
    assert transcript.meta.candidate_name == "Sam Park"
    assert transcript.meta.interviewer_name == "Dana Lee"
    assert [t.offset for t in transcript.turns] == [1.0, 7.0, 19.0, 22.0]
    flipped = load_any(DATA / "mock_pinterest.vtt", candidate="dana lee")
    assert [t.speaker for t in flipped.turns] == ["candidate", "interviewer", "candidate", "interviewer"]


def test_vtt_unknown_candidate_lists_speakers() -> None:
    with pytest.raises(MockintError, match=r"no speaker named 'Alex' \(speakers: Dana Lee, Sam Park\)"):
        load_any(DATA / "mock_pinterest.vtt", candidate="Alex")


@pytest.mark.parametrize(
    ("content", "line", "needle"),
    [
        ("WEBVTT\n\n00:00:01.000 --> 00:00:0x.000\n<v A>hi\n", 3, "bad cue timing"),
        (
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v A>hi\n\n00:00:05.000 --> 00:00:04.000\n<v B>x\n",
            6,
            "ends before it starts",
        ),
        ("WEBVTT\n\n00:01:75.000 --> 00:01:76.000\n<v A>hi\n", 3, "below 60"),
        ("WEBVTT\n\n00:00:09.000 --> 00:00:10.000\n<v A>hi\n\n00:00:01.000 --> 00:00:02.000\n<v B>x\n", 6, "time order"),
        ("WEBVTT\n\nidentifier only\nno timing here\n", 3, "without a timing line"),
        ("not a vtt\n", 1, "first line must be 'WEBVTT'"),
    ],
)
def test_broken_vtt_names_the_line(tmp_path: Path, content: str, line: int, needle: str) -> None:
    path = tmp_path / "broken.vtt"
    path.write_text(content)
    with pytest.raises(MockintError) as info:
        load_any(path, "vtt")
    assert info.value.line == line
    assert needle in str(info.value)
    assert str(info.value).startswith(f"{path}:{line}: ")


def test_transcript_without_candidate_turns_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "only.txt"
    path.write_text("Interviewer: hello?\nInterviewer: anyone there?\n")
    with pytest.raises(MockintError, match="no candidate turns"):
        load_any(path)


def test_text_without_labels_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("Just some notes\nabout an interview.\n")
    with pytest.raises(MockintError, match=r":1: no speaker labels found"):
        load_any(path)


def test_cli_import_then_show(cli, mockint_home: Path) -> None:
    out = cli("transcript", "import", str(DATA / "mock_pinterest.vtt"))
    assert out.code == 0, out.err
    saved = Path(out.out.strip().split(" -> ")[1])
    assert saved.parent == mockint_home / "transcripts"
    assert (saved.stat().st_mode & 0o777) == 0o600
    assert [(t.speaker, _norm(t.text)) for t in read_native(saved).turns] == EXPECTED
    again = cli("transcript", "import", str(DATA / "mock_pinterest.vtt"), "-o", str(saved))
    assert again.code == 2 and "already exists" in again.err
    shown = cli("transcript", "show", str(saved))
    assert shown.code == 0
    assert "[2] Candidate (Sam Park)  00:07" in shown.out
    assert "[4] Candidate" in shown.out


def test_cli_errors_are_one_line_without_traceback(cli, tmp_path: Path) -> None:
    path = tmp_path / "x.vtt"
    path.write_bytes(b"WEBVTT\n\n\xff\xfe\x00garbage")
    result = cli("transcript", "import", str(path), "-o", str(tmp_path / "out.jsonl"))
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert result.err.startswith(f"mockint: error: {path}:3: ")
    assert not (tmp_path / "out.jsonl").exists()


def test_a_one_off_label_inside_a_cue_is_not_a_new_speaker(tmp_path: Path) -> None:
    path = tmp_path / "label.vtt"
    path.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Dana>What would you measure?\n\n"
        "00:00:03.000 --> 00:00:04.000\n<v Sam>Weekly saves per planner.\n\n"
        "00:00:05.000 --> 00:00:06.000\nSuccess Metric: saves up 8% within six weeks.\n"
    )
    transcript = load_any(path)
    assert [(t.speaker, _norm(t.text)) for t in transcript.turns] == [
        ("interviewer", "What would you measure?"),
        ("candidate", "Weekly saves per planner. Success Metric: saves up 8% within six weeks."),
    ]


NAMED = (
    "Mock interview, 3 March\n\n"
    "Priya Raman: Pinterest wants more people to come back weekly. What would you build?\n\n"
    "**Ana:** Before any solution I want to pick a user.\n"
    "Goal: first-time home buyers who save renovation ideas but never act on them.\n\n"
    "Priya Raman: Why them and not creators?\n\n"
    "Ana: Because their intent is high and the boards show it.\n"
)


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_named_speakers_with_candidate(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"named{suffix}"
    path.write_text(NAMED)
    transcript = load_any(path, candidate="ana")
    assert [(t.speaker, _norm(t.text)) for t in transcript.turns] == [
        ("interviewer", "Pinterest wants more people to come back weekly. What would you build?"),
        (
            "candidate",
            "Before any solution I want to pick a user. Goal: first-time home buyers who save renovation ideas but "
            "never act on them.",
        ),
        ("interviewer", "Why them and not creators?"),
        ("candidate", "Because their intent is high and the boards show it."),
    ], "a one-off 'Goal:' stays text; every other named speaker is the interviewer"
    assert transcript.meta.candidate_name == "Ana" and transcript.meta.interviewer_name == "Priya Raman"
    flipped = load_any(path, candidate="Priya Raman")
    assert [t.speaker for t in flipped.turns] == ["candidate", "interviewer", "candidate", "interviewer"]


def test_a_named_speaker_nobody_placed_is_an_error_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "named.txt"
    path.write_text(NAMED)
    with pytest.raises(MockintError) as info:
        load_any(path)
    assert str(info.value).startswith(f"{path}:3: speaker 'Priya Raman' is neither Interviewer nor Candidate")
    assert "--candidate NAME" in str(info.value)
    with pytest.raises(MockintError, match=rf"^{re.escape(str(path))}:3: no speaker named 'Sam' \(speakers: Ana, Priya Raman\)"):
        load_any(path, candidate="Sam")
    mixed = tmp_path / "mixed.txt"
    mixed.write_text("Interviewer: What would you build?\n\nAna: A board planner.\n\nInterviewer: Why?\n\nAna: Intent.\n")
    with pytest.raises(MockintError, match=r"mixed.txt:3: speaker 'Ana' is neither"):
        load_any(mixed)
    assert [t.speaker for t in load_any(mixed, candidate="Ana").turns] == ["interviewer", "candidate"] * 2


def test_known_labels_keep_headings_as_text(tmp_path: Path) -> None:
    path = tmp_path / "star.txt"
    path.write_text(
        "Interviewer: Tell me about a launch.\n\nCandidate: Situation: checkout was slow.\nTask: fix it.\n\n"
        "Interviewer: And then?\n\nCandidate: Result: faster.\nTask: keep it fast.\nSITUATION: done.\n"
    )
    turns = load_any(path, candidate="Sam").turns
    assert [t.speaker for t in turns] == ["interviewer", "candidate", "interviewer", "candidate"]
    assert "Task: keep it fast." in turns[3].text


def test_cli_import_with_candidate_names(cli, tmp_path: Path) -> None:
    src = tmp_path / "named.md"
    src.write_text(NAMED)
    bad = cli("transcript", "import", str(src), "-o", str(tmp_path / "x.jsonl"))
    assert bad.code == 2 and bad.err.startswith(f"mockint: error: {src}:3: speaker 'Priya Raman'") and bad.err.count("\n") == 1
    good = cli("transcript", "import", str(src), "--candidate", "Ana", "-o", str(tmp_path / "x.jsonl"))
    assert good.code == 0, good.err
    assert [t.speaker for t in read_native(tmp_path / "x.jsonl").turns] == ["interviewer", "candidate"] * 2


def test_a_named_interviewer_beside_candidate_labels_is_not_merged(tmp_path: Path) -> None:
    path = tmp_path / "half.txt"
    path.write_text(
        "Priya: What would you build?\n\nCandidate: A board planner.\nTask: ship it.\nTask: measure it.\n\n"
        "Priya: Why?\n\nCandidate: Intent.\n"
    )
    with pytest.raises(MockintError, match=r"half.txt:1: speaker 'Priya' is neither Interviewer nor Candidate"):
        load_any(path)
    turns = load_any(path, candidate="Candidate").turns
    assert [t.speaker for t in turns] == ["interviewer", "candidate"] * 2, "headings on consecutive lines stay text"
    assert "Task: measure it." in turns[1].text
