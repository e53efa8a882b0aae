"""Progress over time: per-round scores and per-criterion scores across graded sessions, as a table with
unicode sparklines, and the criteria that improved least with what to practise for each.

Nothing here reads files (`services.history` finds the sessions and their grades); everything takes `GradedSession`s,
so `mockint history` and a TUI screen show the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from mockint.domain.grade import Grade
from mockint.report.scores import WIDTH, verdict_and_score

SPARKS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class GradedSession:
    """One transcript's latest grade for one rubric, placed in time."""

    path: str
    when: datetime
    round: str
    grade: Grade


@dataclass(frozen=True)
class Point:
    when: datetime
    score: float
    path: str
    verdict: str = ""


@dataclass
class RoundSeries:
    """A round's overall scores (0-100), oldest first."""

    round: str
    points: list[Point] = field(default_factory=list)


@dataclass
class CriterionSeries:
    """One rubric criterion's scores on its scale, oldest first."""

    rubric: str
    id: str
    title: str
    top: int
    points: list[Point] = field(default_factory=list)

    @property
    def first(self) -> float:
        return self.points[0].score

    @property
    def latest(self) -> float:
        return self.points[-1].score

    @property
    def slope(self) -> float | None:
        """Least-squares change per session, in scale points; None with fewer than two sessions."""
        n = len(self.points)
        if n < 2:
            return None
        xs = range(n)
        mx, my = (n - 1) / 2, sum(p.score for p in self.points) / n
        num = sum((x - mx) * (p.score - my) for x, p in zip(xs, self.points, strict=True))
        den = sum((x - mx) ** 2 for x in xs)
        return num / den


@dataclass(frozen=True)
class SelfGap:
    """How your own scores of a criterion differ from the grader's on the same sessions (scale points, + = higher)."""

    rubric: str
    id: str
    title: str
    gap: float
    sessions: int

    def sentence(self) -> str:
        size = abs(self.gap)
        if size < 0.5:
            return f"you rate yourself about as the grader does on {self.title}"
        amount = "a level" if size < 1.25 else f"{size:.1f} levels"
        return f"you rate yourself {amount} {'higher' if self.gap > 0 else 'lower'} than the grader on {self.title}"


def self_gaps(pairs: list[tuple[Grade, Grade]]) -> list[SelfGap]:
    """Per (rubric, criterion), the mean of your level minus the grader's over (self-assessment, grader's grade) pairs
    of one transcript; largest gap first."""
    diffs: dict[tuple[str, str], list[float]] = {}
    titles: dict[tuple[str, str], str] = {}
    for mine, theirs in pairs:
        for c in mine.criteria:
            other = theirs.criterion(c.id)
            if c.score is None or other is None or other.score is None:
                continue
            diffs.setdefault((mine.rubric, c.id), []).append(float(c.score) - float(other.score))
            titles[(mine.rubric, c.id)] = c.title or other.title or c.id
    gaps = [SelfGap(r, cid, titles[(r, cid)], sum(d) / len(d), len(d)) for (r, cid), d in diffs.items()]
    return sorted(gaps, key=lambda g: (-abs(g.gap), g.rubric, g.id))


@dataclass
class HistoryView:
    sessions: int
    rounds: list[RoundSeries]
    criteria: list[CriterionSeries]
    least_improved: list[CriterionSeries]
    practise: dict[tuple[str, str], str]
    self_gaps: list[SelfGap] = field(default_factory=list)


def filter_sessions(
    sessions: list[GradedSession], *, rubric: str | None = None, round_id: str | None = None
) -> list[GradedSession]:
    return [s for s in sessions if (rubric is None or s.grade.rubric == rubric) and (round_id is None or s.round == round_id)]


def build(sessions: list[GradedSession], probes: Mapping[tuple[str, str], str] | None = None, n: int = 3) -> HistoryView:
    """Series per round and per (rubric, criterion), oldest first; `probes` maps (rubric, criterion) to what to
    practise (the rubric's first probe); criteria without one fall back to what the latest grade said was missing."""
    ordered = sorted(sessions, key=lambda s: (s.when, s.path))
    rounds: dict[str, RoundSeries] = {}
    crits: dict[tuple[str, str], CriterionSeries] = {}
    missing: dict[tuple[str, str], str] = {}
    for s in ordered:
        rounds.setdefault(s.round, RoundSeries(s.round)).points.append(Point(s.when, s.grade.score, s.path, s.grade.verdict))
        for c in s.grade.criteria:
            key = (s.grade.rubric, c.id)
            series = crits.setdefault(key, CriterionSeries(s.grade.rubric, c.id, c.title or c.id, c.max))
            series.title, series.top = c.title or series.title, c.max or series.top
            if c.score is not None:
                series.points.append(Point(s.when, float(c.score), s.path))
            if c.missing:
                missing[key] = c.missing[0]
            elif key in missing:
                del missing[key]
    criteria = [c for c in crits.values() if c.points]
    practise = {**missing, **(probes or {})}
    return HistoryView(len(ordered), list(rounds.values()), criteria, least_improved(criteria, n), practise)


def least_improved(criteria: list[CriterionSeries], n: int = 3) -> list[CriterionSeries]:
    """Lowest slope (as a share of the scale) first, ties to the lower latest score; criteria seen in one session
    only come after every criterion with a trend. Criteria whose latest score is the top of their scale are left
    out: there is nothing left to practise there."""

    def key(c: CriterionSeries) -> tuple[bool, float, float, str, str]:
        return (c.slope is None, (c.slope or 0.0) / (c.top or 1), c.latest / (c.top or 1), c.rubric, c.id)

    return sorted((c for c in criteria if c.latest < c.top), key=key)[:n]


# ---------------------------------------------------------------- rendering


def sparkline(values: list[float], lo: float, hi: float) -> str:
    """One block character per value on a fixed range, so heights compare across rows."""
    span = (hi - lo) or 1.0
    return "".join(SPARKS[max(0, min(7, round((v - lo) / span * 7)))] for v in values)


def _bar(value: float, top: float, width: int = 10) -> str:
    filled = max(0, min(width, round(width * value / top))) if top else 0
    return "█" * filled + "░" * (width - filled)


def _day(when: datetime) -> str:
    return when.astimezone().strftime("%Y-%m-%d")


def _trend(c: CriterionSeries) -> str:
    return "one session" if c.slope is None else f"{c.slope:+.2f}/session"


def render_table(view: HistoryView, width: int = 24, title_width: int = 44, bar_width: int = 20) -> str:
    """Rounds (scores 0-100 over time), criteria (scale scores over time) and the three that improved least;
    criterion titles are cut to `title_width` and session bars drawn `bar_width` wide (the app passes less at 80
    columns)."""
    if not view.sessions:
        return ""
    out = [f"Progress over {view.sessions} graded session{'s' if view.sessions != 1 else ''}", ""]
    rw = max(len(r.round) for r in view.rounds)
    out.append(f"{'round':<{rw}}  {'n':>3}  {'first':>5}  {'latest':>6}  {'change':>6}  trend (0-100)")
    for r in view.rounds:
        scores = [p.score for p in r.points]
        out.append(
            f"{r.round:<{rw}}  {len(scores):>3}  {scores[0]:5.0f}  {scores[-1]:6.0f}  {scores[-1] - scores[0]:+6.0f}  "
            f"{sparkline(scores[-width:], 0, 100)}"
        )
    for r in view.rounds:
        out += ["", f"{r.round}:"]
        for p in r.points[-width:]:
            shown = verdict_and_score(p.verdict or None, p.score)
            out.append(f"  {_day(p.when)}  {shown:<{WIDTH}}  {_bar(p.score, 100, bar_width)}  {Path(p.path).name}")
    out += ["", "criteria (scores on the rubric's scale, oldest → latest):"]
    by_rubric: dict[str, list[CriterionSeries]] = {}
    for c in view.criteria:
        by_rubric.setdefault(c.rubric, []).append(c)
    for rubric, series in by_rubric.items():
        cw = min(max(len(c.title) for c in series), title_width)
        recent = [" ".join(f"{p.score:g}" for p in c.points[-8:]) for c in series]
        sw, rw = min(max(len(c.points) for c in series), width), max(len(r) for r in recent)
        out.append(f"  {rubric}")
        for c, nums in zip(series, recent, strict=True):
            spark = sparkline([p.score for p in c.points][-width:], 0, c.top)
            out.append(f"    {c.title[:cw]:<{cw}}  {spark:<{sw}}  {nums:>{rw}} /{c.top}  {_bar(c.latest, c.top, 8)}  {_trend(c)}")
    if not view.least_improved:
        out += ["", "every criterion is at the top of its scale in your latest session; try a harder round or rubric"]
    else:
        out += ["", "improved least (practise these next):"]
        for i, c in enumerate(view.least_improved, 1):
            out.append(f"  {i}. {c.title} ({c.rubric}): latest {c.latest:g}/{c.top}, {_trend(c)}")
            tip = view.practise.get((c.rubric, c.id))
            if tip:
                out.append(f"     practise next: {tip}")
    if view.self_gaps:
        out += ["", "self-assessment (your own scores against the grader's, same sessions):"]
        for g in view.self_gaps:
            n = f"{g.sessions} session{'s' if g.sessions != 1 else ''}"
            out.append(f"  {g.sentence()} ({g.rubric}, {g.gap:+.1f} over {n})")
    return "\n".join(out) + "\n"


def to_json(view: HistoryView) -> dict[str, Any]:
    def pt(p: Point) -> dict[str, Any]:
        return {"when": p.when.isoformat(), "score": p.score, "transcript": p.path} | (
            {"verdict": p.verdict} if p.verdict else {}
        )

    return {
        "sessions": view.sessions,
        "rounds": [{"round": r.round, "points": [pt(p) for p in r.points]} for r in view.rounds],
        "criteria": [
            {
                "rubric": c.rubric,
                "id": c.id,
                "title": c.title,
                "max": c.top,
                "slope": c.slope,
                "points": [pt(p) for p in c.points],
            }
            for c in view.criteria
        ],
        "improved_least": [
            {
                "rubric": c.rubric,
                "id": c.id,
                "title": c.title,
                "max": c.top,
                "latest": c.latest,
                "change": c.latest - c.first,
                "slope": c.slope,
                "practise_next": view.practise.get((c.rubric, c.id)),
            }
            for c in view.least_improved
        ],
        "self_assessment": [
            {"rubric": g.rubric, "id": g.id, "title": g.title, "gap": round(g.gap, 2), "sessions": g.sessions}
            | {"says": g.sentence()}
            for g in view.self_gaps
        ],
    }
