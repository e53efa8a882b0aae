"""Faster word-list regexes: Python's `re` tries every alternative of `(?:a|b|c)` at every position,
so a list of 150 words costs 150 steps per character. Grouping alternatives by their first letter
(`(?:r(?:ate|etention)|s(?:aves?))`) lets one failed letter rule out a whole group. Same matches."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

_QUANTIFIERS = "?*{+"


def _outside(regex: str) -> Iterator[tuple[int, str, int]]:
    """Each character of a regex outside escapes and character classes, with the group depth it stands at
    (a group's own parentheses stand at the depth around it)."""
    depth, i, in_class = 0, 0, False
    while i < len(regex):
        ch = regex[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if regex[i + 1 : i + 2] == "]":
                i += 1
        else:
            depth -= ch == ")"
            yield i, ch, depth
            depth += ch == "("
        i += 1


def split_top(alternation: str) -> list[str]:
    """Split a regex on its top-level `|` (not inside groups, classes or escapes)."""
    parts, start = [], 0
    for i, ch, depth in _outside(alternation):
        if ch == "|" and depth == 0:
            parts.append(alternation[start:i])
            start = i + 1
    parts.append(alternation[start:])
    return parts


def group_by_first_letter(alternatives: list[str]) -> str:
    """An alternation equivalent to `(?:a|b|...)` (leftmost-first order aside), nested by first letter."""
    groups: dict[str, list[str]] = defaultdict(list)
    order: list[str] = []
    others: list[str] = []
    for alt in alternatives:
        first = alt[:1]
        if first.isalnum() and first.isascii() and alt[1:2] not in _QUANTIFIERS:
            if first not in groups:
                order.append(first)
            groups[first].append(alt[1:])
        else:
            others.append(alt)
    pieces = []
    for first in order:
        rests = groups[first]
        pieces.append(first + rests[0] if len(rests) == 1 else f"{first}(?:{'|'.join(rests)})")
    return "(?:" + "|".join(pieces + others) + ")"


def words(alternation: str) -> str:
    """`\\b(?:<alternation>)\\b`, with the alternation grouped by first letter."""
    return r"\b" + group_by_first_letter(split_top(alternation)) + r"\b"


_META = set("\\.^$*+?{}[]()|")


def literal_prefixes(alternatives: list[str]) -> list[str] | None:
    """For each alternative, the literal word-characters every match must start with.

    None when some alternative has no usable literal start (then callers scan everything).
    Used as a prefilter: a sentence can only match if one of its words starts with a prefix.
    """
    out = []
    for alt in alternatives:
        prefix = ""
        for i, ch in enumerate(alt):
            if ch in _META or not (ch.isalnum() or ch == "_"):
                if ch in "?*{" and prefix:
                    prefix = prefix[:-1]  # the last letter was optional
                break
            if alt[i + 1 : i + 2] in ("?", "*", "{"):
                break
            prefix += ch
        if not prefix:
            return None
        out.append(prefix)
    return out


def _groups(alt: str) -> list[tuple[int, int]]:
    """(start, end) of the top-level groups of a regex alternative: `(` at depth 0 to its `)`."""
    out, start = [], 0
    for i, ch, depth in _outside(alt):
        if depth == 0 and ch == "(":
            start = i
        elif depth == 0 and ch == ")":
            out.append((start, i + 1))
    return out


def required_starts(alt: str) -> list[tuple[str, ...]]:
    """Sets of word starts a match of `alt` must contain, one of each set (a cheap necessary condition).

    The literal start of the alternative, or of every branch of a group it opens with; and the branches of
    the first later group that starts a word and cannot be skipped ("i'd (build|ship)" needs build or ship).
    An empty list: nothing known."""
    out: list[tuple[str, ...]] = []
    lead = literal_prefixes([alt])
    groups = _groups(alt)
    for start, end in groups:
        if alt[end : end + 1] in ("?", "*", "{"):
            continue
        body = alt[start + 1 : end - 1]
        body = body[2:] if body.startswith("?:") else body
        if body.startswith("?"):
            continue  # a lookaround or an inline flag, not a group of words
        branches = literal_prefixes(split_top(body))
        if branches is None or min(len(b) for b in branches) < 2:
            continue
        if start == 0 and lead is None:
            out.append(tuple(branches))
        elif start > 0 and alt[start - 1] == " ":
            out.append(tuple(branches))
            break
    if lead is not None:
        out.insert(0, _sharpened(alt, lead[0]))
    return out


def _sharpened(alt: str, prefix: str) -> tuple[str, ...]:
    """The word starts the literal start `prefix` of `alt` stands for, made more selective where what follows
    it is known: a required separator ends the word ("a/b" needs the word "a" itself); an optional one gives
    the word itself or the word run together with what follows ("re-?rank" needs "re" or "rerank")."""
    rest = alt[len(prefix) :]
    sep = rest[:1]
    quantified = rest[1:2] in ("?", "*", "{")
    if sep == "" or sep in _META or sep.isalnum() or sep == "_":
        return (prefix,)
    if not quantified:
        return (prefix + EXACT,)
    joined = literal_prefixes([rest[2:]]) if rest[1:2] == "?" else None
    return (prefix + EXACT, prefix + joined[0]) if joined else (prefix,)


EXACT = "\0"  # marks a word start that is the whole word


_GATE_TOKEN = re.compile(r"[a-z0-9_]+")


class Gated:
    """An alternation split into rules, each run only when its gate words are present (a cheap necessary
    condition): a paragraph pays only for the rules it could match. A gate is word lists separated by "|";
    every list must share a word with the text. `pattern` is the same rules as one regex, for checking."""

    def __init__(self, rules: list[tuple[str, str]]) -> None:
        self.rules = [(tuple(frozenset(part.split()) for part in gate.split("|")), re.compile(rx)) for gate, rx in rules]
        self.pattern = re.compile("|".join(rx for _, rx in rules))

    def search(self, low: str) -> re.Match[str] | None:
        """The leftmost match of any rule, as `pattern.search` would find (text already lower-cased)."""
        words = set(_GATE_TOKEN.findall(low))
        best: re.Match[str] | None = None
        for gates, rx in self.rules:
            if all(not gate.isdisjoint(words) for gate in gates):
                found = rx.search(low)
                if found and (best is None or found.start() < best.start()):
                    best = found
        return best
