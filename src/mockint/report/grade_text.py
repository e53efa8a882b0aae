"""Grades for people: a Markdown report (verdict, evidence, what was missing, what to practise) and a table."""

from __future__ import annotations

import html

from mockint.domain.grade import Grade
from mockint.report.scores import WIDTH, verdict_and_score


def _bar(score: float | None, top: int, width: int = 8) -> str:
    if score is None:
        return "·" * width
    filled = round(width * score / top) if top else 0
    return "█" * filled + "░" * (width - filled)


def _safe(text: str) -> str:
    """Escape HTML so Markdown shows it as text."""
    return html.escape(text, quote=False)


def grade_markdown(grade: Grade) -> str:
    out = [
        f"# {verdict_and_score(grade.verdict, grade.score, heading=True)} · {grade.rubric} v{grade.rubric_version}",
        "",
        f"Transcript: `{grade.transcript}` · grader: {grade.grader}"
        + (f" · flags: {', '.join(grade.flags)}" if grade.flags else ""),
        "",
    ]
    if grade.verdict_reasons:
        out += ["**Why not a hire:**", ""] + [f"- {r}" for r in grade.verdict_reasons] + [""]
    if grade.findings:
        out += ["**What earned nothing:**", ""] + [f"- {_safe(f.note)}" for f in grade.findings] + [""]
    out += ["| criterion | score | weight | |", "|---|---|---|---|"]
    for c in grade.criteria:
        score = "–" if c.score is None else f"{c.score:g}/{c.max}"
        must = " (must pass)" if c.must_pass else ""
        out.append(f"| {c.title or c.id}{must} | {score} | {c.weight:g} | `{_bar(c.score, c.max)}` |")
    out.append("")
    for c in grade.criteria:
        score = "unscored" if c.score is None else f"{c.score:g}/{c.max}"
        # transcript text (quotes, and a model's rationale that may repeat it) is untrusted: a Markdown renderer
        # must not turn it into live HTML
        out += [f"## {c.title or c.id} — {score}", "", _safe(c.rationale), ""]
        if c.evidence:
            out += ["Evidence:", ""] + [f"- turn {e.turn}: “{_safe(e.quote)}”" for e in c.evidence] + [""]
        if c.missing:
            out += ["Missing:", ""] + [f"- {_safe(m)}" for m in c.missing] + [""]
    if grade.practise_next:
        out += ["## Practise next", ""] + [f"{i}. {p}" for i, p in enumerate(grade.practise_next, 1)] + [""]
    return "\n".join(out)


def grade_table(grades: list[Grade]) -> str:
    """One block per transcript: header line, then a row per criterion with a score bar."""
    blocks = []
    for grade in grades:
        flags = f"  [{', '.join(grade.flags)}]" if grade.flags else ""
        lines = [
            f"{grade.transcript}  {grade.rubric} v{grade.rubric_version}  {grade.grader}",
            f"  {verdict_and_score(grade.verdict, grade.score):<{WIDTH}}{flags}",
        ]
        width = max((len(c.title or c.id) for c in grade.criteria), default=10)
        width = min(width, 48)
        for c in grade.criteria:
            score = "  –" if c.score is None else f"{c.score:g}/{c.max}"
            must = "*" if c.must_pass else " "
            lines.append(
                f"  {must}{(c.title or c.id)[:width]:<{width}}  {score:>5}  {_bar(c.score, c.max)}  "
                f"{len(c.evidence)} quote{'s' if len(c.evidence) != 1 else ''}"
            )
        for reason in grade.verdict_reasons:
            lines.append(f"  - {reason}")
        for finding in grade.findings:
            lines.append(f"  ! {finding.note}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + ("\n\n* must pass" if grades else "") + "\n"
