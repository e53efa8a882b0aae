"""One reading of a transcript, shared by the offline grader, the interviewer and the LLM grader's flags.

It decides which of the candidate's sentences are evidence at all: the candidate's own claims (not a
quoted or hypothetical "ideal answer"), about the question asked, committed rather than deferred,
not text about the grading, each claim once. What it sets aside it reports, turn by turn, so a
grade can say "turn 4 did not answer the question".
"""

from __future__ import annotations

import string
from collections import Counter
from dataclasses import dataclass, field
from itertools import groupby
from typing import Literal

from mockint.domain.transcript import Transcript
from mockint.grading import detectors as d
from mockint.grading import relevance
from mockint.grading.commitment import NonAnswer, defers, may_defer, non_answer
from mockint.grading.focus import never_touched
from mockint.grading.framing import framed_sentences
from mockint.grading.injection import about_grading
from mockint.grading.obfuscation import plain
from mockint.grading.sentences import Sentence, split_turn

FindingKind = Literal["non_answer", "off_topic", "deferral", "quoted", "about_grading"]

_NON_ANSWER_NOTE: dict[NonAnswer, str] = {
    "dont_know": "said they did not know",
    "repeat": "asked for the question again",
    "wait": "asked for a moment to think",
    "pass": "passed",
}
# Flags a grade carries for each kind of finding; text about the grading and quoted answers offered
# for credit are both attempts to steer the grade.
FLAG: dict[FindingKind, str] = {
    "non_answer": "non_answer",
    "off_topic": "off_topic",
    "deferral": "deferral",
    "quoted": "quoted_answer",
    "about_grading": "injection_attempt",
}
LOW_EVIDENCE_WORDS = 80
HIGH_EVIDENCE_WORDS = 350


@dataclass(frozen=True)
class Finding:
    """Something a turn did that earns nothing, in words a candidate can act on."""

    turn: int
    kind: FindingKind
    note: str
    detail: str | None = None  # the non-answer kind, or the quote that deferred


@dataclass
class Reading:
    """The sentences that count as evidence, what was set aside and why, and how much answer there was."""

    kept: list[Sentence]
    findings: list[Finding] = field(default_factory=list)
    answered_turns: set[int] = field(default_factory=set)

    @property
    def words(self) -> int:
        return sum(s.words for s in self.kept)

    @property
    def flags(self) -> list[str]:
        out = {FLAG[f.kind] for f in self.findings}
        if any(f.kind == "quoted" and f.detail == "offered" for f in self.findings):
            out.add("injection_attempt")
        if self.words < LOW_EVIDENCE_WORDS:
            out.add("insufficient_evidence")
        return sorted(out)

    @property
    def confidence(self) -> Literal["low", "medium", "high"]:
        if self.words < LOW_EVIDENCE_WORDS:
            return "low"
        return "high" if self.words >= HIGH_EVIDENCE_WORDS and len(self.answered_turns) >= 2 else "medium"


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: text.rfind(" ", 0, limit - 1)] + "…"


_PUNCTUATION = str.maketrans("", "", string.punctuation + "“”‘’…–—")


def _key(text: str) -> str:
    """What makes two sentences the same claim: the words, whatever the case, spacing and punctuation."""
    return " ".join(plain(text).translate(_PUNCTUATION).split())


def _illustrates(text: str) -> bool:
    low = plain(text)
    return bool(d.ANALOGY.search(low) or d.EXAMPLE.search(low) or low.lstrip().startswith(("analogy", "example")))


def _topic_of_opening(transcript: Transcript) -> tuple[set[str], bool]:
    """Content words of what the interviewer said before the first answer, plus company vocabulary, and
    whether the opening leaves the subject to the candidate."""
    asked = [t.text for t in transcript.turns if t.speaker == "interviewer"]
    opening: list[str] = []
    for t in transcript.turns:
        if t.speaker == "candidate":
            break
        opening.append(t.text)
    topic = set().union(*(relevance.content_stems(t) for t in opening)) if opening else set()
    open_question = not opening or any(relevance.is_open(t) for t in opening)
    return topic | relevance.company_stems(asked), open_question


MIN_PARTIAL_SENTENCES = 5  # a shorter paragraph that talks about the grading is that talk, and goes whole


def _outside_grading_talk(para: list[Sentence]) -> list[Sentence]:
    """What stays of a long paragraph with grading talk inside it (an answer with one such aside): the
    sentences about the grading, everything between them and one sentence either side go. A short
    paragraph, talk spread too thin to pin to a sentence, or talk filling most of it, goes whole."""
    if len(para) < MIN_PARTIAL_SENTENCES:
        return []
    flagged = [i for i, s in enumerate(para) if about_grading(s.text)]
    if not flagged:
        flagged = [i for i in range(len(para) - 1) if about_grading(para[i].text + " " + para[i + 1].text)]
        flagged += [i + 1 for i in flagged]
    if not flagged:
        return []
    first, last = min(flagged) - 1, max(flagged) + 1
    rest = [s for i, s in enumerate(para) if i < first or i > last]
    return rest if len(rest) * 2 >= len(para) else []


def _asides(texts: list[str], stems: list[Counter[str]], topic: set[str]) -> set[int]:
    """Paragraphs of a turn that are off the topic on their own (analogies and worked examples excepted)."""
    return {k for k, (text, words) in enumerate(zip(texts, stems, strict=True))
            if relevance.judge(words, topic) is False and not _illustrates(text)}  # fmt: skip


def _without_asides(text: str, topic: set[str]) -> str:
    """The turn without its paragraphs about something else: what a non-answer is judged on."""
    paras = [p for p in text.split("\n\n") if p.strip()]
    if len(paras) < 2 or not topic:
        return text
    kept = [p for p in paras if relevance.judge(relevance.counts(p), topic) is not False or _illustrates(p)]
    return "\n\n".join(kept)


def _asked_anything(transcript: Transcript) -> bool:
    return any(t.speaker == "interviewer" for t in transcript.turns)


def read(transcript: Transcript) -> Reading:
    """Read every candidate turn against the question it answers."""
    topic, open_topic = _topic_of_opening(transcript)
    asked = _asked_anything(transcript)  # with no question at all (a pasted answer), relevance is not judged
    reading = Reading(kept=[])
    seen: set[str] = set()
    elsewhere: set[str] = set()  # what off-topic answers were about
    for turn in transcript.turns:
        if turn.speaker == "interviewer":
            question = relevance.content_stems(turn.text)
            if not topic or question & topic or len(question) < 3:
                topic |= question  # a follow-up that stays on the topic (or is generic) widens it
            continue
        sentences: list[Sentence] = []
        split = split_turn(turn.index, turn.text)
        for _para, group in groupby(split, key=lambda s: s.para):
            para = list(group)
            if about_grading(" ".join(s.text for s in para)):
                reading.findings.append(
                    Finding(turn.index, "about_grading", f"turn {turn.index} talks about the grading; left out")
                )
                sentences.extend(_outside_grading_talk(para))
            else:
                sentences.extend(para)
        # judged on what is left once grading talk is out: "I don't know" plus a note to the grader is still no answer
        remaining = turn.text if len(sentences) == len(split) else "\n".join(s.text for s in sentences)
        kind = non_answer(remaining)
        if kind is None and "\n\n" in remaining and not open_topic:  # "I don't know" plus a paragraph about football
            kind = non_answer(_without_asides(remaining, topic))
        if kind is not None:
            reading.findings.append(
                Finding(
                    turn.index, "non_answer", f"turn {turn.index} did not answer the question ({_NON_ANSWER_NOTE[kind]})", kind
                )
            )
            continue
        # each claim once, before quotes are traced: a repeat can change neither relevance, credit nor where a
        # quotation opens and closes (a sentence with an opening quote mark said twice must not close it)
        unique: list[Sentence] = []
        keys: dict[Sentence, str] = {}
        said: set[str] = set()
        for sentence in sentences:
            key = _key(sentence.text)
            if key and key not in said:
                said.add(key)
                keys[sentence] = key
                unique.append(sentence)
        framed = framed_sentences([s.text for s in unique], [s.para for s in unique])
        if framed.offered:
            reading.findings.append(
                Finding(turn.index, "quoted", f"turn {turn.index} offered a quoted or hypothetical answer; only the candidate's "
                        "own claims count", "offered")
            )  # fmt: skip
        own = [s for i, s in enumerate(unique) if i not in framed.positions and keys[s] not in seen]
        paras = [list(group) for _para, group in groupby(own, key=lambda s: s.para)]
        open_topic = open_topic or len(topic) < relevance.MIN_TOPIC
        texts = [" ".join(s.text for s in para) for para in paras]
        stems = [relevance.counts(text) for text in texts]
        whole = sum(stems, Counter())
        # the turn as a whole is judged without its asides: a paragraph about something else must not tip it
        asides = _asides(texts, stems, topic) if not open_topic and len(paras) > 1 else set()
        core = sum((w for k, w in enumerate(stems) if k not in asides), Counter()) if asides else whole
        judged_open = open_topic and asked and not any(_illustrates(t) for t in texts)
        if (judged_open and not relevance.about_work(" ".join(texts))) or (
            not open_topic
            and (
                len(asides) == len(paras)
                or relevance.judge(core, topic) is False
                or (elsewhere and relevance.continues(core, topic, elsewhere))
            )
        ):
            elsewhere |= set(whole) - topic
            reading.findings.append(
                Finding(turn.index, "off_topic", f"turn {turn.index} did not answer the question: it is about something else",
                        _short(" ".join(texts)))
            )  # fmt: skip
            continue
        kept_before = len(reading.kept)
        for para, text, words in zip(paras, texts, stems, strict=True):
            # the answer that sets an open topic is judged against the rest of itself: a paragraph sharing
            # nothing with the others is an aside. An analogy or a worked example is meant to come from
            # elsewhere ("think of it like a library").
            against = topic if not open_topic else (topic | set(whole - words)) if len(paras) > 1 else set()
            if against and relevance.judge(words, against) is False and not _illustrates(text):
                reading.findings.append(
                    Finding(
                        turn.index, "off_topic", f"turn {turn.index}: a paragraph off the question was left out", _short(text)
                    )
                )
                continue
            deferring = may_defer(text)
            for s in para:
                if deferring and defers(s.text):
                    reading.findings.append(
                        Finding(turn.index, "deferral", f"turn {turn.index} put off a decision: “{_short(s.text)}”", s.text)
                    )
                    continue
                seen.add(keys[s])
                reading.kept.append(s)
                reading.answered_turns.add(turn.index)
            topic |= set(words)
        if len(reading.kept) > kept_before:
            open_topic = False  # the first answer (of any substance) has set the topic
    return _unless_focus_missed(transcript, reading)


def _unless_focus_missed(transcript: Transcript, reading: Reading) -> Reading:
    """A round whose answers never name what the opening asked about answered something else: nothing counts."""
    missed = never_touched(transcript, [s.text for s in reading.kept], reading.words)
    if not missed:
        return reading
    asked = ", ".join(sorted(missed))
    findings = reading.findings + [
        Finding(turn, "off_topic", f"turn {turn} did not answer the question: no answer mentions what was asked ({asked})")
        for turn in sorted(reading.answered_turns)
    ]
    return Reading(kept=[], findings=findings, answered_turns=set())
