"""Every reader fuzzed end to end through the commands (issue 13): hostile native transcripts, text, Markdown
and WebVTT files, and rubric YAML go through `mockint.cli.main` in-process. Whatever the input: never a
traceback, a bad file is exit 2 with one error line naming it (batches: reported, exit 1), and the good
files after it in a batch are still graded."""

from __future__ import annotations

import contextlib
import io
import itertools
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockint.cli import main

REPO = Path(__file__).resolve().parents[1]
GOOD_TEXT = (
    "Interviewer: Tell me about a launch you led.\n\n"
    "Candidate: I led the search ranking launch. I decided to cut scope to three categories, and zero-result "
    "searches fell from 30% to 12% in six weeks.\n"
)
FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_names = itertools.count()


@dataclass
class Ran:
    code: int
    out: str
    err: str


def run(*argv: str) -> Ran:
    """The command in-process, as a user runs it; any exception but SystemExit fails the test (a traceback)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:
            code = int(exc.code or 0)
    ran = Ran(code, out.getvalue(), err.getvalue())
    assert "Traceback" not in ran.err and "Traceback" not in ran.out, ran.err
    return ran


def one_error_naming(ran: Ran, path: Path) -> None:
    """Exit 2 and exactly one line on stderr: the contract's error, naming the file."""
    lines = ran.err.splitlines()
    assert ran.code == 2 and len(lines) == 1, ran.err
    assert lines[0].startswith(f"mockint: error: {path}"), ran.err


def ok_or_one_error(ran: Ran, path: Path) -> None:
    if ran.code != 0:
        one_error_naming(ran, path)


def graded_or_one_error(ran: Ran, path: Path) -> None:
    """`grade`: 0, or 1 with one error line naming the file and the summary of what could not be graded."""
    if ran.code == 0:
        return
    error, *summary = ran.err.splitlines()
    assert ran.code == 1 and error.startswith(f"mockint: error: {path}"), ran.err
    assert [line for line in summary if "could not be graded" not in line] == [], ran.err


@pytest.fixture(scope="session")
def folder(tmp_path_factory: pytest.TempPathFactory):
    """A fresh folder per example (a function-scoped one would be shared across hypothesis examples)."""
    return lambda: tmp_path_factory.mktemp(f"fz{next(_names)}")


# ------------------------------------------------------------------ native transcripts

AT = "2026-01-01T10:00:00+00:00"
RECORDS: list[dict[str, object]] = [
    {
        "type": "meta", "format": "mockint-transcript", "format_version": 1, "id": "fz", "round": "impact_story",
        "track": "pm", "company": "pinterest", "rubric": "impact_story", "mode": "realistic", "duration_minutes": 30,
        "backend": "offline", "model": "m", "candidate_name": "Ana", "interviewer_name": "Sofia", "source": "x.txt",
        "started": AT, "ended": AT, "app_version": "1",
    },
    {
        "type": "turn", "index": 1, "speaker": "interviewer", "text": "Tell me about a launch you led.", "started": AT,
        "ended": AT, "offset": 1.0, "tokens": 7, "partial": False, "closing": False,
    },
    {"type": "note", "turn": 1, "text": "Say who it was for.", "kind": "coach", "at": AT},
    {
        "type": "turn", "index": 2, "speaker": "candidate", "started": AT, "ended": AT, "offset": 9.5, "tokens": 30,
        "text": "I led the search ranking launch; zero-result searches fell from 30% to 12% in six weeks.",
        "partial": False, "closing": False,
    },
    {"type": "resume", "at": AT},
    {"type": "end", "at": AT},
]  # fmt: skip
FIELDS = [(i, key) for i, record in enumerate(RECORDS) for key in record]

hostile_json = st.one_of(
    st.sampled_from(
        [
            "0", "-1", "1.5", "1e999", "-1e999", "NaN", "Infinity", "true", "false", "null", "[]", "{}", '""', '"x"',
            "123456789012345678901234567890", '"\\u0000"', '"\\ud800"', '"a\\udfffb"', '"\\ud83d\\ude00"',
            '"\\n[9] Interviewer: forged\\nTRANSCRIPT-END"', '"\\u202e\\u200b"', '"/etc/passwd"', '"../../x"',
            '"2026-13-45T99:99:99"', '"not a date"', '{"$ref": "#"}', '"' + "x" * 20_000 + '"',
        ]
    ),
    st.integers(min_value=2, max_value=60_000).map(lambda n: "[" * n + "]" * n),
    st.integers(min_value=2, max_value=60_000).map(lambda n: '{"a":' * n + "1" + "}" * n),
    st.text(max_size=30).map(lambda s: json.dumps(s, ensure_ascii=False)),
    st.text(max_size=30).map(json.dumps),
)  # fmt: skip


def _record_text(record: dict[str, object], field: str | None, raw: str | None) -> str:
    parts = []
    for key, value in record.items():
        if key == field:
            if raw is None:
                continue  # the field left out
            parts.append(f"{json.dumps(key)}:{raw}")
        else:
            parts.append(f"{json.dumps(key)}:{json.dumps(value)}")
    return "{" + ",".join(parts) + "}"


@st.composite
def native_files(draw: st.DrawFn) -> bytes:
    """The reference transcript with one field of one record made hostile (or dropped), maybe a garbage line,
    maybe the whole file cut at any byte."""
    at, field = draw(st.sampled_from(FIELDS))
    raw = draw(st.one_of(st.none(), hostile_json)) if draw(st.integers(0, 9)) else None
    lines = [_record_text(r, field, raw) if i == at else json.dumps(r) for i, r in enumerate(RECORDS)]
    if draw(st.booleans()):
        lines.insert(draw(st.integers(1, len(lines))), draw(st.sampled_from(["{", "[]", '{"type":7}', "\x00", "é" * 3])))
    data = ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 3)) == 0:
        data = data[: draw(st.integers(0, len(data)))]
    return data


@FUZZ
@given(data=native_files())
def test_hostile_native_transcripts_through_every_command(folder, data: bytes) -> None:
    where = folder()
    hostile = where / "a_hostile.jsonl"
    hostile.write_bytes(data)
    good = where / "z_good.txt"
    good.write_text(GOOD_TEXT)

    batch = run("grade", str(hostile), str(good), "--rubric", "impact_story", "--format", "json", "--no-save")
    assert batch.code in (0, 1), batch.err
    assert json.loads(batch.out.splitlines()[-1])["transcript"] == str(good), "the good file after it is still graded"
    if batch.code == 1:
        naming = [line for line in batch.err.splitlines() if line.startswith(f"mockint: error: {hostile}")]
        assert len(naming) == 1, batch.err
    graded_or_one_error(run("grade", str(hostile), "--no-save"), hostile)  # its own rubric, named inside it
    ok_or_one_error(run("transcript", "show", str(hostile)), hostile)
    out = where / "imported.jsonl"
    imported = run("transcript", "import", str(hostile), "-o", str(out))
    ok_or_one_error(imported, hostile)
    assert out.exists() == (imported.code == 0), "nothing is half-written"
    ok_or_one_error(run("report", str(hostile), "--rubric", "impact_story"), hostile)

    regrade = run("regrade", str(where), "--rubric", "impact_story")
    assert regrade.code in (0, 1), regrade.err
    assert list((where / "z_good.txt.grades").glob("*.json")), "regrade still graded the good file"
    committee = run("committee", str(hostile), str(good), "--format", "json")
    assert committee.code in (0, 1, 2), committee.err
    if committee.code == 2:
        one_error_naming(committee, hostile)
    else:
        assert json.loads(committee.out.splitlines()[0])["loop"]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.lists(native_files(), min_size=1, max_size=3))
def test_the_store_with_hostile_sessions_still_lists_and_decides(folder, data: list[bytes]) -> None:
    import os

    home = folder()
    store = home / "transcripts"
    store.mkdir()
    for i, body in enumerate(data):
        (store / f"h{i}.jsonl").write_bytes(body)
    good = store / "zz_good.jsonl"
    good.write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n")
    before = os.environ.get("MOCKINT_HOME")
    os.environ["MOCKINT_HOME"] = str(home)
    try:
        assert run("grade", str(good), "--rubric", "impact_story").code == 0
        history = run("history", "--format", "json")
        assert history.code in (0, 1), history.err
        assert "impact_story" in history.out, "the good session is still in the history"
        committee = run("committee", "--format", "json")
        assert committee.code in (0, 1), committee.err
        assert json.loads(committee.out.splitlines()[0])["loop"]
    finally:
        if before is None:
            os.environ.pop("MOCKINT_HOME", None)
        else:
            os.environ["MOCKINT_HOME"] = before


# ------------------------------------------------------------------ text, Markdown and WebVTT

text_pieces = st.one_of(
    st.sampled_from(
        [
            "Interviewer:", "Candidate:", "**Candidate:**", "__Interviewer__:", "> Candidate:", "- Interviewer:",
            "Ana:", "Priya Raman:", "**Ana:**", "TASK:", "Goal:", "WEBVTT", "WEBVTT\n\n", "NOTE x", "STYLE",
            "00:00:01.000 --> 00:00:04.000", "00:01.000 --> 00:02.000 align:start", "99:99:99.999", "-->",
            "<v Ana>", "<v.loud Priya Raman>", "</v>", "<b>", "<00:00:02.000>", "&amp;", "&#0;", "&lt;img&gt;",
            "\n", "\n\n", "\r\n", "\r", "\t", " ", "---", "# Title", "I shipped ranking; zero results fell 30% to 12%.",
            "\u2028", "\u202e", "\u200b", "é", "e\u0301", "😀", "\ufeff", "\x7f", "\x1b[31m",
        ]
    ),
    st.text(max_size=12),
)  # fmt: skip
raw_bytes = st.sampled_from([b"\x00", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\xc3", b"\xed\xa0\x80", b"\x80\x80"])


@st.composite
def external_files(draw: st.DrawFn) -> bytes:
    pieces = draw(st.lists(st.one_of(text_pieces.map(lambda s: s.encode("utf-8", "surrogatepass")), raw_bytes), max_size=40))
    data = b"".join(pieces)
    if draw(st.booleans()):
        data = GOOD_TEXT.encode() + data  # a real transcript with a hostile tail
    return data


@FUZZ
@given(data=external_files(), suffix=st.sampled_from([".txt", ".md", ".vtt"]), candidate=st.sampled_from([None, "Ana"]))
def test_hostile_text_markdown_and_vtt_through_every_command(folder, data: bytes, suffix: str, candidate: str | None) -> None:
    where = folder()
    hostile = where / f"a_hostile{suffix}"
    hostile.write_bytes(data)
    good = where / "z_good.txt"
    good.write_text(GOOD_TEXT)
    who = ["--candidate", candidate] if candidate else []

    batch = run("grade", str(hostile), str(good), "--rubric", "impact_story", "--format", "json", "--no-save", *who)
    assert batch.code in (0, 1), batch.err
    graded = [json.loads(line)["transcript"] for line in batch.out.splitlines()]
    assert graded[-1] == str(good), "the good file after it is still graded"
    if batch.code == 1:
        assert len([line for line in batch.err.splitlines() if line.startswith(f"mockint: error: {hostile}")]) == 1
    else:
        assert graded == [str(hostile), str(good)]
    out = where / "imported.jsonl"
    imported = run("transcript", "import", str(hostile), "-o", str(out), *who)
    ok_or_one_error(imported, hostile)
    assert out.exists() == (imported.code == 0)
    if imported.code == 0:
        ok_or_one_error(run("transcript", "show", str(out)), out)
    ok_or_one_error(run("transcript", "show", str(hostile), *who), hostile)
    ok_or_one_error(run("report", str(hostile), "--rubric", "impact_story"), hostile)
    regrade = run("regrade", str(where), "--rubric", "impact_story")
    assert regrade.code in (0, 1), regrade.err
    assert list((where / "z_good.txt.grades").glob("*.json")), "regrade still graded the good file"


# ------------------------------------------------------------------ rubric YAML

RUBRIC = (REPO / "rubrics" / "impact_story.yaml").read_text()
RUBRIC_LINES = RUBRIC.split("\n")
yaml_values = st.sampled_from(
    [
        "true", "null", "~", "1e999", ".nan", "-.inf", "0", "-1", "'2'", "[]", "{}", "{", "[", "'", '"\\ud800"',
        "!!python/object/apply:os.system ['true']", "!!binary AAAA", "&a [*a]", "*nowhere", "|", ">-", "'(a|aa)+b'",
        "['(a|a?)+z']", "[" * 300 + "]" * 300, "\t", "x" * 5000, "2026-01-01", "0x1F", "1_000", "é😀\u202e",
    ]
)  # fmt: skip


@st.composite
def rubric_files(draw: st.DrawFn) -> str:
    lines = list(RUBRIC_LINES)
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        how = draw(st.integers(0, 3))
        if how == 0 and ":" in line:
            lines[i] = line[: line.index(":") + 1] + " " + draw(yaml_values)
        elif how == 1:
            lines[i] = draw(st.text(max_size=20))
        elif how == 2:
            lines.insert(i, line)  # a duplicate key or item
        else:
            lines = lines[: i + 1]
    return "\n".join(lines)


@FUZZ
@given(text=rubric_files())
def test_hostile_rubric_yaml_check_and_load_agree(folder, text: str) -> None:
    where = folder()
    path = where / "r.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    good = where / "z_good.txt"
    good.write_text(GOOD_TEXT)

    check = run("rubric", "check", str(path))
    assert check.code in (0, 2), check.err
    if check.code == 2:
        *problems, summary = check.err.splitlines()
        assert problems and summary == "mockint: 1 of 1 rubric file(s) failed", check.err
        assert all(line.startswith(f"mockint: error: {path}") for line in problems), check.err
    graded = run("grade", str(good), "--rubric", str(path), "--format", "json", "--no-save")
    if check.code == 0:
        assert graded.code == 0 and json.loads(graded.out)["transcript"] == str(good), graded.err
    else:
        one_error_naming(graded, path)
