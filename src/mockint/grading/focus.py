"""What the opening question asks about, and whether the answers ever touch it.

"Explain end-to-end encryption to me", answered fluently about message delivery, overlaps the question
in plenty of words (messages, chats, the app) yet never names what was asked. The focus is the content
words of the thing the opening asks to have explained ("explain X", "how does X work"); a round whose
answers never use any of them did not answer the question, however on-topic they sound.
"""

from __future__ import annotations

import re

from mockint.domain.transcript import Transcript
from mockint.grading import relevance
from mockint.grading.obfuscation import plain

# The object of a request to explain something: "explain end-to-end encryption", "how does a CDN work".
_OBJECT = re.compile(
    r"\b(?:explain|help me understand|teach me)\s+(?:to me\s+)?(?:what\s+|how\s+)?"
    r"(?!(?:it|this|that|them|these|those|things?|your\w*|my|me)\b)(?P<a>[^.?!,;:]{3,60}?)"
    r"(?:\s+(?:to me|to them|to her|to him|for me|works?|is|means?|like|in|so|as|at)\b|[.?!,;:]|$)"
    r"|\bhow (?:does|do) (?P<b>[^.?!,;:]{3,50}?) (?:actually )?work\b"
)
# Words an object phrase may hold that name no subject.
_VAGUE_WORDS = (
    "happen happens happened appear appears work works technical technically detail details depth level simple way "
    "terms thing things concept concepts idea ideas part parts piece bit bits whole"
)
_VAGUE = frozenset(_VAGUE_WORDS.split())
MIN_ANSWER_WORDS = 150  # fewer words than this are too few to miss a subject by


def focus(transcript: Transcript) -> set[str]:
    """Content stems of what the opening asks to have explained (company and generic words excluded);
    empty when the opening asks for no explanation of a named thing."""
    opening: list[str] = []
    for turn in transcript.turns:
        if turn.speaker == "candidate":
            break
        opening.append(turn.text)
    text = plain(" ".join(opening))
    found = [m.group("a") or m.group("b") for m in _OBJECT.finditer(text)]
    if not found:
        return set()
    words = " ".join(w for w in found[-1].split() if w not in _VAGUE)
    return relevance.content_stems(words) - relevance.company_stems(opening)


def never_touched(transcript: Transcript, answer_texts: list[str], words: int) -> set[str]:
    """The focus, when the answers (at least MIN_ANSWER_WORDS of them) never use any of its words; else empty."""
    wanted = focus(transcript)
    if not wanted or words < MIN_ANSWER_WORDS:
        return set()
    said = relevance.content_stems(" ".join(answer_texts))
    return set() if wanted & said else wanted
