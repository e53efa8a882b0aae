"""Undo the spellings people use to slip text past a filter: full-width and zero-width characters,
look-alike letters from other scripts, and leetspeak. Used only to *detect*; quotes stay verbatim."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u2061\u2062\u2063\u2064"))

# Cyrillic and Greek letters that render like Latin ones (lower case after NFKC + lower()).
_HOMOGLYPHS = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
        "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w",
        "ɡ": "g", "ı": "i", "ɑ": "a", "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v",
        "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ѵ": "v", "һ": "h", "ӏ": "l",
    }
)  # fmt: skip

_LEET = str.maketrans({"4": "a", "@": "a", "3": "e", "1": "i", "!": "i", "|": "l", "0": "o", "5": "s", "$": "s", "7": "t"})
# A token mixing letters with leet digits or symbols ("gr4de", "rubr1c", "v3rd!ct"); plain numbers stay numbers.
_MIXED = re.compile(r"[a-z0-9@$!|]*[a-z][a-z0-9@$!|]*")
_LEETISH = re.compile(r"[a-z][0-9@$!|]|[0-9@$!|][a-z]")
_SPACED = re.compile(r"\b(?:[a-z][ .\-_*]){3,}[a-z]\b")
_MAYBE_SPACED = re.compile(r"(?<![a-z])[a-z][ .\-_*][a-z][ .\-_*][a-z][ .\-_*][a-z](?![a-z])")  # cheaper; finds a superset


def _unleet(match: re.Match[str]) -> str:
    token = match.group(0)
    return token.translate(_LEET) if any(ch.isalpha() for ch in token) and not token.isalpha() else token


@lru_cache(maxsize=4096)
def plain(text: str) -> str:
    """NFKC, no invisible characters, lower case, straight apostrophes, "per cent" as one word: what the detectors read.
    Cached: the reading, the detectors and the grader each ask for the same sentences."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return text.replace(" per cent", " percent") if " per cent" in text else text


def deobfuscate(text: str) -> str:
    """`plain`, then look-alike letters mapped to Latin, leetspeak undone inside words, and letter-by-letter
    spellings ("r u b r i c") joined."""
    low = plain(text)
    if not low.isascii():
        low = low.translate(_HOMOGLYPHS)
        low = "".join(ch for ch in unicodedata.normalize("NFKD", low) if not unicodedata.combining(ch))
    if _LEETISH.search(low):
        low = _MIXED.sub(_unleet, low)
    if not _MAYBE_SPACED.search(low):
        return low
    return _SPACED.sub(lambda m: re.sub(r"[ .\-_*]", "", m.group(0)), low)
