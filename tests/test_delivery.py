"""Delivery from timed transcripts (issue 15): the filler rules both ways, the figures from cue times and from a
practised round's time stamps, no delivery without times, and delivery through `grade`, `report` and the reports."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mockint import rubrics
from mockint.domain.grade import Grade
from mockint.domain.transcript import Transcript, TranscriptMeta, Turn
from mockint.grading.delivery import count_fillers, count_words, delivery_of, with_delivery
from mockint.grading.run import grade_transcript
from mockint.report.grade_text import delivery_lines, grade_markdown, grade_table
from mockint.report.html import grade_html
from mockint.transcripts.loading import load_any
from mockint.transcripts.store import serialise, write_atomic
from tests.conftest import DATA

VTT = DATA / "delivery_mock.vtt"

FILLERS = [
    ("Um, I would start with users.", {"um": 1}),
    ("Ummm, let me think.", {"um": 1}),
    ("So, uh, the feed.", {"uh": 1}),
    ("Er, let me think.", {"er": 1}),
    ("Erm, yes.", {"erm": 1}),
    ("Hmm, that is hard.", {"hmm": 1}),
    ("You know, the feed is slow.", {"you know": 1}),
    ("It was slow, you know.", {"you know": 1}),
    ("y'know, it works.", {"you know": 1}),
    ("I mean, we could ship it.", {"I mean": 1}),
    ("It was late, I mean.", {"I mean": 1}),
    ("It's kind of slow.", {"kind of": 1}),
    ("We sort of lost the plot.", {"sort of": 1}),
    ("Yeah, kind of.", {"kind of": 1}),
    ("The team kind of stalled.", {"kind of": 1}),
    ("It's kinda broken.", {"kind of": 1}),
    ("Like, we tried that.", {"like": 1}),
    ("It was, like, really slow.", {"like": 1}),
    ("I was like, why would we do that?", {"like": 1}),
    ("She was like no way.", {"like": 1}),
    ("I was like “no”.", {"like": 1}),
    ("The PM was like, no.", {"like": 1}),
    ("I'm like why.", {"like": 1}),
    ("We had like 30 users.", {"like": 1}),
    ("So like we shipped it anyway.", {"like": 1}),
    ("Um like the users hated it.", {"um": 1, "like": 1}),
    ("And like we never shipped.", {"like": 1}),
    ("It was slow, like.", {"like": 1}),
    ("It's just like, too slow.", {"like": 1}),
    ("Um, so, like, you know, it's kind of, uh, hard.", {"um": 1, "like": 1, "you know": 1, "kind of": 1, "uh": 1}),
]

NOT_FILLERS = [
    "I'd like to start with the user.",
    "We would like you to join.",
    "I would like, if possible, more time.",
    "I like the feed.",
    "It works like a library.",
    "It's like a search engine.",
    "It was like a library.",
    "It looks like a bug.",
    "Sounds like 2 teams.",
    "I feel like we should test it.",
    "Something like 30% of users churn.",
    "Things like boards and pins.",
    "Features users like, such as boards.",
    "They're like us.",
    "And like many teams, we struggled.",
    "So like that.",
    "Like I said, we tested it.",
    "We saw likes and liked pins, and it is likely.",
    "Unlike Google, we rank pins.",
    "A kind of feed for hobbies.",
    "What kind of users?",
    "That kind of thing.",
    "Some kind of ranking.",
    "A good kind of problem.",
    "The right sort of metric.",
    "Do you know what they want?",
    "If you know the answer, say it.",
    "Do you know?",
    "As you know, we shipped.",
    "Let me let you know.",
    "That's what I mean.",
    "I mean it.",
    "The ER team was busy.",
    "It's the part I really like, she says.",
    "A lamp you just like, you'd save.",
    "Let me pick who I mean, because it matters.",
]


@pytest.mark.parametrize(("text", "expected"), FILLERS)
def test_spoken_fillers_are_counted(text: str, expected: dict[str, int]) -> None:
    assert dict(count_fillers(text)) == expected


@pytest.mark.parametrize("text", NOT_FILLERS)
def test_words_that_are_not_fillers_are_not_counted(text: str) -> None:
    assert dict(count_fillers(text)) == {}


def test_a_real_filler_beside_a_verb_like_still_counts() -> None:
    assert dict(count_fillers("It feels like, um, a mess.")) == {"um": 1}


def test_words_are_counted_with_contractions_and_numbers_as_one() -> None:
    assert count_words("I'd ship it — 30% to 35%, in Q3.") == 8


# ---------------------------------------------------------------- figures from cue times


def test_delivery_from_a_recording_uses_cue_times() -> None:
    d = delivery_of(load_any(VTT))
    assert d is not None
    assert d.timing == "recording"
    assert d.timed_answers == 2 and d.candidate_seconds == 36.0  # 7–31 s and 40–52 s
    assert d.words_per_minute == round(70 * 60 / 36, 1)
    assert d.fillers == {"kind of": 1, "like": 1, "uh": 1, "um": 1, "you know": 1}
    assert d.filler_words_per_minute == round(5 * 60 / 36, 1)
    assert d.longest_answer_seconds == 24.0 and d.longest_answer_turn == 2
    assert d.candidate_talk_share == 0.8  # 36 s of 45 s spoken
    assert d.median_seconds_to_answer == 2.5  # 2 s and 3 s after the questions ended
    assert d.long_answers == []


def _recording(*turns: tuple[str, float, float | None, str]) -> Transcript:
    return Transcript(
        meta=TranscriptMeta(id="rec", backend="import"),
        finished=True,
        turns=[
            Turn(index=i, speaker=who, offset=start, end_offset=end, text=text)  # type: ignore[arg-type]
            for i, (who, start, end, text) in enumerate(turns, start=1)
        ],
    )


def test_answers_over_three_minutes_ran_long() -> None:
    words = " ".join(["word"] * 400)
    d = delivery_of(
        _recording(
            ("interviewer", 0, 5, "Tell me about a launch."),
            ("candidate", 6, 206, words),  # 200 s
            ("interviewer", 207, 210, "And then?"),
            ("candidate", 211, 331, " ".join(["word"] * 280)),  # 120 s
        )
    )
    assert d is not None
    assert [(a.turn, a.seconds) for a in d.long_answers] == [(2, 200.0)]
    assert d.longest_answer_seconds == 200.0
    assert d.words_per_minute == 127.5  # 680 words in 320 s


def test_an_older_import_without_end_times_ends_each_turn_where_the_next_starts() -> None:
    d = delivery_of(
        _recording(
            ("interviewer", 0, None, "Question?"),
            ("candidate", 4, None, "one two three four five six"),
            ("interviewer", 10, None, "Next?"),
            ("candidate", 12, None, "the last answer has no end"),
        )
    )
    assert d is not None
    assert d.timed_answers == 1 and d.candidate_seconds == 6.0
    assert d.words_per_minute == 60.0
    assert d.median_seconds_to_answer is None  # the question's end is not known
    assert d.candidate_talk_share == 0.5  # 6 s of the 12 s timed (questions 4 s and 2 s; the last answer untimed)


# ---------------------------------------------------------------- figures from a practised round


T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def _typed() -> Transcript:
    long_answer = " ".join(["word"] * 200)
    return Transcript(
        meta=TranscriptMeta(id="typed", round="product_sense", backend="offline"),
        finished=True,
        turns=[
            Turn(index=1, speaker="interviewer", text="Pick a user.", started=_at(0), ended=_at(1)),
            Turn(index=2, speaker="candidate", text="Um, home buyers who stall, you know.", started=_at(1), ended=_at(61)),
            Turn(index=3, speaker="interviewer", text="What would you ship?", started=_at(61), ended=_at(62)),
            Turn(index=4, speaker="candidate", text=long_answer, ended=_at(302)),  # the app: no start of its own
            Turn(index=5, speaker="interviewer", text="Thanks.", started=_at(302), ended=_at(303)),
            Turn(index=6, speaker="candidate", text="after a day away", ended=_at(303 + 86400)),  # resumed next day
        ],
    )


def test_delivery_from_a_typed_round_uses_the_time_stamps() -> None:
    d = delivery_of(_typed())
    assert d is not None
    assert d.timing == "typed"
    assert d.timed_answers == 2, "an answer spanning a day-long break is not timed"
    assert d.candidate_seconds == 300.0  # 60 s, and 240 s from the question being saved to the answer being sent
    assert d.words_per_minute == round(207 * 60 / 300, 1)
    assert d.fillers == {"um": 1, "you know": 1}
    assert [(a.turn, a.seconds) for a in d.long_answers] == [(4, 240.0)]
    assert d.median_seconds_to_answer is None, "when typing began is not known"
    words = [7, 200, 4]
    assert d.candidate_talk_share == round(sum(words) / (sum(words) + 3 + 4 + 1), 2)


def test_no_times_no_delivery() -> None:
    untimed = load_any(DATA / "mock_pinterest.txt")
    assert delivery_of(untimed) is None
    grade = grade_transcript(untimed, rubrics.resolve("product_sense"), source="t.txt")
    assert grade.delivery is None
    assert with_delivery(grade, untimed) is grade


def test_a_grade_kept_before_delivery_still_loads() -> None:
    grade = grade_transcript(load_any(VTT), rubrics.resolve("product_sense"), source=str(VTT))
    old = json.loads(grade.model_dump_json())
    del old["delivery"]
    assert Grade.model_validate(old).delivery is None
    assert Grade.model_validate_json(grade.model_dump_json()).delivery == grade.delivery


# ---------------------------------------------------------------- through the commands


def test_grade_json_carries_delivery_for_a_timed_transcript_only(cli) -> None:  # type: ignore[no-untyped-def]
    timed = cli("grade", str(VTT), "--rubric", "product_sense", "--format", "json", "--no-save")
    assert timed.code == 0, timed.err
    d = json.loads(timed.out)["delivery"]
    assert d["words_per_minute"] == 116.7 and d["filler_words_per_minute"] == 8.3
    assert d["fillers"]["um"] == 1 and d["longest_answer_seconds"] == 24.0 and d["candidate_talk_share"] == 0.8
    assert d["median_seconds_to_answer"] == 2.5 and d["long_answers"] == []
    plain = cli("grade", str(DATA / "mock_pinterest.txt"), "--rubric", "product_sense", "--format", "json", "--no-save")
    assert plain.code == 0 and json.loads(plain.out)["delivery"] is None


def test_a_practised_round_is_graded_with_its_typed_delivery(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "typed.jsonl"
    write_atomic(path, serialise(_typed()))
    out = cli("grade", str(path), "--format", "json", "--no-save")
    assert out.code == 0, out.err
    d = json.loads(out.out)["delivery"]
    assert d["timing"] == "typed" and d["long_answers"] == [{"turn": 4, "seconds": 240.0}]


def test_grade_table_and_markdown_show_delivery_with_the_ranges(cli) -> None:  # type: ignore[no-untyped-def]
    table = cli("grade", str(VTT), "--rubric", "product_sense", "--no-save")
    assert "  delivery\n" in table.out
    assert "pace: 117 words a minute (slower than the comfortable 130–160)" in table.out
    assert "fillers: 8.3 a minute: kind of 1, like 1, uh 1, um 1, you know 1 (more than the few a minute" in table.out
    assert "ran long: none (no answer over 3:00)" in table.out
    md = cli("grade", str(VTT), "--rubric", "product_sense", "--format", "markdown", "--no-save").out
    assert "## Delivery" in md and "- **your share:** 80% of the talking time" in md
    assert "- **time to answer:** 2.5 s from question to answer (median)" in md
    plain = cli("grade", str(DATA / "mock_pinterest.txt"), "--rubric", "product_sense", "--no-save").out
    assert "delivery" not in plain


def test_report_html_has_a_delivery_section_linking_long_answers(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "typed.jsonl"
    write_atomic(path, serialise(_typed()))
    out = cli("report", str(path), "--format", "html")
    assert out.code == 0, out.err
    assert '<h2 id="delivery">Delivery</h2>' in out.out
    assert "typed, so this is typing speed" in out.out
    assert 'Ran long: <a href="#turn-4">turn 4</a>' in out.out and 'id="turn-4"' in out.out
    md = cli("report", str(path)).out
    assert "## Delivery" in md and "turn 4 (4:00): over 3:00" in md


def test_html_and_text_leave_delivery_out_when_there_is_none() -> None:
    transcript = load_any(DATA / "mock_pinterest.txt")
    grade = grade_transcript(transcript, rubrics.resolve("product_sense"), source="t.txt")
    assert "Delivery" not in grade_html(grade, transcript)
    assert "Delivery" not in grade_markdown(grade) and "delivery" not in grade_table([grade])


def test_pace_reads_against_the_comfortable_range() -> None:
    d = delivery_of(load_any(VTT))
    assert d is not None
    lines = dict(delivery_lines(d.model_copy(update={"words_per_minute": 145.0})))
    assert lines["pace"] == "145 words a minute (within the comfortable 130–160)"
    fast = dict(delivery_lines(d.model_copy(update={"words_per_minute": 190.0})))
    assert fast["pace"] == "190 words a minute (faster than the comfortable 130–160)"
    calm = dict(delivery_lines(d.model_copy(update={"filler_words_per_minute": 2.0})))
    assert calm["fillers"].endswith("(a few a minute is normal)")


def test_the_model_grader_gets_delivery_too(chat_server) -> None:  # type: ignore[no-untyped-def]
    from tests.chat_server import Reply
    from tests.test_llm_grader import _settings

    loaded = rubrics.resolve("product_sense")
    scores = {c.id: 2 for c in loaded.rubric.criteria}
    chat_server.queue(
        Reply(
            content=json.dumps(
                {
                    "criteria": [{"id": cid, "evidence": [], "reasoning": "r", "score": s} for cid, s in scores.items()],
                    "injection_attempt": False,
                }
            )
        )
    )
    transcript = load_any(VTT)
    grade = grade_transcript(transcript, loaded, source=str(VTT), grader="llm", settings=_settings(chat_server))
    assert grade.grader.startswith("llm:")
    assert grade.delivery == delivery_of(transcript)


def test_an_imported_recording_keeps_its_cue_times(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "imported.jsonl"
    res = cli("transcript", "import", str(VTT), "-o", str(out))
    assert res.code == 0, res.err
    imported = load_any(out)
    assert [(t.offset, t.end_offset) for t in imported.turns] == [(0.0, 5.0), (7.0, 31.0), (33.0, 37.0), (40.0, 52.0)]
    assert delivery_of(imported) == delivery_of(load_any(VTT))


def test_a_piped_or_pasted_answer_is_not_timed() -> None:
    answer = " ".join(["word"] * 120)
    piped = Transcript(
        meta=TranscriptMeta(id="piped", round="product_sense", backend="offline"),
        finished=True,
        turns=[
            Turn(index=1, speaker="interviewer", text="Pick a user.", started=_at(0), ended=_at(0.01)),
            Turn(index=2, speaker="candidate", text=answer, started=_at(0.01), ended=_at(0.02)),
        ],
    )
    assert delivery_of(piped) is None, "120 words in a hundredth of a second were not typed"
    pasted = piped.model_copy(
        update={"turns": [*piped.turns, Turn(index=3, speaker="candidate", text="um, sure", started=_at(1), ended=_at(4))]}
    )
    d = delivery_of(pasted)
    assert d is not None and d.timed_answers == 1 and d.words_per_minute == 40.0


def test_practice_plain_from_a_pipe_prints_no_delivery(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import io

    answers = "I would focus on first-time home buyers who save renovation pins but stall.\n\n/end\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(answers))
    out = cli("practice", "--round", "product_sense", "--plain", "--seed", "1")
    assert out.code == 0, out.err
    assert "product_sense v1" in out.out, "the grade is printed"
    assert "delivery" not in out.out and "words a minute" not in out.out


def test_a_persons_scores_carry_delivery_too(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "recorded.vtt"
    path.write_bytes(VTT.read_bytes())
    ids = [c.id for c in rubrics.resolve("product_sense").rubric.criteria]
    res = cli("score", str(path), "--rubric", "product_sense", "--as", "coach", "--scores", ",".join(f"{i}=2" for i in ids))
    assert res.code == 0, res.err
    (kept,) = (path.parent / "recorded.vtt.grades").glob("*.json")
    grade = Grade.model_validate_json(kept.read_text())
    assert grade.grader == "human:coach" and grade.delivery == delivery_of(load_any(VTT))
