"""What the screens show that is not a use case: short titles, score bars, how two grades of a transcript compare.

The use cases the screens call live in `mockint.services` (sessions, rounds, grading, exports, rubric files); their
names are imported here too, so a screen has one place to import from.
"""

from __future__ import annotations

from mockint.domain.grade import Grade
from mockint.interview.session import RoundSession
from mockint.report.compare import CriterionChange
from mockint.services.exports import REPORT_SUFFIX, export_markdown, report_path
from mockint.services.rounds import PracticeRequest
from mockint.services.rubric_files import RUBRIC_TEMPLATE, new_rubric
from mockint.services.sessions import SessionInfo, scan_sessions

__all__ = [
    "REPORT_SUFFIX",
    "RUBRIC_TEMPLATE",
    "PracticeRequest",
    "SessionInfo",
    "bar",
    "coach_hint",
    "compare_grades",
    "export_markdown",
    "new_rubric",
    "report_path",
    "scan_sessions",
    "short",
]


def short(title: str, width: int) -> str:
    """Cut a title to `width` characters with an ellipsis, so tables fit at 80 columns."""
    return title if len(title) <= width else title[: width - 1] + "…"


def bar(score: float | None, top: int, width: int = 10) -> str:
    if score is None or not top:
        return "·" * width
    filled = max(0, min(width, round(width * score / top)))
    return "█" * filled + "░" * (width - filled)


def compare_grades(before: Grade, after: Grade) -> list[CriterionChange]:
    """Criteria of both grades in order (first grade's, then new ones), moved or not."""
    rows: list[CriterionChange] = []
    seen: set[str] = set()
    for c in before.criteria:
        other = after.criterion(c.id)
        rows.append(CriterionChange(c.id, c.title or c.id, c.score, other.score if other else None, c.max))
        seen.add(c.id)
    for c in after.criteria:
        if c.id not in seen:
            rows.append(CriterionChange(c.id, c.title or c.id, None, c.score, c.max))
    return rows


def coach_hint(session: RoundSession) -> str:
    """Coach mode on demand: the next plain-words note on what the answers still lack, never one already
    given; saved beside the interviewer's last turn like every coach note."""
    return session.next_hint()
