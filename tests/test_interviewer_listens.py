"""The offline interviewer listens: a battery of scripted candidates per round, run through
`practice --plain`, with properties of the interviewer's replies checked on the saved transcripts."""

from __future__ import annotations

import io
import itertools
import re
import sys
from pathlib import Path

import pytest

from mockint.domain.transcript import Transcript
from mockint.grading import detectors as d
from mockint.grading.commitment import non_answer
from mockint.transcripts import read_native

from .interviewer_battery import candidates

ROUNDS = ["product_sense", "system_design", "impact_story", "technical_explainer", "program_execution"]
_STOP = set("a an the of on to and or with for in at by from that which who so but as is are was it i we you they".split())  # noqa: SIM905
# Questions that ask for something; a reply must not ask for what the answers already gave.
ASKS = {
    "metric": re.compile(r"how would you (?:know|measure)|what would you measure|how much would it move|by when\b"),
    "user": re.compile(r"who (?:specifically|exactly) (?:are|is|do you mean)|which (?:users|pinners|people) exactly"),
    "mitigation": re.compile(r"what could go wrong|what are the (?:main |biggest )?risks"),
}
GIVES = {"metric": "metric", "user": "user", "mitigation": "mitigation"}


def _run(cli, monkeypatch, tmp_path: Path, round_id: str, answers: list[str], name: str) -> Transcript:
    out = tmp_path / f"{round_id}-{name}.jsonl"
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n\n".join(answers) + "\n"))
    result = cli("practice", "--round", round_id, "--plain", "--seed", "4", "--out", str(out))
    assert result.code == 0, result.err
    return read_native(out)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9%$][a-z0-9%$'.-]*[a-z0-9%]|[a-z0-9]", text.lower())


def picks_up(reply: str, answer: str) -> bool:
    """The reply repeats a number, or two consecutive words with some content, from the answer."""
    said = _words(answer)
    low = " ".join(_words(reply))
    if any(re.search(r"\d", w) and re.search(rf"(?<!\S){re.escape(w)}(?!\S)", low) for w in said):
        return True
    for a, b in itertools.pairwise(said):
        if (a not in _STOP or b not in _STOP) and max(len(a), len(b)) >= 4 and f" {a} {b} " in f" {low} ":
            return True
    return False


def _given(answer: str) -> set[str]:
    low = d.lower(answer)
    sentences = [s for s in re.split(r"(?<=[.!?;])\s+", answer) if s]
    out = set()
    for aspect, detector in GIVES.items():
        if any(d.detect(detector, s, answer) for s in sentences) or d.DETECTORS[detector](low, low, answer):
            out.add(aspect)
    return out


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return tmp_path_factory.mktemp("home")


@pytest.mark.parametrize("round_id", ROUNDS)
def test_the_interviewer_follows_up_on_what_was_said(round_id: str, cli, monkeypatch, tmp_path: Path, home: Path) -> None:
    monkeypatch.setenv("MOCKINT_HOME", str(home))
    battery = candidates(round_id)
    assert len(battery) >= 12
    follow_ups = picked = 0
    for name, answers in battery.items():
        transcript = _run(cli, monkeypatch, tmp_path, round_id, answers, name)
        turns = transcript.turns
        assert turns[-1].speaker == "interviewer"
        replies = [t.text for t in turns if t.speaker == "interviewer"]
        body = replies[1:-1]
        assert len(body) == len(set(body)), (name, "a follow-up was asked twice", body)
        given: set[str] = set()
        for i, turn in enumerate(turns):
            if turn.speaker != "candidate" or i + 1 >= len(turns) - 1:
                continue  # the reply to the last answer is the closing, checked below
            reply = turns[i + 1].text
            kind = non_answer(turn.text)
            given |= _given(turn.text)
            if kind == "repeat":
                asked = turns[i - 1].text.split("\n\n")[-1]
                sentences = re.split(r"(?<=[.?!])\s+", asked)
                core = ([s for s in sentences if s.endswith("?")] or sentences)[-1]
                assert core.lower().rstrip("?.") in reply.lower(), (name, "a repeat request repeats the question", asked, reply)
                continue
            if kind == "wait":
                assert "take your time" in reply.lower(), (name, reply)
                continue
            if kind is not None:
                continue
            follow_ups += 1
            picked += picks_up(reply, turn.text)
            for aspect, asks in ASKS.items():
                if aspect in given:
                    assert not asks.search(reply.lower()), (name, f"asked for {aspect} already given", turn.text, reply)
        closing = turns[-1].text
        said = [a for a in answers if a != "/end"]
        if turns[-2].speaker == "candidate":  # the interviewer closed in reply to an answer: its questions ran out
            assert closing.startswith("That's everything I wanted to ask"), (name, closing)
        else:  # a question went unanswered: the candidate ended it (end of input or /end)
            assert closing.startswith("Sure, let's stop here"), (name, closing)
        if name == "persistent":
            assert len(transcript.candidate_turns()) < len(said), "a long round ends when the questions run out"
    assert follow_ups >= 20
    assert picked / follow_ups >= 0.8, (round_id, picked, follow_ups)


def test_a_second_repeat_request_rephrases(cli, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MOCKINT_HOME", str(tmp_path / "home"))
    t = _run(cli, monkeypatch, tmp_path, "product_sense", ["Can you repeat the question?", "Could you repeat it again?"], "rr")
    replies = [x.text for x in t.turns if x.speaker == "interviewer"]
    first_q = replies[0].split("\n\n")[-1]
    assert replies[1] == f"Of course. {first_q}"
    assert replies[2].startswith("Let me put it another way")


def test_coach_notes_are_kept_apart_and_never_repeat(cli, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MOCKINT_HOME", str(tmp_path / "home"))
    out = tmp_path / "coach.jsonl"
    answers = candidates("product_sense")["vague"] + ["I honestly don't know."]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n\n".join(answers) + "\n"))
    result = cli("practice", "--round", "product_sense", "--plain", "--mode", "coach", "--seed", "1", "--out", str(out))
    assert result.code == 0, result.err
    t = read_native(out)
    assert t.notes, "coach mode leaves notes"
    texts = [n.text for n in t.notes]
    assert len(texts) == len(set(texts))
    for note in t.notes:
        turn = t.turn(note.turn)
        assert turn is not None and turn.speaker == "interviewer" and note.text not in turn.text
        assert f"[coach] {note.text}" in result.out
        assert not any(c in note.text for c in ("A specific user and problem", "Grounded in Pinterest"))


def test_the_long_answer_is_cut_in_and_time_up_closes_as_such(tmp_path: Path) -> None:
    from mockint.interview.session import RoundSession

    session, _ = RoundSession.start("product_sense", seed=1, out=tmp_path / "long.jsonl")
    long = candidates("product_sense")["long"][0]
    reply = session.answer(long)
    assert reply.text.startswith("Let me stop you there.")
    session.interviewer.started_at -= 60 * 60  # an hour later
    reply = session.answer("Saves per renter up 10% in eight weeks.")
    assert reply.done and reply.text.startswith("That's our time")


@pytest.mark.parametrize("round_id", ROUNDS)
def test_no_criterion_is_probed_three_times_in_a_row_and_closings_ask_nothing(round_id: str, tmp_path: Path) -> None:
    from mockint.interview.session import RoundSession

    for name, answers in candidates(round_id).items():
        session, _ = RoundSession.start(round_id, seed=4, out=tmp_path / f"{name}.jsonl")
        criteria: list[str | None] = []
        for text in answers:
            if text == "/end":
                break
            reply = session.answer(text)
            if reply.done:
                assert "?" not in reply.text, (name, "a closing asks nothing", reply.text)
                break
            criteria.append(reply.criterion)
        runs = [c for a, b, c in zip(criteria, criteria[1:], criteria[2:], strict=False) if c is not None and a == b == c]
        assert not runs, (name, criteria)
        session.end()
