"""Whose claim is it? Quoted, reported and hypothetical answers ("what I would have said: '...'",
"a strong candidate would...") are not the candidate's own answer, so they earn nothing; offering one
for credit is treated like any other attempt to steer the grade."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from mockint.grading.obfuscation import plain

_IDEAL = r"(?:great|strong|stronger|good|better|best|ideal|perfect|top|model|textbook|excellent|senior|hire-level|winning|a\+)"
FRAME = re.compile(
    r"\b(?:here(?:'s| is) )?what i(?:'d| would| should| could)(?: have| probably have)? (?:said|say|answered|answer|told)\b"
    r"|\bi(?:'d| would| should) have (?:said|answered|told (?:you|them|the interviewer))\b.{0,20}[:\"“]"
    r"|\bhere(?:'s| is) (?:the|my|an?) (?:"
    + _IDEAL
    + r" )?(?:answer|version|response) (?:i(?:'d| would)|you(?:'re| are) looking for)"
    r"|\b(?:an?|the) (?:really |very |truly |genuinely |properly )?"
    + _IDEAL
    + r" (?:answer|response|candidate|pm|interviewee|applicant|version)s? (?:would|might|could|should|"
    r"will|is|says|goes|sounds|usually|typically)\b"
    r"|\b" + _IDEAL + r" candidates (?:would|usually|typically|tend to|often|always|say|talk|mention|answer)\b"
    r"|\bthe (?:ideal|perfect|textbook|model|expected|standard|canonical|sample|polished) (?:answer|response)\b"
    r"|\b(?:the|a|my) (?:polished|stronger|full|proper|ideal|textbook|rehearsed|prepared|interview-ready) (?:version|answer)\b"
    r"|\bif i were (?:giving|answering|doing this properly|to give|to answer|to do it properly)\b"
    r"|\b(?:ideally|in an interview) i(?:'d| would) (?:say|answer)\b.{0,20}[:\"“]"
    r"|\bsomeone who (?:aces|nails|would ace|would nail|gets hired)\b"
    r"|\b(?:i(?:'ve)? (?:read|saw|heard|learned)|prep (?:guides?|books?|courses?) say) (?:that )?(?:an?|the) "
    + _IDEAL
    + r" answer\b"
    r"|\bthe answer (?:you|they|interviewers|the panel|committees) (?:want|are looking for|expect)\b"
    r"|\bif i were (?:an? )?" + _IDEAL + r" (?:candidate|pm)\b"
)
# Every FRAME alternative contains one of these words: a turn with none of them has no frame.
FRAME_WORDS = frozenset(
    [
        "said",
        "say",
        "answered",
        "answer",
        "answers",
        "told",
        "version",
        "versions",
        "response",
        "responses",
        "candidate",
        "candidates",
        "pm",
        "pms",
        "interviewee",
        "interviewees",
        "applicant",
        "applicants",
        "giving",
        "answering",
        "doing",
        "give",
        "do",
        "aces",
        "nails",
        "ace",
        "nail",
        "hired",
    ]
)
_TOKEN = re.compile(r"[a-z]+")
QUOTE_OPEN = '"“«„'
QUOTE_CLOSE = '"”»“'
LONG_QUOTE_WORDS = 20
_QUOTED = re.compile(r"[\"“«„]([^\"”»“]{20,})[\"”»“]")


@dataclass(frozen=True)
class Framed:
    """Sentences (by position in the turn) that are not the candidate's own claim, and whether they were
    offered for credit (a frame such as "what I would have said")."""

    positions: frozenset[int]
    offered: bool
    first: int | None


def _long_quote(text: str) -> bool:
    return any(len(m.group(1).split()) >= LONG_QUOTE_WORDS for m in _QUOTED.finditer(text))


def framed_sentences(texts: Sequence[str], paras: Sequence[int]) -> Framed:
    """Which of one turn's sentences (texts, with their paragraph numbers) are quoted or hypothetical.

    A frame covers the rest of its paragraph, and later paragraphs that open with a quote mark or `>`
    or sit inside a quote the frame opened. A long quotation (20+ words) or a `>` block is never
    credited even without a frame."""
    joined = plain("\n".join(texts))
    framed = not FRAME_WORDS.isdisjoint(_TOKEN.findall(joined)) and FRAME.search(joined)
    if not framed and ">" not in joined and not any(c in joined for c in QUOTE_OPEN):
        return Framed(frozenset(), False, None)  # nothing framed, quoted or block-quoted anywhere in the turn
    out: set[int] = set()
    offered = False
    first: int | None = None
    framing = False
    open_quote = False
    last_para = None
    for i, (text, para) in enumerate(zip(texts, paras, strict=True)):
        low = plain(text)
        stripped = low.lstrip()
        if para != last_para:
            starts_quoted = stripped[:1] in QUOTE_OPEN or stripped.startswith(">")
            if not (open_quote or (framing and starts_quoted)):
                framing = False
            last_para = para
        if FRAME.search(low):
            framing = True
            offered = True
            first = i if first is None else first
        if framing or stripped.startswith(">") or _long_quote(text) or open_quote:
            out.add(i)
        opens = sum(low.count(c) for c in "“«„") + low.count('"')
        closes = sum(low.count(c) for c in "”»")
        if '"' in low:  # straight quotes toggle
            open_quote = (low.count('"') % 2 == 1) != open_quote
        elif opens or closes:
            open_quote = (opens - closes) > 0 or (open_quote and closes == 0)
    return Framed(frozenset(out), offered, first)
