"""`mockint drill`: a three-question round on one criterion (the weakest in the history by default), graded on it
alone, kept and recorded in history like any session."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mockint import config, gradestore, rubrics
from mockint.domain.grade import CriterionGrade, Grade
from mockint.rounds import load_round
from mockint.transcripts.store import read_native
from tests.test_score import write

ANSWERS = (
    "I'd focus on renters furnishing a first flat who give up when nothing fits the room.\n\n"
    "Weekly saves per renter up 8% within six weeks, with hide rate under 2% as the guardrail.\n\n"
    "I'd read it after a two-week holdout test against the old feed.\n\n"
)
PS = rubrics.resolve("product_sense").rubric


def run_drill(cli, monkeypatch: pytest.MonkeyPatch, *args: str, answers: str = ANSWERS):  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO(answers))
    return cli("drill", "--plain", "--seed", "3", *args)


def drills() -> list[Path]:
    return sorted(config.transcripts_dir().glob("*-drill-*.jsonl"))


def most_important() -> str:
    return sorted(PS.criteria, key=lambda c: (not c.must_pass, -c.weight, c.id))[0].id


def test_with_no_history_it_drills_the_rounds_most_important_criterion(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    res = run_drill(cli, monkeypatch)
    assert res.code == 0, res.err
    top = most_important()
    assert "No graded sessions yet" in res.err and PS.criterion(top).title in res.err
    (path,) = drills()
    transcript = read_native(path)
    assert transcript.meta.drill == top and transcript.meta.round == "product_sense"
    asked = [t for t in transcript.turns if t.speaker == "interviewer" and not t.closing]
    assert len(asked) == 3, [t.text for t in asked]
    assert "A short drill on one thing" in asked[0].text and PS.criterion(top).probes[0] in asked[0].text
    assert len({t.text for t in asked}) == 3
    kept = gradestore.grades_for(path)
    assert len(kept) == 1 and [c.id for c in kept[0][1].criteria] == [top]
    assert "Transcript saved" in res.out and PS.criterion(top).title[:40] in res.out


def test_the_drill_aims_its_question_at_the_criterion(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    res = run_drill(cli, monkeypatch, "--criterion", "success_metrics", "--round", "product_sense")
    assert res.code == 0, res.err
    opening = read_native(drills()[0]).turns[0].text
    tagged = [q.text for q in load_round("product_sense").questions if "metrics" in q.tags]
    assert any(q in opening for q in tagged), "a question tagged with what the criterion is about"
    assert PS.criterion("success_metrics").probes[0] in opening


def save_grade(path: Path, scores: dict[str, int], grader: str = "offline") -> None:
    criteria = [CriterionGrade(id=c.id, title=c.title, score=scores.get(c.id, 3), max=4, weight=c.weight) for c in PS.criteria]
    grade = Grade(
        transcript=str(path), rubric="product_sense", rubric_version=1, rubric_sha256="x", grader=grader, score=60.0,
        verdict="no_hire", criteria=criteria, graded_at=datetime.now(UTC), transcript_sha256=gradestore.transcript_sha256(path),
    )  # fmt: skip
    gradestore.save(grade, path)


def test_by_default_it_drills_the_weakest_criterion_in_history(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = config.transcripts_dir()
    weak, weaker_by_a_person = PS.criteria[2].id, PS.criteria[1].id
    for i, low in enumerate((1, 2)):
        path = write(folder, f"s{i}")
        save_grade(path, {weak: low})
        save_grade(path, {weaker_by_a_person: 1, weak: 4}, grader="human:coach")  # people's scores are left out
    res = run_drill(cli, monkeypatch)
    assert res.code == 0, res.err
    assert "Your weakest criterion so far" in res.err and "38% of the top level over 2 graded sessions" in res.err
    assert read_native(drills()[0]).meta.drill == weak
    # recorded in history as a session of its own round, and on its criterion's line
    history = json.loads(cli("history", "--format", "json").out)
    assert "product_sense drill" in {r["round"] for r in history["rounds"]}
    points = next(c for c in history["criteria"] if c["id"] == weak)["points"]
    assert len(points) == 3


def test_criterion_and_round_are_checked(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = run_drill(cli, monkeypatch, "--criterion", "metrics_x", "--round", "product_sense")
    assert bad.code == 2 and "rubric product_sense has no criterion 'metrics_x' (criteria: user_problem" in bad.err
    nowhere = run_drill(cli, monkeypatch, "--criterion", "metrics_x")
    assert nowhere.code == 2 and "no round's rubric has a criterion 'metrics_x'" in nowhere.err
    assert cli("drill", "--round", "nope").code == 2
    assert drills() == []
    found = run_drill(cli, monkeypatch, "--criterion", PS.criteria[0].id)  # the round is the one whose rubric has it
    assert found.code == 0 and read_native(drills()[0]).meta.round == "product_sense"


def test_a_drill_is_scored_and_regraded_like_a_session(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_drill(cli, monkeypatch, "--criterion", "success_metrics").code == 0
    (path,) = drills()
    scored = cli("score", str(path), "--as", "me", "--scores", "success_metrics=2", "--format", "json")
    assert scored.code == 0, scored.err  # a drill is scored on its one criterion
    assert [c["id"] for c in json.loads(scored.out)["criteria"]] == ["success_metrics"]
    full = cli("grade", str(path), "--grader", "offline", "--format", "json")  # the whole rubric, kept beside the drill's
    assert full.code == 0 and len(json.loads(full.out)["criteria"]) == len(PS.criteria)
    machine = [g for _, g in gradestore.grades_for(path) if g.grader == "offline"]
    assert sorted(len(g.criteria) for g in machine) == [1, len(PS.criteria)]


def test_no_answers_keeps_nothing(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    res = run_drill(cli, monkeypatch, answers="/end\n")
    assert res.code == 0 and "not kept" in res.out
    assert drills() == []


def test_without_plain_the_app_opens_on_the_drill(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from mockint.tui.app import MockintApp

    opened = []
    monkeypatch.setattr(MockintApp, "run", lambda self, *a, **k: opened.append(self.practice) or 0)
    res = cli("drill", "--criterion", "success_metrics")
    assert res.code == 0, res.err
    (request,) = opened
    assert request.drill == "success_metrics" and request.round_id == "product_sense"


def test_a_cut_off_drill_resumes_as_a_drill(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from mockint.services.drills import open_drill
    from mockint.services.rounds import PracticeRequest
    from mockint.settings import current

    opened = open_drill(PracticeRequest("product_sense", seed=3, drill="success_metrics"), current())
    session = opened.session
    from mockint.interview.session import run_now

    run_now(session.begin_async())
    session.answer("I'd focus on renters furnishing a first flat.")
    session.close()  # killed mid-drill: no end record
    path = session.path
    monkeypatch.setattr("sys.stdin", io.StringIO("Saves per renter up 8% within six weeks.\n\nA holdout for two weeks.\n\n"))
    res = cli("practice", "--round", "product_sense", "--plain", "--resume", str(path))
    assert res.code == 0, res.err
    transcript = read_native(path)
    assert transcript.finished and transcript.meta.drill == "success_metrics"
    asked = [t.text for t in transcript.turns if t.speaker == "interviewer" and not t.closing]
    assert len(asked) == 3 and len(set(asked)) == 3
    (grade,) = [g for _, g in gradestore.grades_for(path)]
    assert [c.id for c in grade.criteria] == ["success_metrics"]


def test_with_a_model_the_drill_is_asked_and_graded_on_its_criterion(chat_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.chat_server import Reply
    from tests.conftest import run_subprocess
    from tests.test_llm_interviewer import _env

    grade = {"criteria": [{"id": "success_metrics", "evidence": [], "reasoning": "thin", "score": 2}], "injection_attempt": False}
    chat_server.queue(
        Reply(content="How would you know in the first month whether this worked?"),
        Reply(content="What number would make you roll it back?"),
        Reply(content="Thanks, that's the drill."),
        Reply(content=json.dumps(grade)),
    )
    home = tmp_path / "home"
    result = run_subprocess(
        "drill", "--plain", "--criterion", "success_metrics", "--seed", "1",
        stdin="Saves up 8% in six weeks.\n\n/end\n", env=_env(chat_server, home),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    system = chat_server.chat_requests[0].body["messages"][0]["content"]
    assert PS.criterion("success_metrics").title in system
    assert not any(c.title in system for c in PS.criteria if c.id != "success_metrics"), "only the drilled criterion"
    (path,) = (home / "transcripts").glob("*-drill-*.jsonl")
    (kept,) = [g for _, g in gradestore.grades_for(path)]
    assert kept.grader == "llm:gpt-4o-mini" and [c.id for c in kept.criteria] == ["success_metrics"]
