"""`mockint committee`: the hiring committee's binary recommendation across the rounds of a loop.

With transcripts named (or placed with `--map ROUND=PATH`), each goes to the loop round that practises its round;
with none, the latest loop run's own rounds are used (as the app's Loop screen shows them), or, without a loop
run, the saved sessions (the newest per round). Each round's grade is the one that belongs to its transcript
(graded offline and kept if there is none); then the loop's rules decide (`services.loops`)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from mockint.services.loops import Committee, committee


def render_table(view: Committee) -> str:
    loop, decision, rows = view.loop, view.decision, view.states
    verdict = "HIRE" if decision.recommendation == "hire" else "NO HIRE"
    out = [f"{loop.title}: {verdict}", ""]
    if decision.reasons:
        out += ["why not:"] + [f"  - {r}" for r in decision.reasons] + [""]
    else:
        out += ["every committee rule is met", ""]
    tw = max(len(r.round.title) for r in rows)
    out.append(f"{'round':<{tw}}  {'min':>3}  {'verdict':<8} {'score':>5}  transcript")
    for r in rows:
        lr = r.round
        if lr.round is None:
            status = f"{'':<8} {'':>5}  not practised in mockint"
        elif r.grade is not None:
            status = f"{r.grade.verdict:<8} {r.grade.score:5.1f}  {r.path}"
        elif r.error:
            status = f"{'error':<8} {'':>5}  {r.path}: {r.error}"
        elif r.path is not None and not r.finished:
            status = f"{'—':<8} {'':>5}  in progress: {r.path}"
        else:
            status = f"{'—':<8} {'':>5}  not practised (practice --round {lr.round})"
        out.append(f"{lr.title:<{tw}}  {lr.minutes:>3}  {status}")
    return "\n".join(out) + "\n"


def to_json(view: Committee) -> dict[str, Any]:
    decision = view.decision
    return {
        "loop": view.loop.id,
        "recommendation": decision.recommendation,
        "reasons": decision.reasons,
        "missing_rounds": decision.missing_rounds,
        "source": view.source,
        "rounds": [
            {
                "id": r.round.id,
                "title": r.round.title,
                "minutes": r.round.minutes,
                "practice_round": r.round.round,
                "rubric": r.rubric,
                "transcript": str(r.path) if r.path is not None else None,
                "status": r.status,
                "verdict": r.grade.verdict if r.grade else None,
                "score": r.grade.score if r.grade else None,
                "error": r.error,
            }
            for r in view.states
        ],
    }


def run(args: argparse.Namespace) -> int:
    view = committee(
        getattr(args, "loop", None) or "pinterest_ai_pm",
        list(getattr(args, "paths", None) or []),
        list(getattr(args, "map", None) or []),
    )
    for line in view.errors:
        sys.stderr.write(f"mockint: error: {line}\n")
    for line in view.notes:
        sys.stderr.write(f"mockint: note: {line}\n")
    if view.source.startswith("loop run"):
        sys.stderr.write(f"mockint: note: using your {view.source} (name transcripts or --map to choose others)\n")
    if (getattr(args, "format", None) or "table") == "json":
        sys.stdout.write(json.dumps(to_json(view), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_table(view))
    if view.failed:
        sys.stderr.write(f"mockint: {len(view.failed)} transcript(s) could not be used: {', '.join(view.failed)}\n")
        return 1
    return 0
