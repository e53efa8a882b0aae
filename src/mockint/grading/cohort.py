"""A cohort of transcripts to (re)grade: what is left to do, what happened, and the summary of it.
Shared by `regrade` and its Batch API path."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from mockint import gradestore
from mockint.domain.grade import Grade
from mockint.rubrics import LoadedRubric
from mockint.settings import Settings


@dataclass
class Job:
    path: str
    key: gradestore.GradeKey | None = None


@dataclass
class Outcome:
    graded: list[Grade] = field(default_factory=list)
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    interrupted: bool = False


def grader_name(grader: str, settings: Settings) -> str:
    return "offline" if grader == "offline" else f"llm:{settings.grader_model}"


def plan(paths: list[str], loaded: LoadedRubric, name: str, samples: int, force: bool, outcome: Outcome) -> list[Job]:
    """What is left to do; unreadable files are reported and skipped here."""
    jobs = []
    for path in paths:
        try:
            digest = gradestore.transcript_sha256(path)
        except OSError as exc:
            outcome.failed.append((path, f"cannot read: {exc.strerror or exc}"))
            continue
        key = gradestore.GradeKey(digest, loaded.sha256, name, samples)
        if not force and gradestore.find_same(path, key) is not None:
            outcome.skipped += 1
            continue
        jobs.append(Job(path, key))
    return jobs


def summary(outcome: Outcome, total: int, seconds: float) -> str:
    graded = outcome.graded
    lines = [
        f"{'interrupted' if outcome.interrupted else 'done'}: {len(graded)} graded, {outcome.skipped} already "
        f"graded (skipped), {len(outcome.failed)} failed, of {total} transcript(s) in {seconds:.1f} s"
    ]
    if graded:
        hires = sum(g.verdict == "hire" for g in graded)
        scores = [g.score for g in graded]
        lines.append(
            f"  verdicts: {hires} hire, {len(graded) - hires} no_hire; score mean {statistics.fmean(scores):.1f}, "
            f"min {min(scores):.0f}, max {max(scores):.0f}"
        )
        tokens_in = sum(g.prompt_tokens or 0 for g in graded)
        if tokens_in:
            tokens_out = sum(g.completion_tokens or 0 for g in graded)
            costs = [g.cost_usd for g in graded if g.cost_usd is not None]
            cost = f", ${sum(costs):.4f}" if costs else ""
            lines.append(f"  tokens: {tokens_in:,} prompt, {tokens_out:,} completion{cost}")
        by_criterion: dict[str, list[float]] = {}
        for g in graded:
            for c in g.criteria:
                if c.score is not None:
                    by_criterion.setdefault(c.id, []).append(c.score)
        width = max(len(k) for k in by_criterion) if by_criterion else 10
        lines.append(f"  {'criterion':<{width}}  mean")
        for cid, values in by_criterion.items():
            lines.append(f"  {cid:<{width}}  {statistics.fmean(values):.2f}")
    for path, why in outcome.failed:
        lines.append(f"  failed: {why}" if why.startswith(path) else f"  failed: {path}: {why}")
    if outcome.interrupted:
        lines.append("  every finished grade is kept; run the same command again to grade the rest")
    return "\n".join(lines) + "\n"
