"""`mockint history` (scores over time, sparklines, the criteria that improved least) and `mockint committee`
(the loop's binary recommendation from each round's latest grade)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mockint import config, gradestore, rubrics
from mockint.domain.grade import CriterionGrade, Grade
from mockint.grading.run import grade_file, keep
from mockint.report import history_view as hv
from mockint.transcripts.loading import load_any
from mockint.transcripts.store import serialise, write_atomic

CAL = Path(__file__).parent / "calibration" / "tuning"
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def mi(cli):
    """`mockint ARGV` in-process (the conftest's `cli` runner)."""
    return cli


# ---------------------------------------------------------------- fixtures


def _session(folder: Path, round_id: str, example: str, day: int, *, grade: bool = True, name: str | None = None) -> Path:
    """A native transcript of a labelled example, recorded as practised `day` days after T0 (and graded)."""
    source = CAL / round_id / example
    transcript = load_any(source if source.exists() else Path(__file__).parent / "data" / example)
    transcript.meta = transcript.meta.model_copy(
        update={"id": name or f"{round_id}-{day}", "round": round_id, "started": T0 + timedelta(days=day)}
    )
    path = folder / f"{name or f'{round_id}-{day}'}.jsonl"
    write_atomic(path, serialise(transcript))
    if grade:
        keep(grade_file(str(path), rubrics.resolve(round_id)), str(path))
    return path


def _crit(cid: str, score: float | None, top: int = 4) -> CriterionGrade:
    return CriterionGrade(id=cid, title=cid.upper(), score=score, max=top, weight=1)


def _gs(day: int, scores: dict[str, float | None], rubric: str = "r", total: float = 50.0) -> hv.GradedSession:
    grade = Grade(
        transcript=f"t{day}",
        rubric=rubric,
        rubric_version=1,
        rubric_sha256="0" * 64,
        grader="offline",
        score=total,
        verdict="no_hire",
        criteria=[_crit(k, v) for k, v in scores.items()],
    )
    return hv.GradedSession(f"t{day}", T0 + timedelta(days=day), rubric, grade)


# ---------------------------------------------------------------- history: pure functions


def test_least_improved_ranks_by_slope_then_single_sessions_and_leaves_out_criteria_at_the_top() -> None:
    sessions = [
        _gs(0, {"rising": 1, "flat": 3, "falling": 4, "maxed": 4, "gap": None}),
        _gs(1, {"rising": 2, "flat": 3, "falling": 3, "maxed": 4, "gap": 2}),
        _gs(2, {"rising": 3, "flat": 3, "falling": 2, "maxed": 4, "gap": None}),
        _gs(3, {"late": 1}),
    ]
    view = hv.build(sessions, {("r", "flat"): "Say more about flat."}, n=10)
    by_id = {c.id: c for c in view.criteria}
    assert by_id["rising"].slope == pytest.approx(1.0) and by_id["falling"].slope == pytest.approx(-1.0)
    assert by_id["gap"].slope is None and [p.score for p in by_id["gap"].points] == [2.0]  # unscored is skipped
    assert [c.id for c in view.least_improved] == ["falling", "flat", "rising", "late", "gap"]
    assert view.practise[("r", "flat")] == "Say more about flat."
    assert [r.round for r in view.rounds] == ["r"] and [p.score for p in view.rounds[0].points] == [50.0] * 4


def test_sessions_are_ordered_by_time_not_by_input_order() -> None:
    view = hv.build([_gs(5, {"a": 4}, total=90), _gs(1, {"a": 1}, total=10)])
    assert [p.score for p in view.rounds[0].points] == [10, 90]
    assert view.criteria[0].first == 1 and view.criteria[0].latest == 4


def test_sparkline_uses_a_fixed_range() -> None:
    assert hv.sparkline([0, 50, 100], 0, 100) == "▁▅█"
    assert hv.sparkline([4, 4], 0, 4) == "██"
    assert hv.sparkline([1, 2, 3, 4], 0, 4) == "▃▅▆█"


# ---------------------------------------------------------------- history: the command


def test_history_with_no_sessions_is_a_friendly_message(mi) -> None:
    res = mi("history")
    assert res.code == 0 and res.err == ""
    assert res.out.startswith("No graded sessions yet") and "mockint practice" in res.out
    assert json.loads(mi("history", "--format", "json").out)["sessions"] == 0


def test_history_shows_rounds_and_criteria_over_time_and_what_to_practise(mi) -> None:
    store = config.transcripts_dir()
    _session(store, "product_sense", "weak_keyword_stuffed.txt", 0)
    _session(store, "product_sense", "strong_weeknight_dinner_planners.txt", 3)
    _session(store, "product_sense", "borderline_renovation_no_commitment.txt", 6)
    _session(store, "impact_story", "weak_rambling_career_tour.txt", 1)
    _session(store, "impact_story", "strong_fraud_false_declines.txt", 4)
    _session(store, "impact_story", "strong_grocery_substitutions.txt", 8, grade=False)  # never graded: not history

    res = mi("history")
    assert res.code == 0, res.err
    assert res.out.startswith("Progress over 5 graded sessions")
    obj = json.loads(mi("history", "--format", "json").out)
    assert obj["sessions"] == 5
    rounds = {r["round"]: [p["score"] for p in r["points"]] for r in obj["rounds"]}
    assert set(rounds) == {"product_sense", "impact_story"} and len(rounds["product_sense"]) == 3
    for round_id, scores in rounds.items():
        spark = hv.sparkline(scores, 0, 100)
        assert f"{scores[0]:5.0f}  {scores[-1]:6.0f}  {scores[-1] - scores[0]:+6.0f}  {spark}" in res.out, round_id
        assert [
            datetime.fromisoformat(p["when"]) for r in obj["rounds"] if r["round"] == round_id for p in r["points"]
        ] == sorted(datetime.fromisoformat(p["when"]) for r in obj["rounds"] if r["round"] == round_id for p in r["points"])

    least = obj["improved_least"]
    assert len(least) == 3
    probes = {(r, c.id): c.probes[0] for r in rounds for c in rubrics.resolve(r).rubric.criteria}

    def rank(c: dict) -> tuple:  # the documented order: by trend (single sessions last), then latest
        latest = c["points"][-1]["score"]
        return (c["slope"] is None, (c["slope"] or 0) / c["max"], latest / c["max"], c["rubric"], c["id"])

    below_top = [c for c in obj["criteria"] if c["points"][-1]["score"] < c["max"]]
    assert len(below_top) >= 3
    expected = [(c["rubric"], c["id"]) for c in sorted(below_top, key=rank)[:3]]
    assert [(i["rubric"], i["id"]) for i in least] == expected
    for item in least:
        assert item["practise_next"] == probes[(item["rubric"], item["id"])]
        assert f"practise next: {item['practise_next']}" in res.out
        assert f"{item['title']} ({item['rubric']}): latest {item['latest']:g}/4" in res.out


def test_history_uses_the_latest_grade_per_transcript_and_filters(mi) -> None:
    store = config.transcripts_dir()
    path = _session(store, "impact_story", "weak_rambling_career_tour.txt", 0)
    _session(store, "product_sense", "weak_keyword_stuffed.txt", 1)
    old = gradestore.latest(path)[1]
    gradestore.save(old.model_copy(update={"score": 99.0, "graded_at": datetime.now(UTC) + timedelta(hours=1)}), path)

    obj = json.loads(mi("history", "--rubric", "impact_story", "--format", "json").out)
    assert obj["sessions"] == 1 and obj["rounds"][0]["points"][0]["score"] == 99.0
    assert json.loads(mi("history", "--round", "product_sense", "--format", "json").out)["rounds"][0]["round"] == "product_sense"
    none = mi("history", "--rubric", "system_design")
    assert none.code == 0 and none.out.startswith("No graded sessions of rubric system_design yet")


# ---------------------------------------------------------------- committee

STRONG = {
    "hiring_manager_deep_dive": ("impact_story", "strong_fraud_false_declines.txt"),
    "cross_functional": ("technical_explainer", "strong_api_for_executive.txt"),
    "system_design": ("system_design", "strong_hair_pattern_search.txt"),
    "executive": ("executive", "executive_strong.txt"),
}


def _copy(tmp_path: Path, round_id: str, name: str) -> Path:
    dest = tmp_path / "loop" / f"{round_id}-{name}"
    dest.parent.mkdir(exist_ok=True)
    source = CAL / round_id / name if (CAL / round_id / name).exists() else Path(__file__).parent / "data" / name
    shutil.copy(source, dest)
    return dest


def test_committee_with_strong_rounds_mapped_explicitly_recommends_hire(mi, tmp_path: Path) -> None:
    maps = [f"--map={rid}={_copy(tmp_path, r, n)}" for rid, (r, n) in STRONG.items()]
    res = mi("committee", *maps)
    assert res.code == 0, res.err
    assert res.out.startswith("Pinterest AI product manager loop: HIRE")
    assert "Recruiter screen             30" in res.out and "not practised in mockint" in res.out
    for rid, (r, n) in STRONG.items():
        grade = gradestore.latest(tmp_path / "loop" / f"{r}-{n}", r)[1]  # graded offline and kept
        assert f"{grade.verdict:<8} {grade.score:5.1f}  {tmp_path / 'loop' / f'{r}-{n}'}" in res.out, rid

    obj = json.loads(mi("committee", *maps, "--format", "json").out)  # second run: kept grades, nothing regraded
    assert obj["recommendation"] == "hire" and obj["reasons"] == [] and obj["missing_rounds"] == []
    assert [(r["id"], r["minutes"]) for r in obj["rounds"]] == [
        ("recruiter_screen", 30),
        ("hiring_manager_deep_dive", 45),
        ("cross_functional", 60),
        ("system_design", 90),
        ("executive", 45),
    ]
    assert all(len(gradestore.grades_for(tmp_path / "loop" / f"{r}-{n}")) == 1 for r, n in STRONG.values())


def test_committee_assigns_by_recorded_round_and_a_vetoed_round_means_no_hire(mi, tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    folder.mkdir()
    _session(folder, "impact_story", "strong_fraud_false_declines.txt", 0, grade=False)
    _session(folder, "technical_explainer", "strong_api_for_executive.txt", 1, grade=False)
    _session(folder, "system_design", "strong_hair_pattern_search.txt", 2, grade=False, name="design-old")
    weak = _session(folder, "system_design", "weak_keyword_stuffed.txt", 5, grade=False, name="design-new")
    _session(folder, "product_sense", "strong_weeknight_dinner_planners.txt", 3, grade=False)

    res = mi("committee", str(folder), "--format", "json")
    assert res.code == 0, res.err
    obj = json.loads(res.out)
    row = next(r for r in obj["rounds"] if r["id"] == "system_design")
    assert row["transcript"] == str(weak) and row["verdict"] == "no_hire"  # the newest system design round
    assert obj["recommendation"] == "no_hire"
    assert any(r.startswith("System design was a no hire") for r in obj["reasons"])
    assert "System design: 2 transcripts; using the newest" in res.err


def test_committee_names_rounds_not_practised(mi, tmp_path: Path) -> None:
    path = _copy(tmp_path, "impact_story", "strong_fraud_false_declines.txt")
    res = mi("committee", "--map", f"impact_story={path}")  # a practice round id maps to its loop round
    assert res.code == 0
    assert "NO HIRE" in res.out.splitlines()[0]
    assert "Cross-functional interview has not been graded yet" in res.out
    assert "not practised (practice --round system_design)" in res.out
    obj = json.loads(mi("committee", "--map", f"impact_story={path}", "--format", "json").out)
    assert set(obj["missing_rounds"]) == {"cross_functional", "system_design", "executive"}


def test_committee_uses_the_kept_grade_rather_than_grading_again(mi, tmp_path: Path) -> None:
    path = _copy(tmp_path, "impact_story", "weak_manipulative.txt")
    loaded = rubrics.resolve("impact_story")
    grade = grade_file(str(path), loaded).model_copy(update={"score": 91.0, "verdict": "hire", "grader": "llm:test"})
    gradestore.save(grade, path)
    obj = json.loads(mi("committee", "--map", f"hiring_manager_deep_dive={path}", "--format", "json").out)
    row = next(r for r in obj["rounds"] if r["id"] == "hiring_manager_deep_dive")
    assert (row["score"], row["verdict"]) == (91.0, "hire")


def test_committee_reports_unusable_inputs(mi, tmp_path: Path) -> None:
    good = _copy(tmp_path, "impact_story", "strong_fraud_false_declines.txt")
    broken = tmp_path / "loop" / "broken.vtt"
    broken.write_bytes(b"WEBVTT\n\n\x00\x01")
    res = mi("committee", str(broken), "--map", f"hiring_manager_deep_dive={good}")
    assert res.code == 1
    assert "broken.vtt" in res.err and "could not be used" in res.err and "Traceback" not in res.err
    assert "Hiring manager deep dive" in res.out

    for argv, needle in [
        (("committee", "--map", "nonsense"), "expected ROUND=PATH"),
        (("committee", "--map", f"recruiter_screen={good}"), "not a round mockint can practise"),
        (("committee", "--map", f"bar_raiser={good}"), "no round 'bar_raiser'"),
        (("committee", "--map", "system_design=/nope.txt"), "no such file"),
        (("committee", str(good), "--loop", "no_such_loop"), "unknown loop"),
    ]:
        bad = mi(*argv)
        assert bad.code == 2, argv
        assert bad.err.startswith("mockint: error: ") and needle in bad.err and bad.err.count("\n") == 1


def test_committee_with_no_paths_uses_the_saved_sessions(mi) -> None:
    store = config.transcripts_dir()
    for day, (_rid, (round_id, name)) in enumerate(STRONG.items()):
        _session(store, round_id, name, day, grade=False)
    obj = json.loads(mi("committee", "--format", "json").out)
    used = {r["id"]: r["transcript"] for r in obj["rounds"]}
    assert all(used[rid] and Path(used[rid]).parent == store for rid in STRONG)
    assert used["recruiter_screen"] is None


def test_committee_says_which_named_files_it_could_not_place(mi, tmp_path: Path) -> None:
    stray = _copy(tmp_path, "product_sense", "weak_schema_heavy.txt")  # an import: no round recorded, no grades
    res = mi("committee", str(stray))
    assert res.code == 0
    assert f"{stray}: not used (it records no round); --map ROUND={stray} assigns it" in res.err
    assert not gradestore.grades_dir(stray).exists()


def test_regrading_a_round_with_other_rubrics_does_not_add_sessions(mockint_home) -> None:
    """One practice round graded with three rubrics is one session of its own rubric in history."""
    from mockint import config, rubrics
    from mockint.interview.session import RoundSession
    from mockint.services.grading import grade_and_keep
    from mockint.services.history import load_sessions

    session, _ = RoundSession.start("product_sense", seed=1)
    session.answer("I would focus on first-time home buyers who save renovation pins but stall.")
    session.end()
    for rid in ("product_sense", "impact_story", "system_design"):
        grade_and_keep(str(session.path), rubrics.resolve(rid), grader="offline", settings=None)
    sessions = load_sessions(config.transcripts_dir())
    assert [(s.round, s.grade.rubric) for s in sessions] == [("product_sense", "product_sense")]
