"""What the screens show, computed without Textual: saved sessions, grade comparisons, exports, templates.

Kept apart from the widgets so it can be tested directly and moved down a layer later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from mockint import config
from mockint.domain.grade import Grade
from mockint.errors import MockintError
from mockint.report.compare import CriterionChange
from mockint.transcripts.store import SUFFIX, read_native, write_atomic

REPORT_SUFFIX = ".report.md"


@dataclass(frozen=True)
class SessionInfo:
    """One saved transcript as the lists show it; `error` is set when the file could not be read."""

    path: Path
    ident: str
    round: str
    rubric: str | None
    started: datetime | None
    turns: int
    answers: int
    finished: bool
    mode: str | None = None
    track: str | None = None
    error: str | None = None
    score: float | None = None  # the latest kept grade's (for the transcript's own rubric when there is one)
    verdict: str | None = None

    @property
    def when(self) -> str:
        if self.started is None:
            return "—"
        return self.started.astimezone().strftime("%Y-%m-%d %H:%M")

    @property
    def when_short(self) -> str:
        """For narrow lists: `Mar 02 09:30`."""
        if self.started is None:
            return "—"
        return self.started.astimezone().strftime("%b %d %H:%M")

    @property
    def status(self) -> str:
        if self.error:
            return "unreadable"
        return "finished" if self.finished else "resumable"

    @property
    def verdict_text(self) -> str:
        return {"hire": "hire", "no_hire": "no hire"}.get(self.verdict or "", "—")

    @property
    def result_text(self) -> str:
        """One short column for narrow lists: the verdict and score, or how far an unfinished round got."""
        if self.error:
            return "unreadable"
        if not self.finished:
            return f"resumable, {self.answers} answer{'s' if self.answers != 1 else ''}"
        if self.verdict:
            return f"{self.verdict_text} {self.score_text}"
        return "finished"

    @property
    def score_text(self) -> str:
        return "—" if self.score is None else f"{self.score:.0f}"

    def matches(self, needle: str) -> bool:
        """Case-insensitive substring filter over what the list shows."""
        needle = needle.strip().lower()
        if not needle:
            return True
        hay = " ".join(
            [self.when, self.round, self.status, self.ident, self.mode or "", self.track or "", self.verdict_text]
        ).lower()
        return all(word in hay for word in needle.split())


def _latest_grade(path: Path, rubric: str | None) -> dict[str, object]:
    """Score and verdict of the newest kept grade (of the transcript's own rubric when it has one)."""
    from mockint.gradestore import latest

    found = latest(path, rubric) or latest(path)
    if found is None:
        return {}
    grade = found[1]
    return {"score": grade.score, "verdict": grade.verdict}


def scan_sessions(folder: Path | None = None) -> list[SessionInfo]:
    """Every native transcript in the store, newest first. Unreadable files are listed, not hidden."""
    root = folder if folder is not None else config.transcripts_dir()
    out: list[SessionInfo] = []
    for path in root.glob(f"*{SUFFIX}"):
        if path.name.startswith("."):
            continue
        try:
            t = read_native(path)
        except (MockintError, OSError) as exc:
            out.append(SessionInfo(path, path.stem, "?", None, None, 0, 0, False, error=str(exc)))
            continue
        out.append(
            SessionInfo(
                path=path,
                ident=t.meta.id,
                round=t.meta.round or "—",
                rubric=t.meta.rubric,
                started=t.meta.started,
                turns=len(t.turns),
                answers=len(t.candidate_turns()),
                finished=t.finished,
                mode=t.meta.mode,
                track=t.meta.track,
                **_latest_grade(path, t.meta.rubric),
            )
        )
    out.sort(key=lambda s: (s.started.timestamp() if s.started else 0.0, s.path.name), reverse=True)
    return out


def report_path(transcript_path: Path | str | None) -> Path:
    """Where a grade's Markdown export goes: next to its transcript (the transcript store by default)."""
    if transcript_path:
        p = Path(transcript_path)
        if p.suffix:
            return p.with_name(p.name[: -len(p.suffix)] + REPORT_SUFFIX)
    return config.transcripts_dir() / f"report{REPORT_SUFFIX}"


def export_markdown(grade: Grade, transcript_path: Path | str | None) -> Path:
    """Write the grade's Markdown report atomically (0600) and return its path."""
    from mockint.report.grade_text import grade_markdown

    target = report_path(transcript_path)
    write_atomic(target, grade_markdown(grade).encode("utf-8"))
    return target


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


RUBRIC_TEMPLATE = """\
# A rubric of your own. Fields: see rubrics/README.md in the mockint repository, or
# `mockint rubric schema` for a JSON Schema your editor can complete against.
id: {ident}
version: 1
title: {title}
round: product_sense
description: What this round is about, in a few sentences.
scale:
  - {{score: 1, label: Missing}}
  - {{score: 2, label: Weak}}
  - {{score: 3, label: Solid}}
  - {{score: 4, label: Strong}}
criteria:
  - id: user_problem
    title: A specific user and problem
    description: Names who has the problem and the situation they are in before proposing anything.
    weight: 2
    must_pass: true
    anchors:
      1: No user, or "all users".
      2: A broad segment with no situation.
      3: A specific segment in a situation, but no evidence the problem matters.
      4: A specific segment in a situation, with why the problem matters to them now.
    signals:
      - id: specific_user
        description: A person or segment placed in a situation.
        detector: user
    probes:
      - Who exactly has this problem, and when does it hit them?
    examples:
      good:
        - First-time home buyers who save renovation ideas but stall before starting a project.
      bad:
        - All users want a better experience.
    source: Your own notes on what the committee rewards.
  - id: success_metrics
    title: Success metrics
    description: Says how we would know it worked, with a number and a time frame.
    weight: 1
    anchors:
      1: No metric.
      2: A metric with no target or time frame.
      3: A metric with a direction and a time frame.
      4: A metric with a target and a time frame, and a guardrail.
    signals:
      - id: bound_metric
        description: A metric bound to a number or direction and a time frame.
        detector: metric
    probes:
      - How would you know in six weeks that this worked?
    examples:
      good:
        - Weekly saves per user up 8% within six weeks, while hide rate stays under 2%.
      bad:
        - Our north star is engagement.
    source: Your own notes on what the committee rewards.
verdict:
  hire_min_score: 70
"""


def new_rubric(ident: str, folder: Path | None = None) -> Path:
    """Create `<ident>.yaml` from the template in the user rubrics folder; never overwrites."""
    import re

    if not re.fullmatch(r"[a-z][a-z0-9_]*", ident):
        raise MockintError(f"rubric id {ident!r} must be lowercase snake_case (a-z, 0-9, _), starting with a letter")
    root = folder if folder is not None else config.user_rubrics_dir()
    target = root / f"{ident}.yaml"
    if target.exists():
        raise MockintError("a rubric with this id already exists", path=str(target))
    title = ident.replace("_", " ").capitalize()
    write_atomic(target, RUBRIC_TEMPLATE.format(ident=ident, title=title).encode("utf-8"))
    return target


@dataclass(frozen=True)
class PracticeRequest:
    """What the home screen (or `mockint practice`) asks the interview screen to run."""

    round_id: str
    track: str | None = None
    company: str | None = "pinterest"
    mode: str = "realistic"
    seed: int | None = None
    out: Path | None = None
    resume: Path | None = None
    backend: str = "offline"
    minutes: int | None = None  # a loop's own length for this round

    def session_args(self) -> dict[str, object]:
        """What RoundSession.start/create take from a request, in one place for every backend."""
        return {
            "track": self.track,
            "company": self.company,
            "mode": self.mode,
            "seed": self.seed,
            "out": self.out,
            "minutes": self.minutes,
        }


def coach_hint(session: object) -> str:
    """Coach mode on demand: the next plain-words note on what the answers still lack, never one already
    given; saved beside the interviewer's last turn like every coach note."""
    return session.next_hint()  # type: ignore[attr-defined]
