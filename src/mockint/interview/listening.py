"""What the last answer gave and what it left thin, read the way the grader reads answers (the same
reading, detectors and patterns), so the interviewer can follow up on the candidate's own words.

`read_answer` turns one candidate turn into an `AnswerReading`: the conversational move it made
(an answer, a request to repeat, a pause, "I don't know", off-topic), what it gave (a segment, a
metric with a target, a plan with gates...), what it left thin (a vague "users", a metric with no
target, a claim with no mechanism...), and phrases worth quoting back, each verbatim from the turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from mockint.domain.transcript import Transcript
from mockint.grading import detectors as d
from mockint.grading.commitment import non_answer
from mockint.grading.reading import Reading, read
from mockint.grading.sentences import split_turn

Move = Literal["answer", "repeat", "wait", "dont_know", "pass", "off_topic", "deferral"]
LONG_ANSWER_WORDS = 450
# What makes an answer concrete; an answer with none of these is vague, however fluent.
SPECIFICS = frozenset({"user", "metric", "quantity", "example", "timeline", "plan", "analogy", "ownership"})

GUARDRAIL = re.compile(
    r"\b(?:guardrails?|counter-?metrics?|must not (?:drop|fall|rise|get worse)|(?:doesn't|does not|not) (?:drop|fall|rise)|"
    r"no more than|at most|roll ?back if|pause if|stop if|kill switch|hold(?:s)? steady|stays? (?:above|below|under|flat))\b"
)
EXPERIMENT = re.compile(
    r"\b(?:a/b|ab test|experiment\w*|holdouts?|control group|randomi[sz]\w*|50/50|split test|compare against|baseline)\b"
)
HOW = re.compile(
    r"\b(?:because|by (?:\w+ing|using|adding|showing|matching|ranking|sending|letting)|so that|which means|works by|"
    r"the way it works|that way|in order to|the reason)\b"
)
CLAIM = re.compile(
    r"\b(?:would|will|should|could|can|to) (?:improve|increase|help|boost|drive|grow|raise|reduce|fix|solve|make \w+ better)\b"
)
PAIN = re.compile(
    r"\b(?:stuck|stall\w*|give up|gives up|giving up|abandon\w*|drop off|frustrat\w*|struggl\w*|can't|cannot|fail\w*|"
    r"confus\w*|lost|overwhelm\w*|breaks? down|goes wrong)\b"
)
METRIC_TALK = re.compile(r"\b(?:metrics?|measur\w*|track\w*|kpis?|goals?|success|north star|targets?)\b")
BUILD = re.compile(r"\bi(?:'d| would| will|'ll)? (?:build|ship|launch|add|start with|create|make|design|propose)\b")
VAGUE_PEOPLE = re.compile(r"\b(?:users|people|customers) (?:want|like|need|love|hate|seem\w*|would|will|are|get)\b")
PERCENT = re.compile(r"\d+(?:\.\d+)?\s*(?:%|percent|pp)|\b(?:five|ten|fifteen|twenty|thirty|fifty) percent")
_DANGLING = frozenset("a an the of on to and or with for in at by from that which who so but as is are was".split())  # noqa: SIM905
_STOP_AT = re.compile(r"[,.;:!?()\"“”—–]|\s-\s")


def _phrase(text: str, start: int, end: int, before: int = 2, after: int = 4) -> str:
    """The words around a match, verbatim, stopping at punctuation: what an interviewer would quote back."""
    left = text[:start]
    cut = max((m.end() for m in _STOP_AT.finditer(left)), default=0)
    left_words = left[cut:].split()[-before:] if before else []
    right = text[end:]
    stop = _STOP_AT.search(right)
    right_words = (right[: stop.start()] if stop else right).split()[:after]
    while right_words and right_words[-1].lower() in _DANGLING:
        right_words.pop()
    while left_words and left_words[0].lower() in _DANGLING:
        left_words.pop(0)
    words = [*left_words, text[start:end], *right_words]
    candidate = " ".join(w for w in words if w)
    # keep it verbatim: fall back to the bare match when re-joining changed the spacing
    return candidate if candidate in " ".join(text.split()) else text[start:end]


@dataclass
class AnswerReading:
    """One candidate turn, read for the next question."""

    turn: int
    move: Move
    words: int
    gave: set[str] = field(default_factory=set)
    thin: dict[str, str] = field(default_factory=dict)  # aspect left thin -> the phrase that shows it
    pickups: list[str] = field(default_factory=list)  # specific phrases worth quoting, most specific first

    @property
    def long(self) -> bool:
        return self.words > LONG_ANSWER_WORDS


def _first(rx: re.Pattern[str], texts: list[str], before: int = 2, after: int = 4) -> str | None:
    for text in texts:
        m = rx.search(text.lower())
        if m:
            return _phrase(text, m.start(), m.end(), before, after)
    return None


def read_answer(transcript: Transcript, turn_index: int, reading: Reading | None = None) -> AnswerReading:
    """Read one candidate turn (by index) in the context of the transcript so far."""
    turn = transcript.turn(turn_index)
    assert turn is not None and turn.speaker == "candidate"
    reading = reading or read(transcript)
    texts = [s.text for s in split_turn(turn.index, turn.text)]
    words = sum(len(t.split()) for t in texts)
    kind = non_answer(turn.text)
    findings = [f for f in reading.findings if f.turn == turn_index]
    if kind is not None:
        return AnswerReading(turn_index, kind, words)
    if any(f.kind == "off_topic" and "did not answer" in f.note for f in findings):
        return AnswerReading(turn_index, "off_topic", words, pickups=_subject(texts))
    out = AnswerReading(turn_index, "answer", words)
    # what counts is what the grader kept; an answer said again word for word is read as said
    kept = [s.text for s in reading.kept if s.turn == turn_index] or texts
    deferred = [f.detail for f in findings if f.kind == "deferral" and f.detail]
    if deferred and len(deferred) * 2 >= len(kept) + len(deferred):
        out.move = "deferral"
    if deferred:
        clause = _STOP_AT.split(deferred[0], maxsplit=1)[0].strip()
        out.thin["deferred"] = " ".join((clause or deferred[0]).split()[:10])
    low = [d.lower(t) for t in kept]
    joined = " ".join(low)

    def any_detect(name: str) -> bool:
        return any(d.DETECTORS[name](s, joined, t) for s, t in zip(low, kept, strict=True))

    for name in ("user", "metric", "plan", "tradeoff", "mitigation", "ownership", "example", "analogy", "quantity", "timeline"):
        if any_detect(name):
            out.gave.add(name)
    if GUARDRAIL.search(joined):
        out.gave.add("guardrail")
    if EXPERIMENT.search(joined):
        out.gave.add("experiment")
    if d.CHECKPOINT.search(joined):
        out.gave.add("checkpoint")
    if HOW.search(joined):
        out.gave.add("mechanism")
    if PAIN.search(joined):
        out.gave.add("pain")
    # what is thin, each with the candidate's own words that show it
    generic = _first(d.GENERIC_USER, kept, 0, 1) or _first(VAGUE_PEOPLE, kept, 0, 2)
    if "user" not in out.gave and generic:
        out.thin["vague_user"] = generic
    segment = _segment(kept)
    if segment and "pain" not in out.gave:
        out.thin["user_pain"] = segment
    measurable = _first(d.MEASURABLE, kept, 2, 1)
    about_metrics = bool(METRIC_TALK.search(joined) or d.DIRECTION.search(joined))
    if "metric" not in out.gave and measurable and about_metrics and not d.NUMBER.search(joined):
        out.thin["metric_no_target"] = measurable
    if "metric" in out.gave:
        target = _metric_phrase(kept)
        if "guardrail" not in out.gave and target:
            out.thin["metric_no_guardrail"] = target
        if "experiment" not in out.gave and target:
            out.thin["metric_no_experiment"] = target
    if len(d.SEQUENCE.findall(joined)) >= 2 and "checkpoint" not in out.gave:
        step = _first(d.SEQUENCE, kept, 0, 6)
        if step:
            out.thin["plan_no_checkpoint"] = step
    claim = _first(CLAIM, kept, 2, 4)
    if claim and "mechanism" not in out.gave:
        out.thin["claim_no_mechanism"] = claim
    risk = _first(d.RISK, kept, 2, 3)
    if risk and "mitigation" not in out.gave:
        out.thin["risk_no_mitigation"] = risk
    we = _first(re.compile(r"\bwe\b"), kept, 0, 6)
    if we and "ownership" not in out.gave and len(d.WE.findall(joined)) >= 3:
        out.thin["we_no_i"] = we
    # quotable specifics: numbers with what they count, then segments, then claims
    number = _first(d.QUANTITY, kept, 2, 3) or _first(d.NUMBER, kept, 2, 3)
    built = _first(BUILD, kept, 0, 6)
    for phrase in (number, built, segment, _metric_phrase(kept), claim, generic, measurable):
        if phrase and phrase not in out.pickups and len(phrase.split()) >= 2:
            out.pickups.append(phrase)
    if not out.pickups and kept:
        opening = _STOP_AT.split(kept[0], maxsplit=1)[0].split()
        if len(opening) >= 2:
            out.pickups.append(" ".join(opening[:6]))
    if not out.gave & SPECIFICS and not out.thin and out.pickups:
        out.thin["no_specifics"] = out.pickups[0]
    return out


def _subject(texts: list[str]) -> list[str]:
    """What an off-topic answer is about: its most repeated content word, quoted with its neighbour."""
    from collections import Counter

    words = [w for t in texts for w in re.findall(r"[A-Za-z][A-Za-z'-]{3,}", t)]
    counts = Counter(w.lower() for w in words if w.lower() not in _DANGLING)
    for word, _n in counts.most_common(5):
        for text in texts:
            m = re.search(rf"\b{re.escape(word)}\b", text, re.IGNORECASE)
            if m:
                phrase = _phrase(text, m.start(), m.end(), 1, 1)
                if len(phrase.split()) >= 2:
                    return [phrase]
    return []


def _segment(texts: list[str]) -> str | None:
    """The first specific person or segment in a situation ("first-time home buyers who stall")."""
    for text in texts:
        low = d.lower(text)
        if not d.DETECTORS["user"](low, low, text):
            continue
        for m in d.PERSON.finditer(text.lower()):
            phrase = _phrase(text, m.start(), m.end(), 2, 3)
            if len(phrase.split()) >= 2:
                return phrase
    return None


def _metric_phrase(texts: list[str]) -> str | None:
    for text in texts:
        low = d.lower(text)
        if d.DETECTORS["metric"](low, low, text):
            low = text.lower()
            m = PERCENT.search(low)
            if m:
                return _phrase(text, m.start(), m.end(), 4, 3)
            m = d.MEASURABLE.search(low)
            if m:
                return _phrase(text, m.start(), m.end(), 1, 5)
    return None


def given_so_far(transcript: Transcript, reading: Reading | None = None) -> set[str]:
    """Everything any answer has given so far: never ask for these again."""
    reading = reading or read(transcript)
    out: set[str] = set()
    for turn in transcript.candidate_turns():
        out |= read_answer(transcript, turn.index, reading).gave
    return out
