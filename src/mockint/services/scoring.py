"""Human scores: a person (a peer, a coach, the candidate) scores each criterion against its anchors, and the result
is kept as a grade like any other (`grader` = `human:NAME`), so `diff`, `report`, `history` and `calibrate` use it.

A human grade is never folded into an identical earlier one: scoring the same transcript twice keeps two grades.
Self-assessment is a human grade by the candidate: NAME `me` or `self`, or the name the transcript records for the
candidate (case-insensitive)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from mockint import __version__, gradestore
from mockint.domain.grade import CriterionGrade, Evidence, Grade
from mockint.domain.rubric import Rubric
from mockint.domain.transcript import Transcript
from mockint.errors import MockintError
from mockint.grading.delivery import delivery_of
from mockint.grading.scoring import practise_next, verdict, weighted_score
from mockint.report.history_view import GradedSession
from mockint.rubrics import LoadedRubric
from mockint.transcripts.loading import load_any

HUMAN = "human:"
SELF_NAMES = frozenset({"me", "self"})
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._@-]{0,39}$")
QUOTE_CHARS = 400  # a cited turn is quoted whole up to here, then cut at a word (still verbatim)


def is_human(grade: Grade) -> bool:
    return grade.grader.startswith(HUMAN)


def scorer(grade: Grade) -> str | None:
    """NAME of a `human:NAME` grade, None for a machine grade."""
    return grade.grader[len(HUMAN) :] if is_human(grade) else None


def is_self(grade: Grade, candidate_name: str | None = None) -> bool:
    """A self-assessment: scored by `me`/`self`, or by the candidate the transcript names."""
    name = scorer(grade)
    if name is None:
        return False
    folded = name.strip().casefold()
    return folded in SELF_NAMES or (candidate_name is not None and folded == candidate_name.strip().casefold())


def check_name(name: str) -> str:
    """Who scored: 1-40 letters, digits, spaces and . _ @ -, so it reads in a grade file name and a table."""
    name = name.strip()
    if not NAME_PATTERN.match(name):
        raise MockintError(f"--as {name[:40]!r}: a name is 1-40 letters, digits, spaces or . _ @ - (e.g. --as me)")
    return name


def parse_scores(text: str, rubric: Rubric) -> dict[str, int]:
    """`ID=N,ID=N,...` -> levels; every criterion once, each on the rubric's scale."""
    levels = [lvl.score for lvl in rubric.scale]
    ids = [c.id for c in rubric.criteria]
    out: dict[str, int] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        cid, sep, value = (x.strip() for x in part.partition("="))
        if not sep or not cid or not value:
            raise MockintError(f"--scores: {part!r} is not ID=LEVEL (e.g. {ids[0]}={levels[-1]})")
        if cid not in ids:
            close = difflib.get_close_matches(cid, ids, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f"; criteria: {', '.join(ids)}"
            raise MockintError(f"--scores: rubric {rubric.id} has no criterion {cid!r}{hint}")
        if cid in out:
            raise MockintError(f"--scores: {cid} is given twice")
        out[cid] = check_level(value, rubric, cid)
    missing = [cid for cid in ids if cid not in out]
    if missing:
        raise MockintError(f"--scores: no level for {', '.join(missing)} (every criterion needs one)")
    return out


def check_level(value: str, rubric: Rubric, criterion: str) -> int:
    levels = [lvl.score for lvl in rubric.scale]
    try:
        level = int(value.strip())
    except ValueError:
        level = None
    if level not in levels:
        shown = ", ".join(map(str, levels))
        raise MockintError(f"{criterion}={value.strip()}: not a level of the scale ({shown})")
    return level


def quote_turn(transcript: Transcript, turn: int) -> Evidence:
    """A cited turn as evidence, quoted verbatim (a long turn up to QUOTE_CHARS, cut at a word)."""
    found = transcript.turn(turn)
    if found is None or found.speaker != "candidate":
        answers = ", ".join(str(t.index) for t in transcript.candidate_turns())
        raise MockintError(f"turn {turn} is not one of the candidate's turns ({answers})")
    text = found.text.strip()
    if len(text) > QUOTE_CHARS:
        cut = text[:QUOTE_CHARS]
        text = cut[: cut.rfind(" ")].rstrip() if " " in cut else cut
    return Evidence(turn=turn, quote=text)


def rationale(rubric: Rubric, criterion: str, level: int, name: str) -> str:
    anchor = rubric.criterion(criterion).anchors.get(level, "")
    return f"{name} scored it {level}/{rubric.max_score} ({rubric.label(level)}): {anchor}".strip()


@dataclass(frozen=True)
class HumanScores:
    """What a person gave: a level per criterion, optional cited turns per criterion, an optional note."""

    name: str
    levels: dict[str, int]
    evidence: dict[str, list[int]]
    note: str | None = None


def human_grade(path: str | Path, transcript: Transcript, loaded: LoadedRubric, scores: HumanScores) -> Grade:
    """The grade a person's levels make, by the rubric's weights and verdict rules (as any grader's)."""
    rubric = loaded.rubric
    name = check_name(scores.name)
    criteria = []
    for crit in rubric.criteria:
        if crit.id not in scores.levels:
            raise MockintError(f"no level for {crit.id}")
        level = scores.levels[crit.id]
        cited = [quote_turn(transcript, t) for t in dict.fromkeys(scores.evidence.get(crit.id, []))]
        criteria.append(
            CriterionGrade(
                id=crit.id,
                title=crit.title,
                score=level,
                max=rubric.max_score,
                weight=crit.weight,
                must_pass=crit.must_pass,
                evidence=cited,
                rationale=rationale(rubric, crit.id, level, name),
            )
        )
    score = weighted_score(rubric, criteria)
    said, reasons = verdict(rubric, criteria, score)
    try:
        digest: str | None = gradestore.transcript_sha256(path)
    except OSError:
        digest = None
    return Grade(
        transcript=str(path),
        transcript_id=transcript.meta.id,
        rubric=rubric.id,
        rubric_version=rubric.version,
        rubric_sha256=loaded.sha256,
        grader=f"{HUMAN}{name}",
        score=score,
        verdict=said,
        criteria=criteria,
        verdict_reasons=reasons,
        practise_next=practise_next(rubric, criteria),
        delivery=delivery_of(transcript),
        note=scores.note.strip() if scores.note and scores.note.strip() else None,
        graded_at=datetime.now(UTC),
        transcript_sha256=digest,
        app_version=__version__,
    )


def keep_human_grade(path: str | Path, transcript: Transcript, loaded: LoadedRubric, scores: HumanScores) -> tuple[Grade, Path]:
    """Make the grade and keep it beside the transcript under a new name (never replacing or skipping one)."""
    grade = human_grade(path, transcript, loaded, scores)
    return grade, gradestore.save(grade, path)


def human_grades(path: str | Path, rubric: str | None = None, name: str | None = None) -> list[tuple[Path, Grade]]:
    """The kept human grades of a transcript (of `rubric`, by `name` when given), oldest first."""
    wanted = name.strip().casefold() if name else None
    return [
        (p, g)
        for p, g in gradestore.grades_for(path)
        if is_human(g)
        and (rubric is None or g.rubric == rubric)
        and (wanted is None or (scorer(g) or "").strip().casefold() == wanted)
    ]


def self_assessment_pairs(sessions: list[GradedSession]) -> list[tuple[Grade, Grade]]:
    """(your newest self-assessment, the session's grader grade) for each session you scored yourself with the same
    rubric, for `history`'s self-assessment lines."""
    out: list[tuple[Grade, Grade]] = []
    for s in sessions:
        if is_human(s.grade):
            continue
        humans = [g for _, g in human_grades(s.path, s.grade.rubric)]
        candidate = None
        if any(not is_self(g) for g in humans):  # another name may be the candidate's own
            try:
                candidate = load_any(s.path, require_candidate=False).meta.candidate_name
            except MockintError:
                candidate = None
        mine = [g for g in humans if is_self(g, candidate)]
        if mine:
            out.append((mine[-1], s.grade))
    return out
