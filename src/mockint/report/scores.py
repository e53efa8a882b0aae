"""The one way scores and verdicts read to people (app, tables, Markdown, history): `hire · 72/100`.

JSON keeps raw numbers and `no_hire`; this is for text only. Kept apart so every surface agrees.
"""

from __future__ import annotations

VERDICTS = {"hire": "hire", "no_hire": "no hire"}
MISSING = "—"


def format_score(score: float | None) -> str:
    """`72/100`, a whole point rounded as `f"{x:.0f}"` rounds, so it agrees with the numbers in verdict reasons
    ("score 48 is below the hire bar"); `—` when there is none."""
    if score is None:
        return MISSING
    return f"{score:.0f}/100"


def format_verdict(verdict: str | None) -> str:
    """`hire` / `no hire`; an unknown verdict is shown as given, none as `—`."""
    if not verdict:
        return MISSING
    return VERDICTS.get(verdict, verdict.replace("_", " "))


def verdict_and_score(verdict: str | None, score: float | None, *, heading: bool = False) -> str:
    """`no hire · 15/100`; `heading=True` capitalises it for titles (`No hire · 15/100`)."""
    text = f"{format_verdict(verdict)} · {format_score(score)}"
    return text[:1].upper() + text[1:] if heading else text


# the widest verdict_and_score can be, for aligned columns
WIDTH = len(verdict_and_score("no_hire", 100))
