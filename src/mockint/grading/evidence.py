"""Evidence checks shared by every grader: a quote counts only if it is really in the turn it cites."""

from __future__ import annotations

import re

from mockint.domain.grade import Evidence
from mockint.domain.transcript import Transcript

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def normalise(text: str) -> str:
    """Whitespace collapsed, curly quotes and dashes straightened, case folded."""
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip().casefold()


def quote_in_turn(transcript: Transcript, evidence: Evidence, *, speaker: str | None = "candidate") -> bool:
    turn = transcript.turn(evidence.turn)
    if turn is None or (speaker is not None and turn.speaker != speaker):
        return False
    quote = normalise(evidence.quote)
    return bool(quote) and quote in normalise(turn.text)


def verbatim(transcript: Transcript, evidence: Evidence) -> bool:
    """Stricter than `quote_in_turn`: the exact characters appear in the turn (what the offline grader promises)."""
    turn = transcript.turn(evidence.turn)
    return turn is not None and bool(evidence.quote) and evidence.quote in turn.text


def _normalised_with_map(text: str) -> tuple[str, list[int]]:
    """`normalise(text)` plus, for each of its characters, the index of the original character."""
    out: list[str] = []
    where: list[int] = []
    pending_space = False
    for i, ch in enumerate(text.translate(_QUOTES)):
        if ch.isspace():
            pending_space = bool(out)
            continue
        if pending_space:
            out.append(" ")
            where.append(i - 1)
            pending_space = False
        for low in ch.casefold():
            out.append(low)
            where.append(i)
    return "".join(out), where


def locate(turn_text: str, quote: str) -> str | None:
    """The exact span of `turn_text` that `quote` matches after normalising, or None if it is not there.

    Models straighten quotes, change case or re-flow whitespace; grades must still cite the turn verbatim.
    """
    wanted = normalise(quote)
    if not wanted:
        return None
    haystack, where = _normalised_with_map(turn_text)
    start = haystack.find(wanted)
    if start < 0:
        return None
    end = start + len(wanted) - 1
    return turn_text[where[start] : where[end] + 1]
