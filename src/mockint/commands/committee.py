"""`mockint committee`: the hiring committee's binary recommendation across the rounds of a loop.

Each transcript goes to the loop round that practises its round (`meta.round`; for imported transcripts with
no round, the rubric of their kept grades), or where `--map ROUND=PATH` puts it. The latest kept grade for the
round's rubric is used (graded offline and kept if there is none); then the loop's rules decide. With no paths,
your saved sessions are used, the newest per round.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mockint import config, gradestore, rounds, rubrics
from mockint.domain.grade import Grade
from mockint.domain.round import LoopRound, LoopSpec
from mockint.errors import MockintError
from mockint.grading.committee import Decision, decide
from mockint.grading.run import expand_paths, grade_file, keep
from mockint.transcripts import load_any


@dataclass
class RoundRow:
    """A loop round as the committee sees it: which transcript stands for it and its grade, if any."""

    loop_round: LoopRound
    rubric: str | None = None
    path: str | None = None
    grade: Grade | None = None
    error: str | None = None


def _note(text: str) -> None:
    sys.stderr.write(f"mockint: note: {text}\n")


def round_rubric(loop_round: LoopRound) -> str | None:
    return rounds.load_round(loop_round.round).rubric if loop_round.round else None


def parse_maps(items: list[str], loop: LoopSpec) -> dict[str, str]:
    """`ROUND=PATH` pairs; ROUND is a loop round id, or a practice round id that one loop round uses."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, path = item.partition("=")
        if not sep or not name or not path:
            raise MockintError(f"--map {item!r}: expected ROUND=PATH")
        match = [r for r in loop.rounds if r.id == name] or [r for r in loop.rounds if r.round == name]
        if len(match) != 1:
            known = ", ".join(r.id for r in loop.rounds if r.round)
            raise MockintError(f"--map {item!r}: no round {name!r} in loop {loop.id} (rounds: {known})")
        if match[0].round is None:
            raise MockintError(f"--map {item!r}: {match[0].title} is not a round mockint can practise")
        if not Path(path).is_file():
            raise MockintError("no such file", path=path)
        out[match[0].id] = path
    return out


def _when(path: str, started: datetime | None) -> datetime:
    """When a round happened: its recorded start, else the file's modification time."""
    if started is None:
        return datetime.fromtimestamp(Path(path).stat().st_mtime, UTC)
    return started if started.tzinfo else started.replace(tzinfo=UTC)


def assign(paths: list[str], loop: LoopSpec, failed: list[str], *, quiet: bool = False) -> dict[str, list[tuple[datetime, str]]]:
    """Loop round id -> (when, path) of the transcripts that practise it. Unreadable files go to `failed`; files
    no round fits are named in a note (unless `quiet`: the whole store was scanned, not files the user named)."""
    found: dict[str, list[tuple[datetime, str]]] = {}
    for path in paths:
        try:
            meta = load_any(path, require_candidate=False).meta
        except MockintError as exc:
            sys.stderr.write(f"mockint: error: {exc}\n")
            failed.append(path)
            continue
        if meta.round:
            fits = [r for r in loop.rounds if r.round == meta.round]
        else:
            graded = {g.rubric for _, g in gradestore.grades_for(path)}
            fits = [r for r in loop.rounds if r.round and round_rubric(r) in graded]
        if not fits:
            if quiet:
                continue
            why = f"its round {meta.round} is not part of {loop.id}" if meta.round else "it records no round"
            _note(f"{path}: not used ({why}); --map ROUND={path} assigns it")
            continue
        for r in fits:
            found.setdefault(r.id, []).append((_when(path, meta.started), path))
    return found


def collect(loop: LoopSpec, paths: list[str], maps: dict[str, str], failed: list[str]) -> list[RoundRow]:
    """One row per loop round, with the newest assigned transcript and its grade for the round's rubric."""
    if paths:
        candidates = expand_paths(paths)
    elif maps:
        candidates = []
    else:
        try:
            candidates = expand_paths([str(config.transcripts_dir())])
        except MockintError:
            candidates = []
    by_round = assign([p for p in candidates if p not in maps.values()], loop, failed, quiet=not paths)
    rows = []
    for lr in loop.rounds:
        row = RoundRow(lr, round_rubric(lr))
        options = by_round.get(lr.id, [])
        if lr.id in maps:
            row.path = maps[lr.id]
        elif options:
            row.path = max(options)[1]
            if len(options) > 1 and paths:
                _note(f"{lr.title}: {len(options)} transcripts; using the newest, {row.path}")
        if row.path and row.rubric:
            try:
                row.grade = grade_of(row.path, row.rubric)
            except MockintError as exc:
                sys.stderr.write(f"mockint: error: {exc}\n")
                row.error = exc.detail
                failed.append(row.path)
        rows.append(row)
    return rows


def grade_of(path: str, rubric: str) -> Grade:
    """The latest kept grade of `rubric`, or an offline one, kept so the next run finds it."""
    found = gradestore.latest(path, rubric)
    if found is not None:
        return found[1]
    grade = grade_file(path, rubrics.resolve(rubric), grader="offline")
    try:
        if keep(grade, path) is not None:
            _note(f"{path}: no kept {rubric} grade; graded offline and kept it")
    except OSError as exc:
        _note(f"{path}: grade not kept ({exc.strerror or exc})")
    return grade


def render_table(loop: LoopSpec, decision: Decision, rows: list[RoundRow]) -> str:
    verdict = "HIRE" if decision.recommendation == "hire" else "NO HIRE"
    out = [f"{loop.title}: {verdict}", ""]
    if decision.reasons:
        out += ["why not:"] + [f"  - {r}" for r in decision.reasons] + [""]
    else:
        out += ["every committee rule is met", ""]
    tw = max(len(r.loop_round.title) for r in rows)
    out.append(f"{'round':<{tw}}  {'min':>3}  {'verdict':<8} {'score':>5}  transcript")
    for r in rows:
        lr = r.loop_round
        if lr.round is None:
            status = f"{'':<8} {'':>5}  not practised in mockint"
        elif r.grade is not None:
            status = f"{r.grade.verdict:<8} {r.grade.score:5.1f}  {r.path}"
        elif r.error:
            status = f"{'error':<8} {'':>5}  {r.path}: {r.error}"
        else:
            status = f"{'—':<8} {'':>5}  not practised (practice --round {lr.round})"
        out.append(f"{lr.title:<{tw}}  {lr.minutes:>3}  {status}")
    return "\n".join(out) + "\n"


def to_json(loop: LoopSpec, decision: Decision, rows: list[RoundRow]) -> dict[str, Any]:
    return {
        "loop": loop.id,
        "recommendation": decision.recommendation,
        "reasons": decision.reasons,
        "missing_rounds": decision.missing_rounds,
        "rounds": [
            {
                "id": r.loop_round.id,
                "title": r.loop_round.title,
                "minutes": r.loop_round.minutes,
                "practice_round": r.loop_round.round,
                "rubric": r.rubric,
                "transcript": r.path,
                "verdict": r.grade.verdict if r.grade else None,
                "score": r.grade.score if r.grade else None,
                "error": r.error,
            }
            for r in rows
        ],
    }


def run(args: argparse.Namespace) -> int:
    loop = rounds.load_loop(getattr(args, "loop", None) or "pinterest_ai_pm")
    maps = parse_maps(list(getattr(args, "map", None) or []), loop)
    paths = list(getattr(args, "paths", None) or [])
    for p in paths:
        if not Path(p).exists():
            raise MockintError("no such file or folder", path=p)
    failed: list[str] = []
    rows = collect(loop, paths, maps, failed)
    decision = decide(loop, {r.loop_round.id: r.grade for r in rows if r.grade is not None})
    if (getattr(args, "format", None) or "table") == "json":
        sys.stdout.write(json.dumps(to_json(loop, decision, rows), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_table(loop, decision, rows))
    if failed:
        sys.stderr.write(f"mockint: {len(failed)} transcript(s) could not be used: {', '.join(failed)}\n")
        return 1
    return 0
