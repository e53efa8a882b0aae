"""Faster word-list regexes: Python's `re` tries every alternative of `(?:a|b|c)` at every position,
so a list of 150 words costs 150 steps per character. Grouping alternatives by their first letter
(`(?:r(?:ate|etention)|s(?:aves?))`) lets one failed letter rule out a whole group. Same matches."""

from __future__ import annotations

import re
from collections import defaultdict

_QUANTIFIERS = "?*{+"


def split_top(alternation: str) -> list[str]:
    """Split a regex on its top-level `|` (not inside groups, classes or escapes)."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(alternation):
        ch = alternation[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if alternation[i + 1 : i + 2] == "]":
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(alternation[start:i])
            start = i + 1
        i += 1
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
