"""`mockint score TRANSCRIPT --as NAME [--scores ID=N,...] [--note TEXT]`: a person's levels per criterion, kept as
a grade (`grader` = `human:NAME`). Without `--scores` it asks criterion by criterion on the terminal, showing the
anchors (on stderr, so stdout holds only the result); a cited turn is quoted verbatim as evidence. Ctrl-C or end
of input stops and keeps nothing."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from mockint.domain.rubric import Criterion, Rubric
from mockint.domain.transcript import Transcript
from mockint.errors import MockintError
from mockint.report.grade_text import grade_table
from mockint.services.drills import rubric_to_score
from mockint.services.scoring import HumanScores, check_level, check_name, keep_human_grade, parse_scores, quote_turn
from mockint.transcripts.loading import load_any


class Aborted(Exception):
    """End of input before every criterion had a level."""


def _ask(prompt: str, stdin: TextIO, out: TextIO) -> str:
    out.write(prompt)
    out.flush()
    line = stdin.readline()
    if not line:
        raise Aborted
    return line.strip()


def _criterion_block(rubric: Rubric, crit: Criterion, i: int) -> str:
    must = ", must pass" if crit.must_pass else ""
    lines = [f"\n[{i}/{len(rubric.criteria)}] {crit.title} (weight {crit.weight:g}{must})", f"  {crit.description.strip()}"]
    for level in rubric.scale:
        lines.append(f"  {level.score}  {level.label}: {crit.anchors[level.score].strip()}")
    return "\n".join(lines) + "\n"


def ask_scores(rubric: Rubric, transcript: Transcript, stdin: TextIO, out: TextIO) -> tuple[dict[str, int], dict[str, list[int]]]:
    """Each criterion's level (asked again until it is on the scale) and the turns cited as its evidence."""
    levels = "/".join(str(lvl.score) for lvl in rubric.scale)
    turns = ", ".join(str(t.index) for t in transcript.candidate_turns())
    out.write(f"Candidate turns: {turns} ('mockint transcript show FILE' prints them with their numbers).\n")
    chosen: dict[str, int] = {}
    cited: dict[str, list[int]] = {}
    for i, crit in enumerate(rubric.criteria, 1):
        out.write(_criterion_block(rubric, crit, i))
        while True:
            try:
                chosen[crit.id] = check_level(_ask(f"level ({levels}): ", stdin, out), rubric, crit.id)
                break
            except MockintError as exc:
                sys.stderr.write(f"mockint: {exc}\n")
        while True:
            raw = _ask("evidence: turn numbers to quote, e.g. 2 4 (Enter for none): ", stdin, out)
            try:
                numbers = [int(x) for x in raw.replace(",", " ").split()]
                for n in numbers:
                    quote_turn(transcript, n)
            except ValueError:
                sys.stderr.write(f"mockint: {raw!r}: give turn numbers separated by spaces\n")
                continue
            except MockintError as exc:
                sys.stderr.write(f"mockint: {exc}\n")
                continue
            cited[crit.id] = numbers
            break
    return chosen, cited


def run(args: argparse.Namespace) -> int:
    name = check_name(args.as_name)
    path = str(args.transcript)
    transcript = load_any(path)
    loaded = rubric_to_score(path, args.rubric, transcript)
    rubric = loaded.rubric
    if args.scores is not None:
        levels, cited = parse_scores(args.scores, rubric), dict[str, list[int]]()
    else:
        out = sys.stderr  # the dialogue; stdout keeps only the result (`--format json` stays parseable)
        out.write(
            f"Scoring {path} against {rubric.title} ({rubric.id} v{rubric.version}) as {name}.\n"
            "Ctrl-C or end of input stops without keeping anything.\n"
        )
        try:
            levels, cited = ask_scores(rubric, transcript, sys.stdin, out)
        except Aborted:
            raise MockintError("input ended before every criterion had a level; nothing was kept", path=path) from None
        except KeyboardInterrupt:
            sys.stderr.write("\nmockint: scoring stopped; nothing was kept\n")
            return 130
    grade, kept = keep_human_grade(path, transcript, loaded, HumanScores(name, levels, cited, args.note))
    if args.format == "json":
        sys.stdout.write(json.dumps(grade.model_dump(mode="json"), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(grade_table([grade]))
    sys.stderr.write(f"mockint: kept {kept}\n")
    return 0
