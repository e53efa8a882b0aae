"""Split candidate turns into sentences that are exact substrings of the turn (so quotes are verbatim)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mockint.domain.transcript import Transcript

_SENTENCE = re.compile(r"[^\n]+?(?:[.!?]+[\"')\]]*(?=\s|$)|(?=\n)|$)")
_ABBREV = re.compile(r"(?:\b(?:e\.g|i\.e|vs|etc|approx|incl|dr|mr|ms|no)\.|\b\d+\.)$", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'%$.-]*")
MAX_QUOTE = 320
# Where a sentence ends: its closing punctuation (and quote or bracket), a line break, or the end.
_END = re.compile(r"[.!?]+[\"')\]]*(?=\s|$)|\n|$")


def pieces(para: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each piece `_SENTENCE.finditer(para)` finds, by searching for ends rather than
    growing a lazy match one character at a time (the same pieces; a third of the time)."""
    out: list[tuple[int, int, str]] = []
    pos, n = 0, len(para)
    while pos < n:
        if para[pos] == "\n":
            pos += 1
            continue
        found = _END.search(para, pos + 1)
        mark = found.group() if found is not None else ""
        end = n if found is None or not mark else found.start() if mark == "\n" else found.end()
        out.append((pos, end, para[pos:end]))
        pos = end
    return out


@dataclass(frozen=True)
class Sentence:
    """One sentence of a candidate turn; `text` is verbatim from the turn; `para` numbers paragraphs."""

    turn: int
    para: int
    text: str
    words: int
    pos: int = field(default=0, compare=False)  # its place in the turn: neighbours differ by one


def split_turn(turn_index: int, text: str) -> list[Sentence]:
    out: list[Sentence] = []
    for para_no, para in enumerate(re.split(r"\n\s*\n", text)):
        merged: list[str] = []
        end = -1
        for start, stop, piece in pieces(para):
            if not piece.strip():
                continue
            if merged and start == end and _ABBREV.search(merged[-1][-12:]) and len(merged[-1]) < MAX_QUOTE * 4:
                merged[-1] += piece
            else:
                gap = para[end:start] if merged and start > end else ""
                if (
                    merged
                    and gap.strip() == ""
                    and gap
                    and _ABBREV.search(merged[-1][-12:])
                    and "\n" not in gap
                    and len(merged[-1]) < MAX_QUOTE * 4
                ):
                    merged[-1] += gap + piece
                else:
                    merged.append(piece)
            end = stop
        for raw in merged:
            sentence = raw.strip()
            if len(sentence) > MAX_QUOTE:
                cut = sentence.rfind(" ", 0, MAX_QUOTE)
                sentence = sentence[: cut if cut > 40 else MAX_QUOTE].rstrip()
            if sentence:
                out.append(Sentence(turn_index, para_no, sentence, len(_WORD.findall(raw)), len(out)))
    return out


def candidate_sentences(transcript: Transcript) -> list[Sentence]:
    out: list[Sentence] = []
    for turn in transcript.turns:
        if turn.speaker == "candidate":
            out.extend(split_turn(turn.index, turn.text))
    return out


def word_count(text: str) -> int:
    return len(_WORD.findall(text))
