"""Delivery from turn times: pace, spoken fillers, answer length, talk share and time to answer.

Pure functions of a `Transcript`. Times come from a recording's cue times (`offset`/`end_offset`, seconds) or from
a practised round's `started`/`ended` stamps (typed answers: the pace is typing speed). A transcript without
times has no delivery at all, so nothing here guesses one.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from mockint.domain.grade import Delivery, Grade, LongAnswer, Timing
from mockint.domain.transcript import Transcript, Turn

LONG_ANSWER_SECONDS = 180.0  # an answer over three minutes ran long
BREAK_SECONDS = 30 * 60.0  # a typed answer "lasting" longer than this spans a break (a resumed round), not an answer
MAX_WORDS_PER_MINUTE = 400.0  # faster than anyone speaks or types: the answer was pasted or piped, so its time says nothing

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*|\.\.\.|[,.;:!?…—–\"“”(){}\[\]]|-{1,2}")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")
_PUNCT_BREAK = {",", ".", ";", ":", "!", "?", "…", "...", "—", "–", "-", "--", "(", ")", '"', "“", "”"}
_SENTENCE_END = {".", "!", "?", "…", "...", ";", ":"}
_QUOTE = {'"', "“", "”"}

# one-word fillers, by how they are written → how they are counted
_HESITATIONS = {"um": "um", "umm": "um", "ummm": "um", "uhm": "um", "uh": "uh", "uhh": "uh", "uhhh": "uh",
                "er": "er", "erm": "erm", "hmm": "hmm", "hm": "hmm", "hmmm": "hmm"}  # fmt: skip
# a word before "kind of"/"sort of" that makes it a noun phrase ("a kind of", "what sort of"), not a hedge
_DETERMINERS = {"a", "an", "the", "this", "that", "these", "those", "what", "which", "any", "some", "every", "each",
                "no", "one", "my", "your", "our", "their", "his", "her", "its", "another", "whatever", "same", "other",
                "right", "wrong", "different", "certain", "particular", "specific", "similar", "new", "only", "whole",
                "exact", "usual", "best", "worst", "main", "first", "last", "two", "three", "all", "many"}  # fmt: skip
# words after which "like," is a filler ("it's, like, slow", "we had like, 30", "so like, ..."); after any other word
# "like," is most often the verb or a preposition ("things users like, such as")
_BEFORE_LIKE_COMMA = {"was", "were", "is", "am", "are", "be", "been", "i'm", "we're", "they're", "he's", "she's",
                      "you're", "it's", "that's", "and", "but", "or", "so", "then", "um", "uh", "er", "erm", "hmm",
                      "just", "really", "literally", "basically", "actually", "totally", "know", "had", "have", "has",
                      "got", "get", "maybe", "because", "with", "about", "of", "in", "for", "at", "every"}  # fmt: skip
_ADVERBS = {"really", "just", "actually", "literally", "totally", "basically", "also", "still", "all"}
_SUBJECTS = {"i", "we", "you", "they", "he", "she", "people", "users", "i'd", "we'd", "you'd", "they'd", "would",
             "don't", "didn't", "doesn't", "will", "might"}  # fmt: skip
# words after which "like" before a number is the preposition ("something like 30", "looks like 2 teams")
_LIKE_GOVERNORS = {"i", "we", "you", "they", "he", "she", "i'd", "we'd", "you'd", "they'd", "would", "don't",
                   "didn't", "not", "people", "users", "feel", "feels", "felt", "look", "looks", "looked", "sound",
                   "sounds", "seem", "seems", "seemed", "something", "anything", "nothing", "more", "less", "much",
                   "exactly", "things", "is", "was", "it's", "that's", "be"}  # fmt: skip
_BE = {"was", "were", "is", "am", "are"}
_BE_CONTRACTED = {"i'm", "we're", "they're", "he's", "she's", "you're"}
_NOT_A_PERSON = {"it", "that", "this", "which", "there", "what", "who"}
# what follows a quotative "was like": a quote, a pronoun or an interjection ("I was like, why", "she was like no")
_QUOTED = {"i", "we", "they", "oh", "no", "yes", "yeah", "wow", "why", "what", "okay", "ok", "well", "hey", "wait",
           "um", "uh", "hmm", "seriously", "really", "whoa", "great", "sure", "nope"}  # fmt: skip
# after a hesitation or "so", "like" is a filler unless it takes an object ("so like that")
_LIKE_OBJECTS = {"to", "it", "that", "this", "these", "those", "them", "us", "me", "him", "her"}
# adjectives that keep "kind of" a noun phrase after a determiner ("a good kind of problem")
_SORT_ADJECTIVES = {"good", "bad", "big", "small", "strange", "weird", "odd", "special", "nice", "interesting",
                    "perfect", "ideal", "typical", "common", "rare", "real", "simple"}  # fmt: skip
_ASKING = {"do", "does", "did", "don't", "didn't", "if", "as", "would", "will", "could", "can", "whether", "what",
           "how", "now", "let", "to", "must", "should"}  # fmt: skip


def _tokens(text: str) -> list[str]:
    return [t.replace("’", "'") for t in _TOKEN.findall(text)]


def _is_word(token: str) -> bool:
    return token[:1].isalnum()


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def _like_is_filler(low: list[str], i: int) -> bool:
    """Whether the "like" at `i` is a spoken filler, not the verb ("I'd like to") or the preposition ("like a
    library", "looks like", "feel like")."""
    prev = low[i - 1] if i else ""
    prev2 = low[i - 2] if i > 1 else ""
    nxt = low[i + 1] if i + 1 < len(low) else ""
    nxt2 = low[i + 2] if i + 2 < len(low) else ""
    if nxt in (",", "—", "–", "--", "...", "…"):  # "like, we tried", "it was, like, slow", "I was like, why"
        if prev in _ADVERBS and prev2 in _SUBJECTS:
            return False  # "the lamp you really like, ...": the verb
        return not prev or prev in _PUNCT_BREAK or prev in _BEFORE_LIKE_COMMA
    if nxt in _SENTENCE_END:  # "it was slow, like."
        return prev == ","
    said = nxt in ("i", "we", "you", "they") and nxt2 in ("said", "say", "mentioned")  # "like I said": "as I said"
    quotative = prev in _BE_CONTRACTED or (prev in _BE and prev2 not in _NOT_A_PERSON and prev2 not in _PUNCT_BREAK)
    if quotative and (nxt in _QUOTED or nxt in _QUOTE) and not said:  # "I was like why", "she's like “no”"
        return True
    if nxt[:1].isdigit():  # "we had like 30 users", not "something like 30"
        return prev not in _LIKE_GOVERNORS and prev not in _DETERMINERS
    if prev in ("so", "um", "uh", "er", "erm", "hmm"):  # "so like we tried", "um like the users", not "so like that"
        return bool(nxt) and nxt not in _LIKE_OBJECTS and nxt not in _PUNCT_BREAK and not said
    return prev in ("and", "but") and (nxt in _QUOTED or nxt == "you") and not said  # "and like we never shipped"


def _hedge(low: list[str], i: int) -> bool:
    """"kind of"/"sort of" at `i` as a hedge ("it's kind of slow"), not a noun phrase ("a kind of feed")."""
    prev = low[i - 1] if i else ""
    prev2 = low[i - 2] if i > 1 else ""
    return prev not in _DETERMINERS and not (prev in _SORT_ADJECTIVES and prev2 in _DETERMINERS)


def count_fillers(text: str) -> Counter[str]:
    """Spoken fillers in one answer, by filler: um, uh, er, erm, hmm, "you know", "I mean", "kind of"/"sort of" as
    hedges, and "like" only where it is a filler."""
    raw = _tokens(text)
    low = [t.lower() for t in raw]
    found: Counter[str] = Counter()
    i = 0
    while i < len(low):
        word, nxt = low[i], (low[i + 1] if i + 1 < len(low) else "")
        prev = low[i - 1] if i else ""
        after = low[i + 2] if i + 2 < len(low) else ""
        if word in _HESITATIONS and not (word == "er" and raw[i] == "ER"):  # "the ER team" is a place
            found[_HESITATIONS[word]] += 1
        elif word == "you" and nxt == "know" and prev not in _ASKING and (not after or after in _PUNCT_BREAK):
            found["you know"] += 1
            i += 1
        elif word == "y'know":
            found["you know"] += 1
        elif word == "i" and nxt == "mean" and prev not in {"what", "which", "that", "who", "whom", "do", "did"} and (
            not after or after in _PUNCT_BREAK
        ):
            found["I mean"] += 1
            i += 1
        elif word in ("kind", "sort") and nxt == "of" and _hedge(low, i):
            found[f"{word} of"] += 1
            i += 1
        elif word in ("kinda", "sorta") and _hedge(low, i):
            found["kind of" if word == "kinda" else "sort of"] += 1
        elif word == "like" and _like_is_filler(low, i):
            found["like"] += 1
        i += 1
    return found


@dataclass(frozen=True)
class Span:
    """One turn placed in time: seconds from the round's first time stamp (None where unknown)."""

    turn: Turn
    start: float | None
    end: float | None

    @property
    def seconds(self) -> float | None:
        if self.start is None or self.end is None or self.end < self.start:
            return None
        return self.end - self.start


def _stamp(value: datetime | None) -> float | None:
    return value.timestamp() if value is not None else None


def timing_of(transcript: Transcript) -> Timing | None:
    """"recording" when turns carry cue times, "typed" when they carry time stamps, None when neither."""
    if any(t.offset is not None for t in transcript.turns):
        return "recording"
    if any(t.ended is not None for t in transcript.turns):
        return "typed"
    return None


def spans(transcript: Transcript) -> list[Span]:
    """Each turn's start and end. A recording's turn ends at its last cue (else where the next turn starts); a typed
    answer with no start of its own starts when the question before it was saved, and one spanning a break is
    left untimed."""
    timing = timing_of(transcript)
    turns = transcript.turns
    out: list[Span] = []
    if timing == "recording":
        for i, t in enumerate(turns):
            end = t.end_offset
            if end is None and i + 1 < len(turns):
                end = turns[i + 1].offset
            out.append(Span(t, t.offset, end))
        return out
    stamps = [s for t in turns for s in (_stamp(t.started), _stamp(t.ended)) if s is not None]
    origin = min(stamps) if stamps else 0.0
    prev_end: float | None = None
    for t in turns:
        start, end = _stamp(t.started), _stamp(t.ended)
        if start is None and t.speaker == "candidate":
            start = prev_end
        span = Span(t, None if start is None else start - origin, None if end is None else end - origin)
        if span.seconds is not None and span.seconds > BREAK_SECONDS and t.started is None:
            span = Span(t, None, span.end)
        out.append(span)
        prev_end = end if end is not None else prev_end
    return out


def _seconds_to_answer(timed: list[Span]) -> list[float]:
    """From the end of each question to the start of the answer after it, where cue times say both (a question
    whose end is only where the answer starts says nothing about the pause)."""
    gaps = []
    for before, after in itertools.pairwise(timed):
        question_then_answer = (
            before.turn.speaker == "interviewer" and after.turn.speaker == "candidate" and before.turn.end_offset is not None
        )
        if question_then_answer and before.end is not None and after.start is not None and after.start >= before.end:
            gaps.append(after.start - before.end)
    return gaps


def _plausible(span: Span) -> bool:
    """An answer with a length that someone could have said or typed it in."""
    seconds = span.seconds
    return seconds is not None and seconds > 0 and count_words(span.turn.text) * 60 / seconds <= MAX_WORDS_PER_MINUTE


def _rate(count: float, seconds: float) -> float | None:
    return round(count * 60 / seconds, 1) if seconds > 0 else None


def delivery_of(transcript: Transcript) -> Delivery | None:
    """The delivery of a timed transcript; None when its turns carry no times or no answer has a length."""
    timing = timing_of(transcript)
    if timing is None:
        return None
    placed = spans(transcript)
    answers = [s for s in placed if s.turn.speaker == "candidate" and s.turn.text.strip()]
    timed = [s for s in answers if _plausible(s)]
    if not timed:
        return None
    seconds = sum(s.seconds or 0.0 for s in timed)
    words = sum(count_words(s.turn.text) for s in timed)
    fillers: Counter[str] = Counter()
    for s in timed:
        fillers.update(count_fillers(s.turn.text))
    longest = max(timed, key=lambda s: s.seconds or 0.0)
    if timing == "recording":
        asked = sum(s.seconds or 0.0 for s in placed if s.turn.speaker == "interviewer" and s.seconds)
        share = round(seconds / (seconds + asked), 2) if seconds + asked > 0 else None
        gaps = _seconds_to_answer(placed)
        to_answer = round(statistics.median(gaps), 1) if gaps else None
    else:  # typed: the interviewer's "time" is how long its reply took to make, so share the words instead
        said = sum(count_words(t.text) for t in transcript.turns)
        share = round(sum(count_words(t.text) for t in transcript.candidate_turns()) / said, 2) if said else None
        to_answer = None
    return Delivery(
        timing=timing,
        timed_answers=len(timed),
        candidate_seconds=round(seconds, 1),
        words_per_minute=_rate(words, seconds),
        filler_words_per_minute=_rate(sum(fillers.values()), seconds),
        fillers=dict(sorted(fillers.items(), key=lambda kv: (-kv[1], kv[0]))),
        longest_answer_seconds=round(longest.seconds or 0.0, 1),
        longest_answer_turn=longest.turn.index,
        candidate_talk_share=share,
        median_seconds_to_answer=to_answer,
        long_answers=[
            LongAnswer(turn=s.turn.index, seconds=round(s.seconds or 0.0, 1))
            for s in timed
            if (s.seconds or 0.0) > LONG_ANSWER_SECONDS
        ],
        long_answer_seconds=LONG_ANSWER_SECONDS,
    )


def with_delivery(grade: Grade, transcript: Transcript) -> Grade:
    """The grade with its transcript's delivery attached (unchanged when the turns carry no times)."""
    delivery = delivery_of(transcript)
    return grade if delivery is None else grade.model_copy(update={"delivery": delivery})
