"""Live rounds offline: the scripted interviewer, the round session, and `practice --plain` from a pipe."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockint import rubrics
from mockint.domain import Transcript, TranscriptMeta, Turn
from mockint.interview.scripted import ScriptedInterviewer
from mockint.interview.session import RoundSession
from mockint.rounds import load_round
from mockint.transcripts import read_native

from .conftest import run_subprocess

WEAK = "I think we should add stories because people like them."


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _interviewer(round_id: str = "product_sense", **kw) -> ScriptedInterviewer:
    spec = load_round(round_id)
    return ScriptedInterviewer(spec, rubrics.resolve(spec.rubric).rubric, **kw)


def _with_answer(transcript: Transcript, text: str) -> None:
    transcript.turns.append(Turn(index=len(transcript.turns) + 1, speaker="candidate", text=text))


def test_opening_is_seedable_and_from_the_bank() -> None:
    a, b = _interviewer(seed=5), _interviewer(seed=5)
    assert a.opening().text == b.opening().text
    bank = {q.text for q in a.spec.questions}
    assert a.question is not None and a.question.text in bank
    openings = {_interviewer(seed=s).opening().text for s in range(12)}
    assert len(openings) > 1


def test_generic_company_never_gets_a_pinterest_question() -> None:
    for seed in range(20):
        interviewer = _interviewer(seed=seed, company="generic")
        interviewer.opening()
        assert interviewer.question is not None and interviewer.question.company is None


def test_probes_target_the_most_important_missing_criterion_and_never_repeat() -> None:
    interviewer = _interviewer(seed=1)
    interviewer.opening()
    transcript = Transcript(meta=TranscriptMeta(id="x"))
    rubric = interviewer.rubric
    first_crit = sorted(rubric.criteria, key=lambda c: (not c.must_pass, -c.weight))[0]
    _with_answer(transcript, WEAK)
    reply = interviewer.next_reply(transcript)
    assert reply.criterion == first_crit.id
    assert "people like them" in reply.text, "the follow-up picks up the candidate's own words"
    asked = [reply.text]
    while not reply.done:
        _with_answer(transcript, WEAK)
        reply = interviewer.next_reply(transcript)
        if not reply.done:
            asked.append(reply.text)
    assert len(asked) == len(set(asked))
    assert interviewer.questions_asked <= interviewer.spec.max_questions


def test_a_shown_criterion_is_not_probed() -> None:
    interviewer = _interviewer(seed=1)
    interviewer.opening()
    transcript = Transcript(meta=TranscriptMeta(id="x"))
    rubric = interviewer.rubric
    first_crit = sorted(rubric.criteria, key=lambda c: (not c.must_pass, -c.weight))[0]
    _with_answer(transcript, " ".join(first_crit.examples.good))
    reply = interviewer.next_reply(transcript)
    assert reply.criterion != first_crit.id


def test_round_closes_when_time_runs_out() -> None:
    clock = FakeClock()
    interviewer = _interviewer(seed=1, clock=clock)
    interviewer.opening()
    transcript = Transcript(meta=TranscriptMeta(id="x"))
    _with_answer(transcript, WEAK)
    clock.now += interviewer.spec.duration_minutes * 60 + 1
    reply = interviewer.next_reply(transcript)
    assert reply.done and reply.move == "close:time"
    assert reply.text.startswith("That's our time")


def test_coach_mode_gives_a_hint_realistic_does_not() -> None:
    for mode, expect in (("coach", True), ("realistic", False)):
        interviewer = _interviewer(seed=1, mode=mode)
        interviewer.opening()
        transcript = Transcript(meta=TranscriptMeta(id="x"))
        _with_answer(transcript, WEAK)
        reply = interviewer.next_reply(transcript)
        assert (reply.hint is not None) is expect
        if expect:  # plain words to the candidate, not rubric text
            assert not reply.hint.startswith("Coach") and all(c.title not in reply.hint for c in interviewer.rubric.criteria)


def test_session_saves_every_turn_and_resumes_without_repeating(tmp_path: Path) -> None:
    path = tmp_path / "round.jsonl"
    session, first = RoundSession.start("impact_story", seed=2, out=path)
    probe1 = session.answer(WEAK)
    assert [t.speaker for t in read_native(path).turns] == ["interviewer", "candidate", "interviewer"]
    session.close()  # as if the process died: no end record
    assert not read_native(path).finished

    resumed, pending = RoundSession.resume(path, seed=2)
    assert pending.text == probe1.text, "the unanswered question is asked again, not a new one"
    probe2 = resumed.answer("We shipped it and it went well.")
    assert probe2.text != probe1.text
    transcript, _closing = resumed.end()
    assert transcript.finished
    saved = read_native(path)
    assert saved.finished and len(saved.turns) == 6
    assert saved.turns[0].text.endswith(first.text.splitlines()[-1])


def test_plain_practice_from_a_pipe(tmp_path: Path) -> None:
    home = tmp_path / "home"
    answers = (
        "I would focus on first-time home buyers who save renovation pins but stall before buying.\n"
        "They are a big share of weekly savers.\n\n"
        "I'd build a board-to-project planner.\n\n/end\n"
    )
    out = run_subprocess(
        "practice", "--round", "product_sense", "--plain", "--seed", "3", stdin=answers, env={"MOCKINT_HOME": str(home)}
    )
    assert out.returncode == 0, out.stderr
    saved = next((home / "transcripts").glob("*.jsonl"))
    assert f"Transcript saved: {saved}" in out.stdout
    transcript = read_native(saved)
    assert transcript.finished
    speakers = [t.speaker for t in transcript.turns]
    assert speakers == ["interviewer", "candidate", "interviewer", "candidate", "interviewer", "interviewer"]
    closing = transcript.turns[-1].text
    assert closing.startswith("Sure, let's stop here.") and closing in out.stdout, "/end gets the ended-early close"
    assert "blank" not in transcript.turns[1].text and "They are a big share" in transcript.turns[1].text
    assert "product_sense v1  offline" in out.stdout
    assert "Practise next:" in out.stdout
    assert (saved.stat().st_mode & 0o777) == 0o600


def test_plain_practice_ends_at_end_of_input_and_with_no_answers(tmp_path: Path) -> None:
    home = tmp_path / "home"
    out = run_subprocess(
        "practice",
        "--round",
        "technical_explainer",
        "--plain",
        "--out",
        str(tmp_path / "t.jsonl"),
        stdin="An API is like a waiter carrying orders to the kitchen.",
        env={"MOCKINT_HOME": str(home)},
    )
    assert out.returncode == 0, out.stderr
    assert read_native(tmp_path / "t.jsonl").candidate_turns()[0].text.startswith("An API is like a waiter")
    empty = run_subprocess("practice", "--round", "impact_story", "--plain", stdin="", env={"MOCKINT_HOME": str(home)})
    assert empty.returncode == 0
    assert "nothing to grade" in empty.stdout and "not kept" in empty.stdout
    assert not list((home / "transcripts").glob("*.jsonl")), "a round with no answers is not kept"


@pytest.mark.parametrize(
    "round_id", ["product_sense", "system_design", "impact_story", "technical_explainer", "program_execution"]
)
def test_every_round_runs_offline(round_id: str, tmp_path: Path) -> None:
    session, first = RoundSession.start(round_id, seed=0, out=tmp_path / f"{round_id}.jsonl")
    assert first.text
    replies = [session.answer(WEAK) for _ in range(3)]
    assert all(r.text for r in replies)
    transcript, _ = session.end()
    assert transcript.finished and len(transcript.candidate_turns()) == 3


def test_generic_company_from_the_command_line_leaves_out_pinterest_questions(tmp_path: Path) -> None:
    bank = {q.text: q.company for q in load_round("product_sense").questions}
    for seed in range(6):
        out = tmp_path / f"g{seed}.jsonl"
        result = run_subprocess(
            "practice",
            "--round",
            "product_sense",
            "--plain",
            "--company",
            "generic",
            "--seed",
            str(seed),
            "--out",
            str(out),
            stdin="I'd start with small shop owners.\n",
            env={"MOCKINT_HOME": str(tmp_path / "home")},
        )
        assert result.returncode == 0, result.stderr
        first = read_native(out).turns[0].text
        assert "Pinterest" not in first
        asked = [text for text in bank if text in first]
        assert asked and all(bank[text] is None for text in asked)


def test_plain_resume_of_a_round_cut_after_an_answer_asks_the_reply_first(tmp_path: Path) -> None:
    """Killed after the answer was saved but before the interviewer replied: the resumed round asks its reply (the
    same rule the app and a model round follow), then goes on, and the kept grade has the transcript's hash."""
    from mockint import gradestore

    path = tmp_path / "cut.jsonl"
    session, _ = RoundSession.start("impact_story", seed=2, out=path)
    session.writer.add_turn("candidate", WEAK)
    session.close()
    out = run_subprocess(
        "practice", "--round", "impact_story", "--plain", "--resume", str(path), stdin="/end\n",
        env={"MOCKINT_HOME": str(tmp_path / "home")},
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    turns = read_native(path).turns
    assert [t.speaker for t in turns] == ["interviewer", "candidate", "interviewer", "interviewer"]
    assert turns[2].text in out.stdout, "the owed reply is asked, and shown"
    assert turns[2].text != turns[0].text
    (kept,) = gradestore.grades_for(path)
    assert kept[1].transcript_sha256 == gradestore.transcript_sha256(path)
