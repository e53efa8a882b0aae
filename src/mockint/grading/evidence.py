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
