"""The use cases both front ends call (issue 14), driven through the commands: the grade that belongs to a
transcript (own rubric, same hash), defaults that follow the transcript, the committee over a loop run, one
Settings per process, one interviewer protocol and one restore rule."""

from __future__ import annotations

import dataclasses
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mockint import config, gradestore, rounds, rubrics, settings
from mockint.domain.grade import Grade
from mockint.domain.transcript import Turn
from mockint.errors import MockintError
from mockint.grading.committee import decide
from mockint.interview.base import restore_state
from mockint.interview.session import RoundSession, run_now
from mockint.services import grading, loops, sessions
from mockint.transcripts.loading import load_any
from mockint.transcripts.store import read_native, serialise, write_atomic

from .conftest import run_subprocess

CAL = Path(__file__).parent / "calibration" / "tuning"
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _native(folder: Path, round_id: str, example: str, *, name: str, day: int = 0, finished: bool = True) -> Path:
    """A native transcript of a labelled example, recorded as a `round_id` round practised `day` days after T0."""
    transcript = load_any(CAL / round_id / example)
    rubric = rounds.load_round(round_id).rubric
    transcript.meta = transcript.meta.model_copy(
        update={"id": name, "round": round_id, "rubric": rubric, "started": T0 + timedelta(days=day)}
    )
    transcript.finished = finished
    path = folder / f"{name}.jsonl"
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(path, serialise(transcript))
    return path


# ---------------------------------------------------------------- practice --plain, then grade: one grade, with the hash


def test_practice_keeps_its_grade_with_the_hash_so_grade_of_the_unchanged_file_adds_none(tmp_path: Path, cli) -> None:
    home = tmp_path / "home"
    answers = "I'd ship a checklist first, then a budget step; saves up 8% in six weeks, hides under 2%.\n\n/end\n"
    out = run_subprocess(
        "practice", "--round", "system_design", "--plain", "--seed", "1", stdin=answers, env={"MOCKINT_HOME": str(home)}
    )
    assert out.returncode == 0, out.stderr
    saved = next((home / "transcripts").glob("*.jsonl"))
    (kept,) = gradestore.grades_for(saved)
    assert kept[1].transcript_sha256 == gradestore.transcript_sha256(saved), "practice keeps the hash of what it graded"
    assert kept[1].rubric == "system_design"

    again = cli("grade", str(saved), "--format", "json")  # no --rubric: the transcript's own round's rubric
    assert again.code == 0, again.err
    assert json.loads(again.out)["rubric"] == "system_design"
    assert len(gradestore.grades_for(saved)) == 1, "the same work is recognised, not kept twice"


# ---------------------------------------------------------------- report: the grade that belongs to the transcript


def test_report_shows_the_transcripts_own_rubric_not_the_latest_grade_of_any(cli, tmp_path: Path) -> None:
    path = _native(tmp_path / "s", "product_sense", "strong_weeknight_dinner_planners.txt", name="ps")
    assert cli("grade", str(path)).code == 0  # product_sense, its own
    assert cli("grade", str(path), "--rubric", "system_design").code == 0  # newer, another rubric
    assert gradestore.latest(path)[1].rubric == "system_design"

    res = cli("report", str(path))
    assert res.code == 0, res.err
    heading = res.out.splitlines()[0]
    assert "product_sense" in heading and "system_design" not in heading
    own = grading.kept_grade(path, "product_sense")
    assert own is not None and not own.stale
    assert f"{own.grade.score:.0f}/100" in heading
    assert "system_design" in cli("report", str(path), "--rubric", "system_design").out.splitlines()[0]


def test_report_and_the_session_list_tell_a_stale_grade(cli, tmp_path: Path) -> None:
    store = config.transcripts_dir()
    path = _native(store, "impact_story", "strong_fraud_false_declines.txt", name="story")
    assert cli("grade", str(path)).code == 0
    before = gradestore.latest(path)[1]
    transcript = read_native(path)
    transcript.turns.append(Turn(index=len(transcript.turns) + 1, speaker="candidate", text="We also cut refunds by 4% in Q3."))
    write_atomic(path, serialise(transcript))  # the file changed after its grade was made

    listed = sessions.scan_sessions()[0]
    assert listed.stale and listed.score == before.score, "the list says its only grade is stale"
    res = cli("report", str(path))
    assert res.code == 0
    assert "changed since its last impact_story grade; graded it offline again" in res.err
    fresh = grading.kept_grade(path, "impact_story")
    assert fresh is not None and not fresh.stale and fresh.grade.transcript_sha256 == gradestore.transcript_sha256(path)
    assert len(gradestore.grades_for(path)) == 2
    assert not sessions.scan_sessions()[0].stale


def test_report_with_no_path_opens_the_latest_session(cli) -> None:
    store = config.transcripts_dir()
    _native(store, "impact_story", "strong_fraud_false_declines.txt", name="older", day=0)
    newest = _native(store, "product_sense", "strong_weeknight_dinner_planners.txt", name="newest", day=3)
    _native(store, "system_design", "strong_hair_pattern_search.txt", name="empty", day=5)
    empty = read_native(store / "empty.jsonl")
    write_atomic(store / "empty.jsonl", serialise(empty.model_copy(update={"turns": empty.turns[:1]})))  # no answers

    res = cli("report")
    assert res.code == 0, res.err
    assert "product_sense" in res.out.splitlines()[0]
    assert gradestore.latest(newest) is not None and gradestore.latest(store / "older.jsonl") is None


def test_report_with_no_path_and_no_sessions_says_so(cli) -> None:
    res = cli("report")
    assert res.code == 2
    why = "no saved sessions with answers yet; practise a round or pass PATH"
    assert res.err == f"mockint: error: {config.transcripts_dir()}: {why}\n"


# ---------------------------------------------------------------- committee: the loop run's own rounds, the real reason


def _loop_run(tmp_path: Path) -> loops.LoopRun:
    """A loop run with three finished rounds and one in progress, in the transcript store."""
    run = loops.LoopRun.new("pinterest_ai_pm")
    store = config.transcripts_dir()
    for loop_round, round_id, example in (
        ("hiring_manager_deep_dive", "impact_story", "strong_fraud_false_declines.txt"),
        ("cross_functional", "technical_explainer", "strong_api_for_executive.txt"),
        ("system_design", "system_design", "borderline_cold_start_no_bias_check.txt"),
    ):
        run.transcripts[loop_round] = str(_native(store, round_id, example, name=f"run-{round_id}"))
    unfinished = _native(store, "impact_story", "strong_fraud_false_declines.txt", name="x", finished=False)
    run.transcripts["executive"] = str(unfinished)
    run.save()
    return run


def test_committee_with_no_paths_uses_the_latest_loop_run_and_agrees_with_the_loop_screen(cli, tmp_path: Path) -> None:
    run = _loop_run(tmp_path)
    # a newer, stronger system design outside the run: the saved-sessions rule would pick it, the run does not
    _native(config.transcripts_dir(), "system_design", "strong_hair_pattern_search.txt", name="newer-design", day=9)

    res = cli("committee", "--format", "json")
    assert res.code == 0, res.err
    assert f"using your loop run {run.file}" in res.err
    obj = json.loads(res.out)
    rows = {r["id"]: r for r in obj["rounds"]}
    assert rows["system_design"]["transcript"] == run.transcripts["system_design"]
    assert rows["executive"]["status"] == "in progress" and rows["executive"]["verdict"] is None

    spec = rounds.load_loop("pinterest_ai_pm")
    states = loops.LoopRun.latest("pinterest_ai_pm").states(spec)  # what the Loop screen shows
    screen = decide(spec, {s.round.id: s.grade for s in states if s.grade is not None})
    assert obj["recommendation"] == screen.recommendation and obj["reasons"] == screen.reasons


def test_a_failed_veto_round_is_explained_by_the_rule_that_failed_it(cli, tmp_path: Path) -> None:
    """The design had its gated rollout and failed on fairness: the reason says fairness, not a missing rollout."""
    design = _native(tmp_path, "system_design", "borderline_cold_start_no_bias_check.txt", name="design")
    obj = json.loads(cli("committee", "--map", f"system_design={design}", "--format", "json").out)
    (reason,) = [r for r in obj["reasons"] if r.startswith("System design was a no hire")]
    grade = gradestore.latest(design)[1]
    assert grade.verdict_reasons and grade.verdict_reasons[0].rstrip(".") in reason
    assert "gated rollout" not in reason and "bias" in reason


def test_decide_names_the_score_bar_when_that_is_what_failed() -> None:
    spec = rounds.load_loop("pinterest_ai_pm")
    grade = Grade(
        transcript="t",
        rubric="system_design",
        rubric_version=1,
        rubric_sha256="0" * 64,
        grader="offline",
        score=62,
        verdict="no_hire",
        criteria=[],
        verdict_reasons=["score 62 is below the hire bar of 70"],
    )
    decision = decide(spec, {"system_design": grade})
    assert "System design was a no hire (62/100): score 62 is below the hire bar of 70; it is a veto round" in decision.reasons


# ---------------------------------------------------------------- settings: once per process, frozen, one endpoint rule


def test_settings_are_loaded_once_per_process_across_commands(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _native(tmp_path, "impact_story", "strong_fraud_false_declines.txt", name="story")
    calls: list[int] = []
    real = settings.load
    monkeypatch.setattr(settings, "load", lambda *a, **k: calls.append(1) or real(*a, **k))
    monkeypatch.setattr(settings, "_cached", None)
    for argv in (["grade", str(path)], ["report", str(path)], ["config"], ["history"], ["committee", str(path)]):
        assert cli(*argv).code == 0, argv
    assert len(calls) == 1


def test_settings_are_frozen_and_the_backend_is_an_enum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    loaded = settings.current()
    assert loaded.backend is settings.Backend.OPENAI and loaded.endpoint_configured
    with pytest.raises(dataclasses.FrozenInstanceError):
        loaded.backend = settings.Backend.OFFLINE  # type: ignore[misc]
    offline = loaded.with_backend("offline")
    assert offline.backend is settings.Backend.OFFLINE and loaded.backend is settings.Backend.OPENAI
    monkeypatch.delenv("OPENAI_BASE_URL")
    assert not settings.current().endpoint_configured, "a changed environment is read again"


def test_the_model_grader_without_an_endpoint_is_one_clear_error(cli, tmp_path: Path) -> None:
    path = _native(tmp_path, "impact_story", "strong_fraud_false_declines.txt", name="story")
    res = cli("grade", str(path), "--grader", "llm")
    assert res.code == 2
    assert res.err == "mockint: error: --grader llm needs OPENAI_API_KEY or OPENAI_BASE_URL (see 'mockint config')\n"


# ---------------------------------------------------------------- one interviewer protocol, one restore rule


def test_both_interviewers_resume_by_the_same_rule(tmp_path: Path) -> None:
    from mockint.interview.llm_interviewer import LLMInterviewer
    from mockint.interview.scripted import ScriptedInterviewer

    session, first = RoundSession.start("impact_story", seed=2, out=tmp_path / "r.jsonl")
    session.answer("We shipped it and it went well.")
    session.writer.add_turn("interviewer", "And what did you", partial=True)  # a reply cut off mid-stream
    session.close()
    transcript = read_native(tmp_path / "r.jsonl")
    spec, rubric = rounds.load_round("impact_story"), rubrics.resolve("impact_story").rubric
    state = restore_state(transcript, spec, rubric)
    assert state.questions_asked == 2 and "And what did you" not in state.asked, "a cut-off reply was never asked"
    assert state.question is not None and state.question.text[:60] in first.text

    scripted = ScriptedInterviewer(spec, rubric, clock=lambda: 100.0)
    model = LLMInterviewer(spec, rubric, settings.Settings(base_url="http://127.0.0.1:9/v1"), clock=lambda: 100.0)
    for interviewer in (scripted, model):
        interviewer.restore(transcript)
    assert scripted.questions_asked == model.questions_asked == 2
    assert scripted.asked_probes == model.asked_probes and scripted.question == model.question
    assert scripted.started_at == model.started_at


def test_a_resumed_round_whose_interviewer_owes_a_reply_is_asked_through_retry(tmp_path: Path) -> None:
    session, _ = RoundSession.start("impact_story", seed=2, out=tmp_path / "r.jsonl")
    session.writer.add_turn("candidate", "I led the checkout launch.")  # killed before the interviewer replied
    session.close()
    resumed, pending = RoundSession.resume(tmp_path / "r.jsonl", seed=2)
    assert pending is None, "the same rule for both interviewers: the front end asks for the reply"
    reply = run_now(resumed.retry_async())
    assert [t.speaker for t in resumed.transcript.turns][-2:] == ["candidate", "interviewer"]
    assert resumed.transcript.turns[-1].text == reply.text


def test_run_now_refuses_a_call_that_has_to_wait() -> None:
    import asyncio

    async def waits() -> None:
        await asyncio.sleep(0)

    with pytest.raises(MockintError, match="await the session's calls"):
        run_now(waits())


# ---------------------------------------------------------------- the batch use case takes no argparse and prints nothing


def test_batch_run_is_a_function_that_reports_through_a_callback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from mockint.grading.batch import run_batch

    folder = tmp_path / "cohort"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        shutil.copy(CAL / "impact_story" / "strong_fraud_false_declines.txt", folder / name)

    class Client:
        async def close(self) -> None:
            return None

    result = run_batch(
        [str(folder / "a.txt"), str(folder / "b.txt")],
        rubrics.resolve("impact_story"),
        settings.Settings(api_key="k", backend=settings.Backend.OPENAI),
        1,
        dry_run=True,
        client=Client(),
    )
    assert result.dry_run is not None and result.dry_run.startswith("2 batch request(s) to gpt-4o-mini for 2 transcript(s)")
    assert capsys.readouterr() == ("", ""), "nothing printed: the command prints"


def test_the_grade_use_case_needs_settings_only_for_the_model(tmp_path: Path) -> None:
    path = _native(tmp_path, "impact_story", "strong_fraud_false_declines.txt", name="story")
    loaded = rubrics.resolve("impact_story")
    graded = grading.grade_and_keep(str(path), loaded, grader="offline", settings=None)
    assert graded.kept is not None and graded.grade.transcript_sha256 == gradestore.transcript_sha256(path)
    assert grading.grade_and_keep(str(path), loaded, grader="offline", settings=None).kept is None, "identical: not kept twice"
    with pytest.raises(MockintError, match="needs settings"):
        grading.grade_and_keep(str(path), loaded, grader="llm", settings=None)


def test_settings_are_read_again_when_the_config_file_changes() -> None:
    first = settings.current()
    assert settings.current() is first, "loaded once"
    path = settings.config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[interviewer]\nmodel = "llama-3.1-8b"\n')
    changed = settings.current()
    assert changed is not first and changed.interviewer_model == "llama-3.1-8b"
    assert changed.sources["interviewer.model"] == f"config file {path}"
