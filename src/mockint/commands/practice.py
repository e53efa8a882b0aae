"""`mockint practice --plain`: a whole round on stdin/stdout (works from a pipe).

An answer ends at an empty line; `/end` on its own line ends the round; end of input ends it too.
Every turn is saved as it happens; on Ctrl-C the round stays resumable with `--resume FILE`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from mockint.errors import MockintError
from mockint.grading.run import grade_transcript, llm_configured
from mockint.interview.scripted import Reply
from mockint.interview.session import RoundSession
from mockint.report.grade_text import grade_table

END = "/end"


def _backend(requested: str | None) -> str:
    if requested == "openai":
        raise MockintError("the LLM interviewer is not available yet in this version (use --backend offline)")
    if requested is None and llm_configured():
        sys.stderr.write("mockint: note: the LLM interviewer is not available yet; using the offline interviewer\n")
    return "offline"


def read_answers(stream: TextIO) -> Iterator[str | None]:
    """Yield each answer (lines up to an empty line); None means the candidate ended the round."""
    lines: list[str] = []
    for raw in stream:
        line = raw.rstrip("\n")
        if line.strip() == END:
            if lines:
                yield "\n".join(lines)
            yield None
            return
        if not line.strip():
            if lines:
                yield "\n".join(lines)
                lines = []
            continue
        lines.append(line)
    if lines:
        yield "\n".join(lines)
    yield None


def _show(reply: Reply, out: TextIO, name: str) -> None:
    if reply.hint:
        out.write(f"\n{reply.hint}\n")
    out.write(f"\n{name}: {reply.text}\n\n")
    out.flush()


def run(args: argparse.Namespace) -> int:
    _backend(args.backend)
    if not args.plain:
        from mockint.cli import _dispatch

        return _dispatch("mockint.tui.launch", "run_practice", "the Textual app (use --plain)", "issue 6")(args)
    out = sys.stdout
    if args.resume:
        session, first = RoundSession.resume(Path(args.resume), seed=args.seed)
    else:
        company = None if args.company == "generic" else args.company
        target = Path(args.out) if args.out else None
        session, first = RoundSession.start(
            args.round, track=args.track, company=company, mode=args.mode, seed=args.seed, out=target
        )
    name = session.interviewer.spec.persona.name
    spec = session.interviewer.spec
    out.write(f"{spec.title} · {spec.duration_minutes} min · {name}, {spec.persona.role}\n")
    if sys.stdin.isatty():
        out.write("Answer, then press Enter on an empty line. Type /end on its own line to finish.\n")
    _show(first, out, name)
    try:
        answers = read_answers(sys.stdin)
        started = datetime.now(UTC)
        for answer in answers:
            if answer is None:
                break
            reply = session.answer(answer, started=started)
            _show(reply, out, name)
            started = datetime.now(UTC)
            if reply.done:
                break
        transcript, closing = session.end()
        if closing is not None:
            _show(closing, out, name)
    except KeyboardInterrupt:
        session.close()
        sys.stderr.write(
            f"\nmockint: round saved to {session.path}; resume with "
            f"'mockint practice --round {args.round} --plain --resume {session.path}'\n"
        )
        return 130
    out.write(f"Transcript saved: {session.path}\n\n")
    if not transcript.candidate_turns():
        out.write("No answers were given, so there is nothing to grade.\n")
        return 0
    grade = grade_transcript(transcript, session.rubric, source=str(session.path))
    out.write(grade_table([grade]))
    if grade.practise_next:
        out.write("\nPractise next:\n" + "".join(f"  {i}. {p}\n" for i, p in enumerate(grade.practise_next, 1)))
    return 0
