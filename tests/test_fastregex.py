"""Grouping alternations by first letter must not change which texts match (it only makes them faster)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from mockint import rubrics
from mockint.grading import detectors as d
from mockint.grading import fastregex as fast

WORD_LISTS = [
    "MEASURABLE",
    "DIRECTION",
    "TARGET",
    "PERSON",
    "SITUATION",
    "CHECKPOINT",
    "TRADEOFF",
    "REASON",
    "EXAMPLE",
    "ANALOGY",
    "RISK",
    "RESPONSE",
    "REFLECTION",
    "IMPLEMENTATION",
    "PROCESS",
]


def test_split_top_respects_groups_classes_and_escapes() -> None:
    assert fast.split_top(r"a|b(c|d)|[|x]|e\|f") == ["a", "b(c|d)", "[|x]", r"e\|f"]


def test_grouping_shape() -> None:
    grouped = fast.group_by_first_letter(["rate", "rates", "retention", "saves?", "a?b", r"\d+"])
    assert grouped == r"(?:r(?:ate|ates|etention)|saves?|a?b|\d+)"


vocabulary = []
for name in WORD_LISTS:
    vocabulary += re.findall(r"[a-z][a-z' -]{2,}", getattr(d, name).pattern)
for rid in ("product_sense", "system_design", "impact_story", "technical_explainer", "program_execution"):
    for crit in rubrics.resolve(rid).rubric.criteria:
        for signal in crit.signals:
            vocabulary += [t for t in signal.terms if re.fullmatch(r"[a-z' -]+", t)]
words = st.sampled_from(sorted(set(vocabulary)))
sentences = st.lists(st.one_of(words, st.sampled_from(["x", "re", "the", "un", "-", "'s", "2", "."])), max_size=14).map(
    " ".join
) | st.lists(st.one_of(words, st.text("abcdefghijklmnopqrstuvwxyz -'", max_size=6)), max_size=10).map("".join)


@settings(max_examples=400, deadline=None)
@given(sentences)
def test_grouped_word_lists_match_exactly_like_the_naive_alternation(text: str) -> None:
    for name in WORD_LISTS:
        grouped = getattr(d, name)
        naive = re.compile(r"\b(?:" + "|".join(_naive_alternatives(name)) + r")\b")
        assert bool(grouped.search(text)) == bool(naive.search(text)), (name, text)
        assert [m.start() for m in grouped.finditer(text)][:1] == [m.start() for m in naive.finditer(text)][:1]


def _naive_alternatives(name: str) -> list[str]:
    return fast.split_top(_SOURCES[name])


_SOURCES = {name: getattr(d, name + "_WORDS") for name in WORD_LISTS}


_WORDS = ["roll", "back", "a", "b", "i", "d", "build", "ship", "hold", "steady", "go", "no", "the", "idea", "50", "re", "p"]
_SEPS = [" ", "/", "-", "'", " ?", "-?", "/?", "\\d", "\\d\\d", "\\d?", "-?\\d"]


@st.composite
def _alternatives(draw) -> str:
    """Small term patterns of the shapes rubrics use: words, separators (some optional), word groups."""
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            parts.append(draw(st.sampled_from(_WORDS)))
        else:
            branches = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=3, unique=True))
            parts.append("(" + "|".join(branches) + ")" + draw(st.sampled_from(["", "?"])))
        parts.append(draw(st.sampled_from(_SEPS)))
    return "".join(parts[:-1])


@settings(max_examples=400, deadline=None)
@given(st.data(), _alternatives(), st.lists(st.sampled_from([*_WORDS, "rollback", "ab", "p95", "/", "-", "'"]), max_size=6))
def test_the_word_starts_a_term_requires_are_a_necessary_condition(data, alt: str, pieces: list[str]) -> None:
    """Whenever the term matches, the sentence has a word meeting every set of required starts. The sentence
    holds a string the term matches (drawn from the term itself) among other words."""
    match = data.draw(st.from_regex(re.compile(alt), fullmatch=True).filter(lambda m: "\n" not in m))
    at = data.draw(st.integers(0, len(pieces)))
    text = " ".join([*pieces[:at], match, *pieces[at:]])
    pattern = re.compile("(?<!\\w)(?:" + alt + ")(?!\\w)")
    if not pattern.search(text):
        return  # the drawn string ran into a neighbouring word
    tokens = re.findall(r"\w+", text)
    for starts in fast.required_starts(alt):
        assert any(
            (t == s[:-1]) if s.endswith(fast.EXACT) else t.startswith(s) for t in tokens for s in starts
        ), (alt, text, starts)


_TEXT_BITS = [*"ab .!?\"')]\n", "e.g.", "Mr.", "3.5", "...", "\n\n", "\t", "\u00a0"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_TEXT_BITS), max_size=40).map("".join))
def test_sentence_pieces_are_exactly_what_the_sentence_pattern_finds(text: str) -> None:
    """The end-searching splitter gives the pieces the lazy sentence pattern gives, on any text."""
    from mockint.grading import sentences

    expected = [(m.start(), m.end(), m.group(0)) for m in sentences._SENTENCE.finditer(text)]
    assert sentences.pieces(text) == expected
