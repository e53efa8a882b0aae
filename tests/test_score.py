"""`mockint score`: a person's levels kept as a `human:NAME` grade; `calibrate --labels human`; the self-assessment
gap in `history`; human grades never shadow the grader's in `report`."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path

import pytest

from mockint import config, gradestore, rubrics
from mockint.domain.transcript import Transcript, TranscriptMeta, Turn
from mockint.grading.scoring import weighted_score
from mockint.transcripts.store import serialise, write_atomic

ANSWERS = (
    "I would focus on first-time home buyers who save renovation pins but stall before starting, "
    "because about a third of them churn within two weeks.",
    "I would ship a project planner board: first, a checklist built from saved pins; then a budget estimate. "
    "Weekly saves per user up 8% within six weeks, while hide rate stays under 2%.",
    "The trade-off is that we skip the shopping integration for now, because it needs merchant data we do not have.",
)
IDS = [c.id for c in rubrics.resolve("product_sense").rubric.criteria]


def write(folder: Path, name: str, *, round_id: str | None = "product_sense", candidate: str | None = None) -> Path:
    when = datetime.fromisoformat("2026-03-02T09:30:00+00:00")
    meta = TranscriptMeta(id=name, round=round_id, rubric=round_id, started=when, candidate_name=candidate)
    turns: list[Turn] = []
    for answer in ANSWERS:
        turns.append(Turn(index=len(turns) + 1, speaker="interviewer", text="And then?"))
        turns.append(Turn(index=len(turns) + 1, speaker="candidate", text=answer))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.jsonl"
    write_atomic(path, serialise(Transcript(meta=meta, turns=turns, finished=True)))
    return path


def levels(value: int, **overrides: int) -> str:
    return ",".join(f"{cid}={overrides.get(cid, value)}" for cid in IDS)


def humans(path: Path) -> list[dict[str, object]]:
    return [g.model_dump(mode="json") for _, g in gradestore.grades_for(path) if g.grader.startswith("human:")]


def test_scores_become_a_kept_grade_by_the_rubrics_rules(cli, tmp_path: Path) -> None:
    path = write(tmp_path, "t1")
    scores = levels(3, success_metrics=4)
    res = cli("score", str(path), "--as", "coach", "--scores", scores, "--note", "solid", "--format", "json")
    assert res.code == 0, res.err
    grade = json.loads(res.out)
    rubric = rubrics.resolve("product_sense").rubric
    assert grade["grader"] == "human:coach"
    assert grade["rubric"] == "product_sense"  # the transcript's own round's rubric, as `grade` picks it
    assert {c["id"]: c["score"] for c in grade["criteria"]} == {cid: 4 if cid == "success_metrics" else 3 for cid in IDS}
    from mockint.domain.grade import Grade

    expected = weighted_score(rubric, Grade.model_validate(grade).criteria)
    assert grade["score"] == expected and 0 < expected < 100
    assert grade["note"] == "solid"
    assert "kept" in res.err
    # the same scores by the same person again: a second kept grade, never folded into the first
    again = cli("score", str(path), "--as", "coach", "--scores", levels(3, success_metrics=4))
    assert again.code == 0, again.err
    assert len(humans(path)) == 2


def test_a_must_pass_below_the_bar_is_no_hire(cli, tmp_path: Path) -> None:
    path = write(tmp_path, "t1")
    rubric = rubrics.resolve("product_sense").rubric
    must = next(c.id for c in rubric.criteria if c.must_pass)
    res = cli("score", str(path), "--as", "me", "--scores", levels(4, **{must: 1}), "--format", "json")
    grade = json.loads(res.out)
    assert grade["verdict"] == "no_hire"
    assert any("must-pass" in r for r in grade["verdict_reasons"])


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        (levels(3).replace("user_problem", "user_problm"), "no criterion 'user_problm' (did you mean 'user_problem'?)"),
        (levels(3, success_metrics=9), "success_metrics=9: not a level of the scale"),
        ("user_problem=3", "no level for"),
        ("user_problem", "is not ID=LEVEL"),
        (levels(3) + ",user_problem=2", "user_problem is given twice"),
    ],
)
def test_bad_scores_are_one_line_exit_2_and_keep_nothing(cli, tmp_path: Path, scores: str, message: str) -> None:
    path = write(tmp_path, "t1")
    res = cli("score", str(path), "--as", "coach", "--scores", scores)
    assert res.code == 2
    assert message in res.err
    assert res.err.startswith("mockint: error: ") and res.err.count("\n") == 1
    assert humans(path) == []


def test_bad_name_and_unknown_rubric_are_exit_2(cli, tmp_path: Path) -> None:
    path = write(tmp_path, "t1")
    assert cli("score", str(path), "--as", "a/b", "--scores", levels(3)).code == 2
    res = cli("score", str(path), "--as", "me", "--rubric", "product_sens", "--scores", levels(3))
    assert res.code == 2 and "unknown rubric" in res.err


def test_a_transcript_without_a_round_needs_rubric(cli, tmp_path: Path) -> None:
    talk = tmp_path / "talk.txt"
    talk.write_text("Interviewer: Who is it for?\n\nCandidate: Renters furnishing a first flat.\n", encoding="utf-8")
    res = cli("score", str(talk), "--as", "me", "--scores", levels(3))
    assert res.code == 2 and "talk.txt" in res.err and "--rubric" in res.err
    ok = cli("score", str(talk), "--as", "me", "--rubric", "product_sense", "--scores", levels(3))
    assert ok.code == 0, ok.err


def test_interactive_scoring_shows_anchors_and_quotes_cited_turns(cli, tmp_path: Path, monkeypatch) -> None:
    path = write(tmp_path, "t1")
    rubric = rubrics.resolve("product_sense").rubric
    # first criterion: a level off the scale, then 3; evidence: a word, an interviewer turn, then turns 2 and 4
    answers = ["9", "3", "two", "1", "2 4"] + ["2", ""] * (len(IDS) - 1)
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(answers) + "\n"))
    res = cli("score", str(path), "--as", "coach", "--format", "json")
    assert res.code == 0, res.err
    first = rubric.criteria[0]
    assert first.anchors[rubric.max_score].strip() in res.err and first.title in res.err
    assert "not a level of the scale" in res.err and "turn 1 is not one of the candidate's turns (2, 4, 6)" in res.err
    grade = json.loads(res.out)
    crit = grade["criteria"][0]
    assert crit["score"] == 3
    assert crit["evidence"] == [{"turn": 2, "quote": ANSWERS[0]}, {"turn": 4, "quote": ANSWERS[1]}]
    assert all(c["score"] == 2 and c["evidence"] == [] for c in grade["criteria"][1:])


def test_interactive_end_of_input_keeps_nothing(cli, tmp_path: Path, monkeypatch) -> None:
    path = write(tmp_path, "t1")
    monkeypatch.setattr("sys.stdin", io.StringIO("3\n\n2\n"))  # stops during the second criterion's evidence
    res = cli("score", str(path), "--as", "coach")
    assert res.code == 2
    assert "nothing was kept" in res.err and str(path) in res.err
    assert not gradestore.grades_dir(path).exists()


def test_report_and_diff_with_a_human_grade(cli, tmp_path: Path) -> None:
    path = write(tmp_path, "t1")
    only = cli("score", str(path), "--as", "coach", "--scores", levels(2))
    assert only.code == 0
    assert "grader: human:coach" in cli("report", str(path)).out  # the only grade there is
    assert cli("grade", str(path), "--grader", "offline").code == 0
    cli("score", str(path), "--as", "me", "--scores", levels(4))  # newer than the grader's, yet not the report's grade
    report = cli("report", str(path))
    assert "grader: offline" in report.out and "human:" not in report.out.split("## Transcript")[0]
    diff = cli("diff", str(path), "--format", "json")
    assert diff.code == 0, diff.err
    assert "human:me" in diff.out


def test_history_shows_the_self_assessment_gap(cli) -> None:
    folder = config.transcripts_dir()
    target = ""
    for name in ("s1", "s2"):
        path = write(folder, name)
        assert cli("grade", str(path), "--grader", "offline").code == 0
        machine = gradestore.latest(path)
        assert machine is not None
        got = {c.id: int(c.score or 1) for c in machine[1].criteria}
        target = target or next(cid for cid in IDS if got[cid] < 4)  # the same answers: the same grade twice
        mine = {cid: got[cid] + 1 if cid == target else got[cid] for cid in IDS}
        cli("score", str(path), "--as", "me", "--scores", ",".join(f"{k}={v}" for k, v in mine.items()))
    cli("score", str(folder / "s1.jsonl"), "--as", "coach", "--scores", levels(1))  # a coach is not the candidate
    res = cli("history")
    assert res.code == 0, res.err
    title = rubrics.resolve("product_sense").rubric.criterion(target).title
    assert f"you rate yourself a level higher than the grader on {title}" in res.out
    assert "over 2 sessions" in res.out
    data = json.loads(cli("history", "--format", "json").out)
    gaps = {g["id"]: g for g in data["self_assessment"]}
    assert gaps[target]["gap"] == 1.0 and gaps[target]["sessions"] == 2
    assert all(g["gap"] == 0.0 for cid, g in gaps.items() if cid != target)
    # the sessions are the grader's grades, not the people's
    kept = [g for n in ("s1", "s2") for _, g in gradestore.grades_for(folder / f"{n}.jsonl")]
    machine = sorted(g.score for g in kept if g.grader == "offline")
    assert sorted(p["score"] for r in data["rounds"] for p in r["points"]) == machine


def test_the_candidates_recorded_name_counts_as_self(cli, tmp_path: Path) -> None:
    from mockint.services.scoring import is_self

    path = write(tmp_path, "t1", candidate="Ana Lima")
    cli("score", str(path), "--as", "ana lima", "--scores", levels(3))
    (_, grade), = [(p, g) for p, g in gradestore.grades_for(path)]
    assert is_self(grade, "Ana Lima") and not is_self(grade, "Bo")
    assert is_self(grade.model_copy(update={"grader": "human:Me"}))
    assert not is_self(grade.model_copy(update={"grader": "offline"}))


def test_calibrate_with_human_labels(cli, tmp_path: Path) -> None:
    folder = tmp_path / "cohort"
    weak = ("We should improve engagement.", "Maybe a new feed.", "I don't know.")
    strong = write(folder, "strong")
    weak_path = folder / "weak.jsonl"
    write(folder, "weak")
    text = weak_path.read_text(encoding="utf-8")
    for long, short in zip(ANSWERS, weak, strict=True):
        text = text.replace(json.dumps(long)[1:-1], short)
    weak_path.write_text(text, encoding="utf-8")
    write(folder, "unscored")
    assert cli("score", str(strong), "--as", "coach", "--scores", levels(4)).code == 0
    assert cli("score", str(weak_path), "--as", "coach", "--scores", levels(1)).code == 0
    res = cli("calibrate", str(folder), "--rubric", "product_sense", "--labels", "human:coach", "--format", "json")
    assert res.code == 0, res.err
    report = json.loads(res.out)
    assert report["n"] == 2
    assert {r["file"]: r["tier"] for r in report["rows"]} == {"strong.jsonl": "strong", "weak.jsonl": "weak"}
    assert report["tier_pairs"] == 1 and report["tier_pairwise"] == 1.0  # the grader puts the strong one above
    table = cli("calibrate", str(folder), "--rubric", "product_sense", "--labels", "human")
    assert "on 2 human-scored transcripts" in table.out and "tier ordering" in table.out
    nobody = cli("calibrate", str(folder), "--rubric", "product_sense", "--labels", "human:priya")
    assert nobody.code == 2 and "no kept human grades of rubric product_sense by human:priya" in nobody.err
    bad = cli("calibrate", str(folder), "--rubric", "product_sense", "--labels", "people")
    assert bad.code == 2 and "expected human or human:NAME" in bad.err


def test_interactive_ctrl_c_keeps_nothing(cli, tmp_path: Path, monkeypatch) -> None:
    path = write(tmp_path, "t1")

    class Interrupted(io.StringIO):
        def readline(self, *args: object) -> str:  # type: ignore[override]
            line = super().readline()
            if not line:
                raise KeyboardInterrupt
            return line

    monkeypatch.setattr("sys.stdin", Interrupted("3\n2\n"))
    res = cli("score", str(path), "--as", "coach")
    assert res.code == 130
    assert "nothing was kept" in res.err
    assert not gradestore.grades_dir(path).exists()
