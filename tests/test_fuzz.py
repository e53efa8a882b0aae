"""Every loader and importer, fuzzed: any input either parses or raises a one-line MockintError."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockint.domain import LoopSpec, RoundSpec, Rubric
from mockint.errors import MockintError
from mockint.textfiles import decode
from mockint.transcripts.labelled_text import parse_labelled
from mockint.transcripts.loading import parse_text
from mockint.transcripts.store import parse_native
from mockint.transcripts.vtt import parse_vtt
from mockint.yamlmodels import check_model

from .conftest import DATA

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SAMPLE = (DATA / "sample_rubric.yaml").read_text()
VTT = (DATA / "mock_pinterest.vtt").read_text()
TEXT = (DATA / "mock_pinterest.txt").read_text()

fragments = st.sampled_from(
    [
        "Interviewer:",
        "Candidate:",
        "**Candidate:**",
        "\nAna:",
        "\nPriya Raman:",
        "\n**Ana:**",
        "WEBVTT",
        "-->",
        "00:00:01.000",
        "<v A>",
        "NOTE",
        "\n",
        "\n\n",
        ":",
        "{",
        "}",
        "[",
        "]",
        "- ",
        "id:",
        "  ",
        "\t",
        "&amp;",
        '"',
        "'",
        "#",
        "*",
        "é",
        "\u2028",
    ]
)
noisy_text = st.lists(st.one_of(fragments, st.text(max_size=20)), max_size=40).map("".join)


def _one_line(exc: MockintError) -> None:
    assert "\n" not in str(exc)
    assert str(exc)


def _mutate(base: str, data: st.DataObject) -> str:
    pos = data.draw(st.integers(0, len(base)))
    cut = data.draw(st.integers(0, 40))
    insert = data.draw(noisy_text)
    return base[:pos] + insert + base[pos + cut :]


@FUZZ
@given(st.binary(max_size=400))
def test_decode_bytes(raw: bytes) -> None:
    try:
        text = decode(raw, "f")
    except MockintError as exc:
        _one_line(exc)
    else:
        assert "\r" not in text


@FUZZ
@given(st.data())
def test_rubric_yaml(data: st.DataObject) -> None:
    text = _mutate(SAMPLE, data)
    try:
        rubric, problems = check_model(text, Rubric, "r.yaml")
    except MockintError as exc:
        _one_line(exc)
        return
    assert (rubric is None) == bool(problems)
    for problem in problems:
        rendered = problem.render("r.yaml")
        assert "\n" not in rendered
        assert problem.line is None or 1 <= problem.line <= text.count("\n") + 1


@FUZZ
@given(noisy_text)
def test_round_and_loop_yaml(text: str) -> None:
    for model in (RoundSpec, LoopSpec):
        try:
            check_model(text, model, "x.yaml")
        except MockintError as exc:
            _one_line(exc)


@FUZZ
@given(st.data())
def test_labelled_text(data: st.DataObject) -> None:
    text = _mutate(TEXT, data)
    try:
        turns = parse_labelled(
            text, "t.txt", markdown=data.draw(st.booleans()), candidate=data.draw(st.sampled_from([None, "Ana", "Priya"]))
        ).turns
    except MockintError as exc:
        _one_line(exc)
        return
    assert all(body.strip() == body and body for _speaker, body, _line in turns)


@FUZZ
@given(st.data())
def test_vtt(data: st.DataObject) -> None:
    text = _mutate(VTT, data)
    try:
        turns, _names = parse_vtt(text, "t.vtt")
    except MockintError as exc:
        _one_line(exc)
        return
    assert turns
    assert all(a[0] != b[0] for a, b in itertools.pairwise(turns)), "same speaker must merge"


@FUZZ
@given(st.data())
def test_native(data: st.DataObject) -> None:
    base = (
        '{"type":"meta","format":"mockint-transcript","format_version":1,"id":"x"}\n'
        '{"type":"turn","index":1,"speaker":"interviewer","text":"q"}\n'
        '{"type":"turn","index":2,"speaker":"candidate","text":"a"}\n{"type":"end"}\n'
    )
    text = _mutate(base, data)
    try:
        transcript = parse_native(text, "n.jsonl")
    except MockintError as exc:
        _one_line(exc)
        return
    assert [t.index for t in transcript.turns] == list(range(1, len(transcript.turns) + 1))


@FUZZ
@given(noisy_text, st.sampled_from(["native", "text", "markdown", "vtt"]))
def test_any_format_dispatch(text: str, fmt: str) -> None:
    try:
        parse_text(text, Path("f.txt"), fmt)  # type: ignore[arg-type]
    except MockintError as exc:
        _one_line(exc)


regex_pieces = st.lists(st.sampled_from([*"ab()|*+?{}[]\\.,1-dws ^$", "{2,}", "{1,3}", "(?:", "(?=", "\\b"]), max_size=20)


@FUZZ
@given(regex_pieces.map("".join))
def test_the_term_check_never_crashes(pattern: str) -> None:
    import re
    import warnings

    from mockint.domain.regex_safety import AMBIGUOUS, NULLABLE, TOO_COMPLEX, hazard

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            re.compile(pattern)
        except re.error:
            return
        assert hazard(pattern) in (None, AMBIGUOUS, NULLABLE, TOO_COMPLEX)


SOUNDNESS = """
import random, re, sys, time, warnings
warnings.simplefilter("ignore")
from mockint.domain.regex_safety import hazard
random.seed(int(sys.argv[1]))
TOKENS = [*"ab()|*+?{}[]\\\\.,1-dws ", "{1,9}", "{2,}", "{0,5}", "{3}", "(?:"]
subjects = ["a" * 30, "ab" * 15, "a b " * 8, "1" * 30, "aaaa aaaa " * 3, "a1" * 15, "ba" * 15 + "!"]
accepted = 0
for _ in range(12000):
    pattern = "".join(random.choice(TOKENS) for _ in range(random.randint(3, 14)))
    try:
        compiled = re.compile(pattern)
    except Exception:
        continue
    if hazard(pattern):
        continue
    accepted += 1
    for subject in subjects:
        started = time.perf_counter()
        compiled.search(subject)
        if time.perf_counter() - started > 0.25:
            print("SLOW", repr(pattern), repr(subject), flush=True)
print("accepted", accepted)
"""


def test_every_random_term_the_check_accepts_matches_near_misses_fast() -> None:
    """The check is the only guard between a user's term and candidate text: thousands of random patterns it
    lets through all match hostile near misses in a blink (a child process, so a blow-up fails, not hangs)."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", SOUNDNESS, "13"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "SLOW" not in proc.stdout, proc.stdout
    assert int(proc.stdout.split()[-1]) > 1000, "enough patterns got through to mean something"
