"""`mockint rubric test [ID...]`: each rubric's own good examples must outscore its bad ones."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

from mockint import rubrics
from mockint.domain.rubric import Rubric
from mockint.domain.transcript import Transcript, TranscriptMeta, Turn
from mockint.errors import MockintError
from mockint.grading.offline import analyse, grade_criteria


@dataclass
class ExampleResult:
    criterion: str
    good: list[int]
    bad: list[int]

    @property
    def ok(self) -> bool:
        return min(self.good) > max(self.bad)


def _score(rubric: Rubric, criterion_id: str, text: str) -> int:
    transcript = Transcript(
        meta=TranscriptMeta(id="example"),
        turns=[Turn(index=1, speaker="interviewer", text="(example)"), Turn(index=2, speaker="candidate", text=text)],
    )
    graded = {g.id: g for g in grade_criteria(rubric, analyse(transcript))}
    return int(graded[criterion_id].score or 0)


def test_rubric(rubric: Rubric) -> list[ExampleResult]:
    """Grade every example alone; a criterion passes when every good example beats every bad one."""
    return [
        ExampleResult(c.id, [_score(rubric, c.id, t) for t in c.examples.good], [_score(rubric, c.id, t) for t in c.examples.bad])
        for c in rubric.criteria
    ]


def run(args: argparse.Namespace) -> int:
    refs = args.ids or [p.stem for p in rubrics.all_paths()]
    if not refs:
        raise MockintError("no rubrics found")
    failed = 0
    for ref in refs:
        loaded = rubrics.resolve(ref)
        results = test_rubric(loaded.rubric)
        bad = [r for r in results if not r.ok]
        status = "ok" if not bad else "FAIL"
        print(
            f"{status:<4}  {loaded.rubric.id}: {len(results) - len(bad)}/{len(results)} criteria rank their good "
            "examples above their bad ones"
        )
        for r in results:
            mark = "  " if r.ok else "✗ "
            print(f"      {mark}{r.criterion}: good {r.good} vs bad {r.bad}")
        failed += bool(bad)
    if failed:
        sys.stderr.write(f"mockint: {failed} rubric(s) have a bad example scoring as high as a good one\n")
        return 1
    return 0
