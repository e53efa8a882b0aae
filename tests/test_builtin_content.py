"""The built-in rubrics, rounds, loop and tracks: complete, consistent, and traceable to the articles."""

from __future__ import annotations

import re

import pytest

from mockint import rubrics
from mockint.domain import CriterionGrade, Grade
from mockint.grading.committee import decide
from mockint.rounds import load_loop, load_round, load_tracks, round_ids

BUILTIN = ["product_sense", "system_design", "impact_story", "technical_explainer", "program_execution", "executive"]


def test_all_builtin_rubrics_check_clean(cli) -> None:
    result = cli("rubric", "check")
    assert result.code == 0, result.err
    assert result.out.count("ok  ") >= 5


def test_rubric_list_shows_criteria_counts(cli) -> None:
    out = cli("rubric", "list").out
    for rid in BUILTIN:
        row = next(line for line in out.splitlines() if line.startswith(rid + " "))
        count = int(row.split()[2])
        assert count == len(rubrics.resolve(rid).rubric.criteria) >= 4


@pytest.mark.parametrize("rid", BUILTIN)
def test_every_criterion_is_complete_and_sourced(rid: str) -> None:
    rubric = rubrics.resolve(rid).rubric
    assert rubric.round == rid
    levels = {lvl.score for lvl in rubric.scale}
    for crit in rubric.criteria:
        assert set(crit.anchors) == levels
        assert len(set(crit.anchors.values())) == len(levels), f"{crit.id}: anchors must differ per level"
        assert 2 <= len(crit.probes) <= 3, crit.id
        assert crit.examples.good and crit.examples.bad
        assert re.search(r"seeds/00[0-4]_[0-9a-f]{16}\.txt", crit.source), f"{crit.id}: source must name an article"
    assert any(c.must_pass for c in rubric.criteria)


def test_rounds_map_to_rubrics_with_big_question_banks() -> None:
    assert set(round_ids()) == set(BUILTIN)
    for rid in BUILTIN:
        spec = load_round(rid)
        assert spec.rubric == rid
        assert len(spec.questions) >= 12
        assert any(q.company == "pinterest" for q in spec.questions)
        assert any(q.company is None for q in spec.questions)


def test_tracks_and_loop_load_and_refer_to_real_rounds() -> None:
    tracks = load_tracks()
    assert set(tracks) == {"pm", "technical_pm", "tpm", "ai_pm"}
    for track in tracks.values():
        assert set(track.rounds) <= set(BUILTIN)
    assert "program_execution" in tracks["tpm"].rounds
    loop = load_loop("pinterest_ai_pm")
    assert tracks["ai_pm"].loop == loop.id
    assert [r.minutes for r in loop.rounds] == [30, 45, 60, 90, 45]
    for r in loop.rounds:
        assert r.round is None or r.round in BUILTIN


def _grade(verdict: str, score: float) -> Grade:
    return Grade(
        transcript="t",
        rubric="r",
        rubric_version=1,
        rubric_sha256="0" * 64,
        grader="offline",
        score=score,
        verdict=verdict,
        criteria=[CriterionGrade(id="c", score=3, max=4, weight=1)],
    )


def test_failed_impact_story_rejects_even_after_a_strong_system_design() -> None:
    loop = load_loop("pinterest_ai_pm")
    by_round = {r.round: r.id for r in loop.rounds if r.round}
    all_hire = {rid: _grade("hire", 85) for rid in by_round.values()}
    assert decide(loop, all_hire).recommendation == "hire"
    failed_story = dict(all_hire)
    failed_story[by_round["impact_story"]] = _grade("no_hire", 40)
    failed_story[by_round["system_design"]] = _grade("hire", 98)
    decision = decide(loop, failed_story)
    assert decision.recommendation == "no_hire"
    assert any("no hire" in reason for reason in decision.reasons)
    assert decide(loop, {}).recommendation == "no_hire"
