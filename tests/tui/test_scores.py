"""One style for scores and verdicts on every surface people read: `no hire · 15/100` (JSON keeps raw values)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from mockint.domain.grade import CriterionGrade, Grade
from mockint.report import history_view as hv
from mockint.report.grade_text import grade_markdown, grade_table
from mockint.report.scores import WIDTH, format_score, format_verdict, verdict_and_score


@pytest.mark.parametrize(
    ("score", "text"), [(72.4, "72/100"), (72.6, "73/100"), (48.5, "48/100"), (0, "0/100"), (100, "100/100"), (None, "—")]
)
def test_format_score_is_whole_points_out_of_100(score: float | None, text: str) -> None:
    assert format_score(score) == text
    if score is not None:  # the same rounding as the verdict reasons' numbers
        assert text == f"{score:.0f}/100"


def test_verdicts_read_as_words() -> None:
    assert format_verdict("hire") == "hire"
    assert format_verdict("no_hire") == "no hire"
    assert format_verdict(None) == "—"
    assert verdict_and_score("no_hire", 15.4) == "no hire · 15/100"
    assert verdict_and_score("hire", 94.9, heading=True) == "Hire · 95/100"
    assert len("no hire · 100/100") == WIDTH


def _grade(verdict: str, score: float) -> Grade:
    return Grade(
        transcript="talk.md",
        rubric="product_sense",
        rubric_version=1,
        rubric_sha256="0" * 64,
        grader="offline",
        score=score,
        verdict=verdict,
        criteria=[CriterionGrade(id="a", title="A", score=1, max=4, weight=1)],
        graded_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
    )


def test_table_markdown_and_history_use_the_one_style() -> None:
    weak, strong = _grade("no_hire", 15.4), _grade("hire", 94.9)
    table = grade_table([weak])
    assert "  no hire · 15/100" in table.splitlines()[1]
    assert "NO_HIRE" not in table and "15.4" not in table
    assert grade_markdown(strong).startswith("# Hire · 95/100 · product_sense v1")
    sessions = [
        hv.GradedSession("a.jsonl", datetime(2026, 3, 1, tzinfo=UTC), "product_sense", weak),
        hv.GradedSession("b.jsonl", datetime(2026, 3, 2, tzinfo=UTC), "product_sense", strong),
    ]
    text = hv.render_table(hv.build(sessions))
    assert "2026-03-01  no hire · 15/100 " in text and "2026-03-02  hire · 95/100 " in text
    assert "94.9" not in text and "15.4" not in text
    # JSON keeps the raw values and the machine verdicts
    points = hv.to_json(hv.build(sessions))["rounds"][0]["points"]
    assert [(p["score"], p["verdict"]) for p in points] == [(15.4, "no_hire"), (94.9, "hire")]
    assert json.loads(weak.model_dump_json())["verdict"] == "no_hire"


def test_history_titles_can_be_cut_to_fit() -> None:
    grade = _grade("no_hire", 40)
    grade.criteria[0].title = "A specific user and problem before solutions"
    view = hv.build([hv.GradedSession("a.jsonl", datetime(2026, 3, 1, tzinfo=UTC), "product_sense", grade)])
    assert "A specific user and problem before solutions" in hv.render_table(view)
    narrow = hv.render_table(view, title_width=20)
    assert "    A specific user and   " in narrow and "before solutions  " not in narrow
