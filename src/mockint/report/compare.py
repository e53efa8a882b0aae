"""Comparing grades: two grades of one transcript (rubric v1 vs v2, offline vs LLM, two models), and a
folder's worth of such pairs summarised as "how did this change move verdicts and criteria".

Pure functions over `Grade` objects, so `mockint diff` and a future TUI screen render the same facts.
"""

from __future__ import annotations

import os
import statistics
from dataclasses import dataclass, field
from typing import Any, TypeVar

from mockint.domain.grade import Grade

P = TypeVar("P")


@dataclass(frozen=True)
class CriterionChange:
    """One criterion in both grades; `before`/`after` is None when unscored or absent on that side."""

    id: str
    title: str
    before: float | None
    after: float | None
    top: int

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def moved(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class GradeDiff:
    """Everything that changed between grade `a` (before) and grade `b` (after)."""

    a: Grade
    b: Grade
    moved: list[CriterionChange]
    unchanged: list[str]
    only_in_a: list[str]
    only_in_b: list[str]
    flags_added: list[str]
    flags_removed: list[str]

    @property
    def score_delta(self) -> float:
        return self.b.score - self.a.score

    @property
    def verdict_changed(self) -> bool:
        return self.a.verdict != self.b.verdict


def different_transcripts(a: Grade, b: Grade) -> str | None:
    """Why the two grades may not be of the same transcript, or None. Hashes win over paths when both exist,
    so a transcript graded once as `./x.txt` and once as `x.txt` is not reported."""
    if a.transcript_sha256 and b.transcript_sha256:
        if a.transcript_sha256 == b.transcript_sha256:
            return None
        if _norm(a.transcript) == _norm(b.transcript):
            return f"{a.transcript} changed between the two grades (its sha256 differs)"
        return f"the grades are of different transcripts ({a.transcript} vs {b.transcript})"
    if _norm(a.transcript) != _norm(b.transcript):
        return f"the grades are of different transcripts ({a.transcript} vs {b.transcript})"
    return None


def _norm(path: str) -> str:
    return os.path.normpath(path)


def diff_grades(a: Grade, b: Grade) -> GradeDiff:
    """Criteria in `a`'s order; criteria present in only one grade are listed apart, not as moves."""
    b_ids = {c.id for c in b.criteria}
    moved, unchanged = [], []
    for ca in a.criteria:
        cb = b.criterion(ca.id)
        if cb is None:
            continue
        if ca.score != cb.score:
            moved.append(CriterionChange(ca.id, cb.title or ca.title or ca.id, ca.score, cb.score, cb.max or ca.max))
        else:
            unchanged.append(ca.id)
    a_ids = {c.id for c in a.criteria}
    return GradeDiff(
        a=a,
        b=b,
        moved=moved,
        unchanged=unchanged,
        only_in_a=[c.id for c in a.criteria if c.id not in b_ids],
        only_in_b=[c.id for c in b.criteria if c.id not in a_ids],
        flags_added=[f for f in b.flags if f not in a.flags],
        flags_removed=[f for f in a.flags if f not in b.flags],
    )


def pick_pair(kept: list[tuple[P, Grade]], *, strict: bool = True) -> tuple[tuple[P, Grade], tuple[P, Grade]] | None:
    """The newest kept grade and the newest older one made with a different rubric file or grader (`kept` is
    oldest first, as `gradestore.grades_for` gives it). Without `strict`, fall back to the grade just before
    the newest when none differs that way (say the transcript changed and was graded again)."""
    if len(kept) < 2:
        return None
    newest = kept[-1]
    for older in reversed(kept[:-1]):
        if (older[1].rubric_sha256, older[1].grader) != (newest[1].rubric_sha256, newest[1].grader):
            return older, newest
    return None if strict else (kept[-2], newest)


# ---------------------------------------------------------------- rendering one diff


def _num(x: float | None) -> str:
    return "–" if x is None else f"{x:g}"


def _signed(x: float | None, fmt: str = "+g") -> str:
    return "" if x is None else format(x, fmt)


def describe(grade: Grade) -> str:
    """One line naming what produced a grade: rubric id, version, short sha, grader, when."""
    when = f" · {grade.graded_at:%Y-%m-%d %H:%M}" if grade.graded_at else ""
    return f"{grade.rubric} v{grade.rubric_version} (sha {grade.rubric_sha256[:8]}) · {grade.grader}{when}"


def diff_table(d: GradeDiff, label_a: str = "A", label_b: str = "B") -> str:
    out = [
        f"A  {label_a}",
        f"   {d.a.transcript} · {describe(d.a)}",
        f"B  {label_b}",
        f"   {d.b.transcript} · {describe(d.b)}",
        "",
        f"score    {d.a.score:5.1f} → {d.b.score:5.1f}  ({d.score_delta:+.1f})",
        f"verdict  {d.a.verdict} → {d.b.verdict}" + ("" if d.verdict_changed else "  (unchanged)"),
        "",
    ]
    if d.moved:
        width = min(max(len(c.title) for c in d.moved), 48)
        out.append(f"criteria that moved ({len(d.moved)}; {len(d.unchanged)} unchanged):")
        for c in d.moved:
            before, after = f"{_num(c.before)}/{c.top}", f"{_num(c.after)}/{c.top}"
            out.append(f"  {c.title[:width]:<{width}}  {before:>5} → {after:<5}  {_signed(c.delta)}".rstrip())
    else:
        out.append(f"no criterion moved ({len(d.unchanged)} unchanged)")
    for label, items in (
        ("only in A", d.only_in_a),
        ("only in B", d.only_in_b),
        ("flags added", d.flags_added),
        ("flags removed", d.flags_removed),
    ):
        if items:
            out.append(f"{label}: {', '.join(items)}")
    return "\n".join(out) + "\n"


def diff_markdown(d: GradeDiff, label_a: str = "A", label_b: str = "B") -> str:
    out = [
        f"# Grade diff · {d.a.score:.0f} → {d.b.score:.0f} ({d.score_delta:+.1f}) · {d.a.verdict} → {d.b.verdict}",
        "",
        "| | grade | transcript | rubric | grader |",
        "|---|---|---|---|---|",
        f"| A | `{label_a}` | `{d.a.transcript}` | {d.a.rubric} v{d.a.rubric_version} `{d.a.rubric_sha256[:8]}` | {d.a.grader} |",
        f"| B | `{label_b}` | `{d.b.transcript}` | {d.b.rubric} v{d.b.rubric_version} `{d.b.rubric_sha256[:8]}` | {d.b.grader} |",
        "",
    ]
    if d.moved:
        out += ["| criterion | A | B | change |", "|---|---|---|---|"]
        out += [
            f"| {c.title} | {_num(c.before)}/{c.top} | {_num(c.after)}/{c.top} | {_signed(c.delta) or '–'} |" for c in d.moved
        ]
        out.append("")
    out.append(f"{len(d.unchanged)} criteria unchanged.")
    for label, items in (
        ("Only in A", d.only_in_a),
        ("Only in B", d.only_in_b),
        ("Flags added", d.flags_added),
        ("Flags removed", d.flags_removed),
    ):
        if items:
            out.append(f"{label}: {', '.join(f'`{i}`' for i in items)}.")
    return "\n".join(out) + "\n"


def _side(grade: Grade, label: str) -> dict[str, Any]:
    return {
        "file": label,
        "transcript": grade.transcript,
        "rubric": grade.rubric,
        "rubric_version": grade.rubric_version,
        "rubric_sha256": grade.rubric_sha256,
        "grader": grade.grader,
        "score": grade.score,
        "verdict": grade.verdict,
        "graded_at": grade.graded_at.isoformat() if grade.graded_at else None,
    }


def diff_json(d: GradeDiff, label_a: str = "A", label_b: str = "B") -> dict[str, Any]:
    return {
        "a": _side(d.a, label_a),
        "b": _side(d.b, label_b),
        "score_delta": round(d.score_delta, 4),
        "verdict_changed": d.verdict_changed,
        "criteria": [
            {"id": c.id, "title": c.title, "before": c.before, "after": c.after, "max": c.top, "delta": c.delta} for c in d.moved
        ],
        "unchanged": d.unchanged,
        "only_in_a": d.only_in_a,
        "only_in_b": d.only_in_b,
        "flags_added": d.flags_added,
        "flags_removed": d.flags_removed,
        "warning": different_transcripts(d.a, d.b),
    }


# ---------------------------------------------------------------- a folder of pairs


@dataclass
class CriterionMovement:
    """How one criterion moved across a folder: mean change over the transcripts that have it in both grades."""

    id: str
    title: str
    top: int
    deltas: list[float] = field(default_factory=list)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.deltas) if self.deltas else 0.0

    @property
    def mean_abs(self) -> float:
        return statistics.fmean(abs(x) for x in self.deltas) if self.deltas else 0.0

    @property
    def up(self) -> int:
        return sum(x > 0 for x in self.deltas)

    @property
    def down(self) -> int:
        return sum(x < 0 for x in self.deltas)


@dataclass(frozen=True)
class ComparedPair:
    """One transcript of a folder and the diff of its two grades, with the grade files they came from."""

    transcript: str
    diff: GradeDiff
    file_a: str
    file_b: str


@dataclass
class FolderSummary:
    """What a rubric or grader change did to a folder of transcripts."""

    pairs: list[ComparedPair]
    skipped: list[tuple[str, str]]

    @property
    def diffs(self) -> list[GradeDiff]:
        return [p.diff for p in self.pairs]

    @property
    def hire_to_no_hire(self) -> int:
        return sum(d.a.verdict == "hire" and d.b.verdict == "no_hire" for d in self.diffs)

    @property
    def no_hire_to_hire(self) -> int:
        return sum(d.a.verdict == "no_hire" and d.b.verdict == "hire" for d in self.diffs)

    @property
    def mean_score_delta(self) -> float:
        return statistics.fmean(d.score_delta for d in self.diffs) if self.pairs else 0.0

    def movements(self) -> list[CriterionMovement]:
        """Criteria that moved anywhere, most movement first (mean absolute change; ties by id)."""
        found: dict[str, CriterionMovement] = {}
        for d in self.diffs:
            for ca in d.a.criteria:
                cb = d.b.criterion(ca.id)
                if cb is None or ca.score is None or cb.score is None:
                    continue
                mv = found.setdefault(ca.id, CriterionMovement(ca.id, cb.title or ca.id, cb.max))
                mv.deltas.append(float(cb.score - ca.score))
        moved = [m for m in found.values() if m.mean_abs > 0]
        return sorted(moved, key=lambda m: (-m.mean_abs, m.id))


def folder_table(s: FolderSummary, top: int = 5) -> str:
    n = len(s.pairs)
    out = [f"Compared {n} transcript{'s' if n != 1 else ''} (A = older grade, B = newer grade)"]
    if s.pairs:
        same = n - s.hire_to_no_hire - s.no_hire_to_hire
        out += [
            f"  verdicts: {s.hire_to_no_hire} hire → no_hire, {s.no_hire_to_hire} no_hire → hire, {same} unchanged",
            f"  mean score change: {s.mean_score_delta:+.1f}",
        ]
        moves = s.movements()[:top]
        if moves:
            width = min(max(len(m.title) for m in moves), 48)
            out.append("  criteria that moved most (mean change where scored in both):")
            for m in moves:
                out.append(
                    f"    {m.title[:width]:<{width}}  {m.mean:+.2f}/{m.top}  ({m.up} up, {m.down} down of {len(m.deltas)})"
                )
        else:
            out.append("  no criterion moved")
        out += ["", "per transcript:"]
        pw = min(max(len(p.transcript) for p in s.pairs), 60)
        for pair in s.pairs:
            d = pair.diff
            out.append(
                f"  {pair.transcript:<{pw}}  {d.a.score:5.1f} {d.a.verdict:<7} → {d.b.score:5.1f} {d.b.verdict:<7} "
                f"({d.score_delta:+5.1f})  [{_what_changed(d)}]"
            )
    if s.skipped:
        out += ["", f"skipped ({len(s.skipped)}):"]
        out += [f"  {path}: {why}" for path, why in s.skipped]
    return "\n".join(out) + "\n"


def _what_changed(d: GradeDiff) -> str:
    parts = []
    if d.a.rubric_sha256 != d.b.rubric_sha256:
        parts.append(f"rubric v{d.a.rubric_version}→v{d.b.rubric_version}")
    if d.a.grader != d.b.grader:
        parts.append(f"{d.a.grader}→{d.b.grader}")
    return ", ".join(parts) or "same rubric and grader"


def folder_json(s: FolderSummary) -> dict[str, Any]:
    return {
        "compared": len(s.pairs),
        "hire_to_no_hire": s.hire_to_no_hire,
        "no_hire_to_hire": s.no_hire_to_hire,
        "mean_score_delta": round(s.mean_score_delta, 4),
        "criteria": [
            {
                "id": m.id,
                "title": m.title,
                "max": m.top,
                "mean_delta": round(m.mean, 4),
                "up": m.up,
                "down": m.down,
                "n": len(m.deltas),
            }
            for m in s.movements()
        ],
        "transcripts": [diff_json(p.diff, p.file_a, p.file_b) for p in s.pairs],
        "skipped": [{"transcript": p, "reason": why} for p, why in s.skipped],
    }


def folder_markdown(s: FolderSummary, top: int = 5) -> str:
    same = len(s.pairs) - s.hire_to_no_hire - s.no_hire_to_hire
    out = [
        f"# Grade changes across {len(s.pairs)} transcript(s)",
        "",
        f"- verdicts: {s.hire_to_no_hire} hire → no_hire, {s.no_hire_to_hire} no_hire → hire, {same} unchanged",
        f"- mean score change: {s.mean_score_delta:+.1f}",
        "",
    ]
    moves = s.movements()[:top]
    if moves:
        out += ["| criterion | mean change | up | down | n |", "|---|---|---|---|---|"]
        out += [f"| {m.title} | {m.mean:+.2f}/{m.top} | {m.up} | {m.down} | {len(m.deltas)} |" for m in moves]
        out.append("")
    if s.pairs:
        out += ["| transcript | A | B | change | what changed |", "|---|---|---|---|---|"]
        for p in s.pairs:
            d = p.diff
            out.append(
                f"| `{p.transcript}` | {d.a.score:.1f} {d.a.verdict} | {d.b.score:.1f} {d.b.verdict} | {d.score_delta:+.1f} "
                f"| {_what_changed(d)} |"
            )
        out.append("")
    if s.skipped:
        out += ["Skipped:", ""] + [f"- `{path}`: {why}" for path, why in s.skipped] + [""]
    return "\n".join(out)
