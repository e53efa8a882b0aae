"""`mockint drill [--criterion ID] [--round ROUND] [--plain]`: a short round aimed at one criterion (by default the
weakest in your history), graded on it alone and kept like any session. `--plain` runs it on stdin/stdout as
`practice --plain` does; without it the app opens on the drill."""

from __future__ import annotations

import argparse
import asyncio
import sys

from mockint import config
from mockint.commands.practice import PlainRound, read_answers
from mockint.report.grade_text import grade_table
from mockint.services.drills import DrillTarget, choose_target
from mockint.services.grading import grade_or_fall_back
from mockint.services.history import load_sessions
from mockint.services.rounds import PracticeRequest, choose_backend, grader_after, open_round
from mockint.settings import Settings, current


def target_for(args: argparse.Namespace) -> DrillTarget:
    return choose_target(getattr(args, "criterion", None), getattr(args, "round", None), load_sessions(config.transcripts_dir()))


def request_for(target: DrillTarget, args: argparse.Namespace, settings: Settings) -> PracticeRequest:
    return PracticeRequest(
        round_id=target.round_id,
        company=getattr(args, "company", None) or "pinterest",
        seed=getattr(args, "seed", None),
        backend=choose_backend(None, settings),
        drill=target.criterion,
    )


def run(args: argparse.Namespace) -> int:
    settings = current()
    target = target_for(args)
    request = request_for(target, args, settings)
    sys.stderr.write(f"mockint: {target.reason}\n")
    if not args.plain:
        from mockint.tui.app import MockintApp

        return int(MockintApp(practice=request, seed=request.seed).run() or 0)
    out = sys.stdout
    opened = open_round(request, settings)
    session = opened.session
    spec = session.interviewer.spec
    out.write(f"{spec.title} · {spec.max_questions} questions · {spec.persona.name}\n")
    if sys.stdin.isatty():
        out.write("Answer, then press Enter on an empty line. Type /end on its own line to finish.\n")
    out.flush()
    plain = PlainRound(session, out, read_answers(sys.stdin))
    try:
        asyncio.run(plain.run(opened.pending, fresh=opened.fresh))
    except KeyboardInterrupt:
        plain.keep_interrupted()
        session.close()
        sys.stderr.write(
            f"\nmockint: drill saved to {session.path}; resume with "
            f"'mockint practice --round {target.round_id} --plain --resume {session.path}'\n"
        )
        return 130
    if not session.transcript.candidate_turns():
        session.path.unlink(missing_ok=True)
        out.write("No answers were given, so the drill was not kept and there is nothing to grade.\n")
        return 0
    out.write(f"Transcript saved: {session.path}\n\n")
    graded = grade_or_fall_back(str(session.path), session.rubric, grader=grader_after(session, settings), settings=settings)
    for line in graded.notes:
        sys.stderr.write(f"mockint: note: {line}\n")
    out.write(grade_table([graded.grade]))
    if graded.grade.practise_next:
        out.write("\nPractise next:\n" + "".join(f"  {i}. {p}\n" for i, p in enumerate(graded.grade.practise_next, 1)))
    return 0
