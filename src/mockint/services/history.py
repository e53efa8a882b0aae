"""History: the graded sessions in the store (the reading of files behind `mockint history` and the app's History
screen), and what to practise for the criteria that improved least. The view itself is built and rendered by
`report.history_view`, which reads no files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from mockint import config, gradestore, rubrics
from mockint.domain.grade import Grade
from mockint.errors import MockintError
from mockint.report import history_view as hv
from mockint.services.grading import kept_grade, own_rubric_id
from mockint.services.scoring import is_human, self_assessment_pairs
from mockint.services.sessions import session_paths
from mockint.transcripts import load_any


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def load_sessions(folder: Path) -> list[hv.GradedSession]:
    """Every session in the store's index (`sessions.session_paths`) with kept grades. A practice round counts
    once, by the grade of its own rubric (re-grades with other rubrics are experiments, not more sessions); a
    transcript with no rubric of its own (an import) counts under each rubric it was graded with. Dated by the
    round's start, else the grade's time, else the file's mtime. Unreadable transcripts still count by their grades.
    A person's scores count only where no grader graded the file; a drill is a round of its own (`product_sense drill`)."""
    out: list[hv.GradedSession] = []
    for path in map(str, session_paths(folder)):
        kept = gradestore.grades_for(path)
        if not kept:
            continue
        try:
            transcript = load_any(path, require_candidate=False)
        except MockintError:
            started, round_id, own = None, None, None
        else:
            started, round_id = transcript.meta.started, transcript.meta.round
            if round_id and transcript.meta.drill:  # a drill's one-criterion score is not the round's score
                round_id = f"{round_id} drill"
            own = transcript.meta.rubric or (own_rubric_id(path, transcript) if round_id else None)
        chosen: dict[str, Grade] = {}
        found = kept_grade(path, own) if own else None
        if found is not None:
            chosen[found.grade.rubric] = found.grade
        else:
            for _, grade in [pg for pg in kept if not is_human(pg[1])] or kept:  # oldest first: the newest wins
                chosen[grade.rubric] = grade
        for rubric, grade in chosen.items():
            when = started or grade.graded_at or datetime.fromtimestamp(Path(path).stat().st_mtime, UTC)
            out.append(hv.GradedSession(path, _aware(when), round_id or rubric, grade))
    return out


def first_probes(series: list[hv.CriterionSeries]) -> dict[tuple[str, str], str]:
    """Each criterion's first probe from its rubric as it is now; rubrics that no longer load are left out."""
    probes: dict[tuple[str, str], str] = {}
    for rubric in sorted({c.rubric for c in series}):
        try:
            loaded = rubrics.resolve_id(rubric, named_by="a kept grade")
        except MockintError:
            continue
        for crit in loaded.rubric.criteria:
            if crit.probes:
                probes[(rubric, crit.id)] = crit.probes[0]
    return probes


@dataclass
class History:
    """Every graded session in the store, and the view of the ones the filters keep."""

    folder: Path
    everything: list[hv.GradedSession]
    view: hv.HistoryView

    @property
    def rubrics(self) -> list[str]:
        return sorted({s.grade.rubric for s in self.everything})


def history(*, rubric: str | None = None, round_id: str | None = None, folder: Path | None = None) -> History:
    """Scores over time for the sessions of `rubric` and `round_id` (all when None), with what to practise next."""
    root = folder if folder is not None else config.transcripts_dir()
    everything = load_sessions(root)
    kept = hv.filter_sessions(everything, rubric=rubric, round_id=round_id)
    view = hv.build(kept)
    view.practise.update(first_probes(view.least_improved))
    view.self_gaps = hv.self_gaps(self_assessment_pairs(kept))
    return History(root, everything, view)
