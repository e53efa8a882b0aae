"""Grades for people: a Markdown report (verdict, evidence, what was missing, what to practise) and a table."""

from __future__ import annotations

import html

from mockint.domain.grade import Delivery, Grade
from mockint.report.scores import WIDTH, verdict_and_score

PACE = (130, 160)  # words a minute: a comfortable speaking pace
FEW_FILLERS = 4.0  # fillers a minute: up to a few is normal speech


def clock(seconds: float) -> str:
    """0:45, 3:05: how people read the length of an answer."""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def delivery_lines(d: Delivery) -> list[tuple[str, str]]:
    """(label, reading) pairs for every report: each figure beside the range people compare it with."""
    out: list[tuple[str, str]] = []
    if d.words_per_minute is not None:
        low, high = PACE
        if d.timing == "typed":
            pace = "typed, so this is typing speed; a comfortable speaking pace is 130–160"
        elif d.words_per_minute < low:
            pace = "slower than the comfortable 130–160"
        elif d.words_per_minute > high:
            pace = "faster than the comfortable 130–160"
        else:
            pace = "within the comfortable 130–160"
        out.append(("pace", f"{d.words_per_minute:.0f} words a minute ({pace})"))
    if d.filler_words_per_minute is not None:
        which = ", ".join(f"{word} {n}" for word, n in d.fillers.items())
        few = d.filler_words_per_minute <= FEW_FILLERS
        norm = "a few a minute is normal" if few else "more than the few a minute that is normal"
        out.append(("fillers", f"{d.filler_words_per_minute:.1f} a minute" + (f": {which}" if which else "") + f" ({norm})"))
    if d.longest_answer_seconds is not None:
        turn = f" (turn {d.longest_answer_turn})" if d.longest_answer_turn else ""
        out.append(("longest answer", f"{clock(d.longest_answer_seconds)}{turn}"))
    mark = clock(d.long_answer_seconds)
    if d.long_answers:
        turns = ", ".join(f"turn {a.turn} ({clock(a.seconds)})" for a in d.long_answers)
        out.append(("ran long", f"{turns}: over {mark}; aim to land the point in two or three minutes"))
    else:
        out.append(("ran long", f"none (no answer over {mark})"))
    if d.candidate_talk_share is not None:
        basis = "of the talking time" if d.timing == "recording" else "of the words"
        out.append(("your share", f"{d.candidate_talk_share:.0%} {basis}"))
    if d.median_seconds_to_answer is not None:
        out.append(("time to answer", f"{d.median_seconds_to_answer:.1f} s from question to answer (median)"))
    timed = f"{d.timed_answers} timed answer{'s' if d.timed_answers != 1 else ''}, {clock(d.candidate_seconds)} in all"
    out.append(("timed", f"{timed} ({'cue times of the recording' if d.timing == 'recording' else 'when answers were sent'})"))
    return out


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
    if grade.delivery is not None:
        out += ["## Delivery", ""] + [f"- **{label}:** {text}" for label, text in delivery_lines(grade.delivery)] + [""]
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
        if grade.delivery is not None:
            lines += ["  delivery"] + [f"    {label}: {text}" for label, text in delivery_lines(grade.delivery)]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + ("\n\n* must pass" if grades else "") + "\n"
