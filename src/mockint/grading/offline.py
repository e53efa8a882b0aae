"""The offline grader: rubric signals found in the candidate's own sentences, quoted as evidence.

Rewards substance, not words: detectors demand specifics, each sentence can back only a few
signals (so one stuffed sentence cannot satisfy a rubric), length adds nothing once a signal is
shown, and paragraphs that address a grader are dropped and flagged `injection_attempt`.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property, lru_cache

from mockint import __version__
from mockint.domain.grade import CriterionGrade, Evidence, Finding, Grade
from mockint.domain.rubric import Criterion, Rubric, Signal
from mockint.domain.transcript import Transcript
from mockint.grading import detectors as d
from mockint.grading import fastregex as fast
from mockint.grading.levels import level_index
from mockint.grading.reading import Reading, read
from mockint.grading.scoring import practise_next, verdict, weighted_score
from mockint.grading.sentences import Sentence

_WORD = re.compile(r"\w+")
GRADER_NAME = "offline"
SIGNALS_PER_SENTENCE = 2
IMPLEMENTATION_SHARE = 0.35
PROCESS_SHARE = 0.30
MAX_EVIDENCE = 3
# An answer over this many words that shows fewer than this many of the rubric's signals per 100 words rambles.
RAMBLE_WORDS = 450
RAMBLE_DENSITY = 1.5
# A sentence firing at least STUFFED_SIGNALS of the rubric's signals, with fewer than STUFFED_WORDS_PER_SIGNAL
# words for each, is a list of buzzwords rather than claims.
STUFFED_SIGNALS = 4
STUFFED_WORDS_PER_SIGNAL = 5


@dataclass(frozen=True)
class Matcher:
    """A compiled pattern plus the literal prefixes that every match must start with (None: unknown).

    Alternatives that are one whole word ("rollout", "saves?") or a word start ("struggl\\w*") are answered
    from the sentence word index without running any regex (`words`, `starts`); `pattern` and `prefixes`
    cover the rest (None when there is no rest)."""

    pattern: re.Pattern[str] | None
    prefixes: tuple[str, ...] | None
    words: tuple[str, ...] = ()
    starts: tuple[str, ...] = ()
    # per remaining alternative, the word-start sets a sentence must meet (one of each) to be searched at all
    filters: tuple[tuple[tuple[str, ...], ...], ...] | None = None


_LITERAL = re.compile(r"[a-z0-9_]+")
_PLURAL = re.compile(r"([a-z0-9_]+)s\?")
_STARTS = re.compile(r"([a-z0-9_]+)\\w\*")


@lru_cache(maxsize=512)
def _terms_matcher(terms: tuple[str, ...]) -> Matcher | None:
    """One alternation of the signal's terms, whole words only, for lower-cased text."""
    if not terms:
        return None
    words: list[str] = []
    starts: list[str] = []
    rest: list[str] = []
    for alt in (alt for t in terms for alt in fast.split_top(d.lower_regex(t))):
        if _LITERAL.fullmatch(alt):
            words.append(alt)
        elif plural := _PLURAL.fullmatch(alt):
            words += [plural.group(1), plural.group(1) + "s"]
        elif start := _STARTS.fullmatch(alt):
            starts.append(start.group(1))
        else:
            rest.append(alt)
    pattern = re.compile("(?<!\\w)" + fast.group_by_first_letter(rest) + "(?!\\w)") if rest else None
    prefixes = fast.literal_prefixes(rest) if rest else []
    needs = [tuple(fast.required_starts(alt)) for alt in rest]
    filters = tuple(needs) if all(needs) else None
    return Matcher(pattern, tuple(prefixes) if prefixes is not None else None, tuple(words), tuple(starts), filters)


GATE_MATCHERS: dict[str, Matcher] = {}
for _name, _pattern in d.GATES.items():
    _source = d.GATE_WORDS.get(_name)
    _prefixes = fast.literal_prefixes(fast.split_top(_source)) if _source else None
    GATE_MATCHERS[_name] = Matcher(_pattern, tuple(_prefixes) if _prefixes is not None else None)


@dataclass
class Analysis:
    """What the detectors found in a transcript: usable sentences, dropped ones, and shares for penalties.

    Detector results are cached per sentence, since several signals share a detector."""

    sentences: list[Sentence]
    lowered: list[str]
    windows: list[str]
    reading: Reading
    _cache: dict[tuple[str, int], bool] = field(default_factory=dict)
    _found: dict[Matcher, list[int]] = field(default_factory=dict)
    _words: list[str] = field(default_factory=list)
    _where: dict[str, list[int]] = field(default_factory=dict)
    _hits: dict[tuple[tuple[str, ...], str | None], list[int]] = field(default_factory=dict)
    _jargon: dict[int, bool] = field(default_factory=dict)
    adjacent: list[bool] = field(default_factory=list)  # sentence i and i + 1 stood side by side in one answer

    @cached_property
    def _total_words(self) -> int:
        return sum(s.words for s in self.sentences) or 1

    @cached_property
    def implementation_share(self) -> float:
        """Share of the answer's words in sentences about schemas, endpoints and storage (computed when a penalty asks)."""
        low = self.lowered
        return (
            sum(s.words for s, t in zip(self.sentences, low, strict=True) if len(d.IMPLEMENTATION.findall(t)) >= 2)
            / self._total_words
        )

    @cached_property
    def process_share(self) -> float:
        """Share of the answer's words in sentences about sprints and tickets."""
        return sum(s.words for s, t in zip(self.sentences, self.lowered, strict=True) if d.PROCESS.search(t)) / self._total_words

    def jargon(self, i: int) -> bool:
        """Whether sentence i is management words with nothing measurable in it: it backs no signal."""
        hit = self._jargon.get(i)
        if hit is None:
            hit = self._jargon[i] = d.jargon_only(self.lowered[i])
        return hit

    @cached_property
    def vague_we(self) -> bool:
        """'We' throughout and no personal role."""
        we = sum(len(d.WE.findall(t)) for t in self.lowered)
        if we < 3:
            return False
        mine = sum(len(d.I_SUBJECT.findall(s.text)) for s in self.sentences)
        owned = any(d.OWNERSHIP.search(s.text) for s in self.sentences)
        return not owned or we > 4 * max(mine, 1)

    def __post_init__(self) -> None:
        where: defaultdict[str, list[int]] = defaultdict(list)
        for i, low in enumerate(self.lowered):
            for word in set(_WORD.findall(low)):
                where[word].append(i)
        self._where = dict(where)
        self._words = sorted(where)

    def _candidates(self, prefixes: tuple[str, ...]) -> set[int]:
        """Sentences holding a word that starts with one of the prefixes (a superset of the matches)."""
        out: set[int] = set()
        for prefix in prefixes:
            if prefix.endswith(fast.EXACT):
                out.update(self._where.get(prefix[:-1], ()))
                continue
            start = bisect_left(self._words, prefix)
            for word in itertools.islice(self._words, start, None):
                if not word.startswith(prefix):
                    break
                out.update(self._where[word])
        return out

    def _meeting(self, needs: tuple[tuple[str, ...], ...]) -> set[int]:
        """Sentences holding, for every set of word starts, a word with one of them."""
        out = self._candidates(needs[0])
        for starts in needs[1:]:
            if not out:
                break
            out &= self._candidates(starts)
        return out

    def matching(self, matcher: Matcher) -> list[int]:
        """Indexes of sentences where the matcher matches: whole words and word starts straight from the word
        index, the remaining pattern searched only in prefiltered sentences."""
        found = self._found.get(matcher)
        if found is None:
            hits = self._candidates(matcher.starts) if matcher.starts else set()
            for word in matcher.words:
                hits.update(self._where.get(word, ()))
            if matcher.pattern is not None:
                if matcher.filters is not None:
                    pool: Iterable[int] = set().union(*(self._meeting(needs) for needs in matcher.filters))
                elif matcher.prefixes is not None:
                    pool = self._candidates(matcher.prefixes)
                else:
                    pool = range(len(self.lowered))
                pattern = matcher.pattern
                hits.update(i for i in pool if i not in hits and pattern.search(self.lowered[i]))
            found = self._found[matcher] = sorted(hits)
        return found

    def near(self, found: list[int]) -> list[int]:
        """The sentences in `found` and the sentences right beside them in the transcript, in order."""
        out: set[int] = set(found)
        adjacent = self.adjacent
        for i in found:
            if i and adjacent[i - 1]:
                out.add(i - 1)
            if adjacent[i]:
                out.add(i + 1)
        return sorted(out)

    def detects(self, detector: str, i: int) -> bool:
        key = (detector, i)
        hit = self._cache.get(key)
        if hit is None:
            hit = d.DETECTORS[detector](self.lowered[i], self.windows[i], self.sentences[i].text)
            self._cache[key] = hit
        return hit


def analyse(transcript: Transcript) -> Analysis:
    """The shared reading (own, on-topic, committed, unique sentences), indexed for the signals; the shares
    penalties need are computed only when a criterion has that penalty."""
    reading = read(transcript)
    kept = reading.kept
    lowered = [d.lower(s.text) for s in kept]
    # neighbours in the transcript, never two sentences brought together by dropping what stood between them
    adjacent = [
        i + 1 < len(kept) and kept[i + 1].turn == s.turn and kept[i + 1].pos == s.pos + 1 for i, s in enumerate(kept)
    ]
    windows = [
        " ".join([*([lowered[i - 1]] if i and adjacent[i - 1] else []), low, *([lowered[i + 1]] if adjacent[i] else [])])
        for i, low in enumerate(lowered)
    ]
    return Analysis(kept, lowered, windows, reading, adjacent=adjacent)


def signal_hits(signal: Signal, analysis: Analysis) -> list[int]:
    """Indexes of the sentences on which this signal fires (cached: stuffing, evidence and rambling all ask)."""
    key = (tuple(signal.terms), signal.detector)
    found = analysis._hits.get(key)
    if found is None:
        found = analysis._hits[key] = _signal_hits(signal, analysis)
    return found


def _signal_hits(signal: Signal, analysis: Analysis) -> list[int]:
    matcher = _terms_matcher(tuple(signal.terms))
    if signal.detector is None:
        return analysis.matching(matcher) if matcher is not None else []
    if matcher is None:  # the detector's gate narrows the sentences to check
        return [i for i in analysis.matching(GATE_MATCHERS[signal.detector]) if analysis.detects(signal.detector, i)]
    # People spread one claim over two sentences ("The cause was fan-out. ... The trade-off was a minute's
    # staleness"): the detector must fire on the sentence quoted, the signal's words may sit beside it.
    return [i for i in analysis.near(analysis.matching(matcher)) if analysis.detects(signal.detector, i)]


def share_shown(crit: Criterion, chosen: dict[str, int]) -> float:
    """The share of the criterion's signal weight that its evidence shows."""
    return sum(s.weight for s in crit.signals if s.id in chosen) / sum(s.weight for s in crit.signals)


def criterion_level(
    rubric: Rubric, share: float, penalties: int, shown: bool, vague: bool, cuts: tuple[float, ...] | None = None
) -> int:
    """The level from the share shown (through the fitted cut-offs), one level lower per penalty; no evidence
    caps it at the rubric's floor, and evidence with no specifics stops short of a top anchor that asks for them."""
    levels = [lvl.score for lvl in rubric.scale]
    index = level_index(share, len(levels), cuts)
    if vague and index == len(levels) - 1:
        index -= 1
    score = levels[max(0, index - penalties)]
    return score if shown else min(score, rubric.evidence_cap)


def _penalties(crit: Criterion, analysis: Analysis) -> list[str]:
    out = []
    if "implementation_heavy" in crit.penalties and analysis.implementation_share > IMPLEMENTATION_SHARE:
        out.append(f"{analysis.implementation_share:.0%} of the answer is schemas, endpoints and storage detail")
    if "process_only" in crit.penalties and analysis.process_share > PROCESS_SHARE:
        out.append(f"{analysis.process_share:.0%} of the answer is sprint and ticket process")
    if "vague_we" in crit.penalties and analysis.vague_we:
        out.append("the story says 'we' throughout and never what you personally did")
    return out


def assign(signals: list[Signal], hits: dict[str, list[int]], capacity: int = SIGNALS_PER_SENTENCE) -> dict[str, int]:
    """The heaviest set of one criterion's signals that can each be backed by a different claim, a sentence
    backing at most `capacity` of them: greedy by weight with augmenting paths, which is optimal (the
    backable sets form a transversal matroid) and independent of the order signals are listed in."""
    chosen: dict[str, int] = {}
    load: dict[int, list[str]] = {}

    def augment(sid: str, visited: set[int]) -> bool:
        for i in hits[sid]:
            if i in visited:
                continue
            visited.add(i)
            holders = load.setdefault(i, [])
            if len(holders) < capacity:
                holders.append(sid)
                chosen[sid] = i
                return True
            for other in list(holders):
                if augment(other, visited):
                    holders.remove(other)
                    holders.append(sid)
                    chosen[sid] = i
                    return True
        return False

    for signal in sorted(signals, key=lambda s: (-s.weight, s.id)):
        if hits[signal.id]:
            augment(signal.id, set())
    return chosen


def stuffed_sentences(rubric: Rubric, analysis: Analysis) -> frozenset[int]:
    """Sentences that are buzzword lists: they fire many of the rubric's signals in few words. They may still
    back a signal whose detector demands substance, but not one that only wants its words said."""
    fired: Counter[int] = Counter()
    for crit in rubric.criteria:
        for signal in crit.signals:
            hits = signal_hits(signal, analysis)
            matcher = _terms_matcher(tuple(signal.terms))
            if matcher is not None:  # the sentence's own words count, not a neighbour's
                own = set(analysis.matching(matcher))
                hits = [i for i in hits if i in own]
            fired.update(hits)
    return frozenset(
        i for i, n in fired.items() if n >= STUFFED_SIGNALS and analysis.sentences[i].words < STUFFED_WORDS_PER_SIGNAL * n
    )


def evidence_map(rubric: Rubric, analysis: Analysis) -> dict[str, dict[str, int]]:
    """For each criterion, the sentence backing each signal it shows (criterion id -> signal id -> sentence)."""
    stuffed = stuffed_sentences(rubric, analysis)
    jargon = analysis.jargon
    out: dict[str, dict[str, int]] = {}
    for crit in rubric.criteria:
        hits = {}
        for signal in crit.signals:
            found = [i for i in signal_hits(signal, analysis) if not jargon(i)]
            hits[signal.id] = found if signal.detector else [i for i in found if i not in stuffed]
        out[crit.id] = assign(list(crit.signals), hits)
    return out


def rambling_turns(rubric: Rubric, analysis: Analysis, chosen: dict[str, dict[str, int]] | None = None) -> dict[int, int]:
    """Answers that run long with little in them: over RAMBLE_WORDS words, showing fewer than RAMBLE_DENSITY of
    the rubric's signals per 100 words (each signal once, wherever the grade cites it). Returns turn -> words;
    empty unless such answers hold most of what the candidate said, since one long answer among crisp ones
    is not a ramble."""
    chosen = chosen if chosen is not None else evidence_map(rubric, analysis)
    signals: dict[int, set[tuple[str, str]]] = {}
    for cid, backing in chosen.items():
        for sid, i in backing.items():
            signals.setdefault(analysis.sentences[i].turn, set()).add((cid, sid))
    words: dict[int, int] = {}
    for s in analysis.sentences:
        words[s.turn] = words.get(s.turn, 0) + s.words
    long = {t: n for t, n in words.items() if n > RAMBLE_WORDS and len(signals.get(t, ())) * 100 < RAMBLE_DENSITY * n}
    return long if sum(long.values()) * 2 >= sum(words.values()) else {}


# Words in a criterion's top anchor that ask for specifics.
_ASKS_SPECIFICS = re.compile(
    r"\b(?:numbers?|sizes?|sized|quantif\w*|metrics?|rates?|dates?|deadlines?|how much|how often|targets?|measur\w*|"
    r"percent\w*|share of|checkpoints?|thresholds?|length|time frame|cost in time)\b|%"
)


@lru_cache(maxsize=256)
def _anchor_asks(anchor: str) -> bool:
    return bool(_ASKS_SPECIFICS.search(anchor.lower()))


def wants_specifics(rubric: Rubric, crit: Criterion) -> bool:
    """Whether the criterion's top anchor asks for a number, size, date or the like (read from the rubric)."""
    return _anchor_asks(crit.anchors.get(rubric.max_score, ""))


def _specific(lowered: str) -> bool:
    return d.has_number(lowered) or d.has_quantity(lowered) or d.has_timeframe(lowered)


def judge_criterion(
    rubric: Rubric, crit: Criterion, analysis: Analysis, chosen: dict[str, int], rambling: bool
) -> CriterionGrade:
    """One criterion from the evidence backing its own signals: no weight or criterion order can change it.
    (Rambling, a property of the whole answer, lowers every criterion alike.)"""
    shown = [(s, chosen[s.id]) for s in crit.signals if s.id in chosen]
    missing = [s.description for s in crit.signals if s.id not in chosen]
    penalties = _penalties(crit, analysis)
    if rambling:
        penalties.append("the answers ran long with little decided in them")
    share = share_shown(crit, chosen)
    vague = bool(shown) and wants_specifics(rubric, crit) and not any(_specific(analysis.lowered[i]) for _, i in shown)
    score = criterion_level(rubric, share, len(penalties), bool(shown), vague)
    if vague and level_index(share, len(rubric.scale)) == len(rubric.scale) - 1:
        penalties.append("nothing in the evidence is specific: no number, size or date")
    evidence: list[Evidence] = []
    for i in sorted({i for _, i in shown}):
        s = analysis.sentences[i]
        if len(evidence) < MAX_EVIDENCE:
            evidence.append(Evidence(turn=s.turn, quote=s.text))
    parts = []
    if shown:
        turns = sorted({analysis.sentences[i].turn for _, i in shown})
        parts.append(f"Shown: {'; '.join(s.description for s, _ in shown)} (turn {', '.join(map(str, turns))}).")
    if missing:
        parts.append(f"Missing: {'; '.join(missing)}.")
    if penalties:
        parts.append(f"Lowered because {'; '.join(penalties)}.")
    parts.append(f"Level {score} ({rubric.label(score)}): {crit.anchors[score]}")
    return CriterionGrade(
        id=crit.id,
        title=crit.title,
        score=score,
        max=rubric.max_score,
        weight=crit.weight,
        must_pass=crit.must_pass,
        evidence=evidence,
        rationale=" ".join(parts),
        missing=missing + penalties,
    )


def judge_all(rubric: Rubric, analysis: Analysis) -> tuple[list[CriterionGrade], dict[int, int]]:
    """Every criterion, and the rambling answers (turn -> words) that lowered them."""
    chosen = evidence_map(rubric, analysis)
    rambles = rambling_turns(rubric, analysis, chosen)
    return [judge_criterion(rubric, crit, analysis, chosen[crit.id], bool(rambles)) for crit in rubric.criteria], rambles


def grade_criteria(rubric: Rubric, analysis: Analysis) -> list[CriterionGrade]:
    return judge_all(rubric, analysis)[0]


def grade(transcript: Transcript, rubric: Rubric, *, source: str, rubric_sha256: str) -> Grade:
    """Grade one transcript against one rubric, offline and deterministically."""
    analysis = analyse(transcript)
    criteria, rambles = judge_all(rubric, analysis)
    score = weighted_score(rubric, criteria)
    outcome, reasons = verdict(rubric, criteria, score)
    reading = analysis.reading
    flags = reading.flags
    findings = [Finding(turn=f.turn, kind=f.kind, note=f.note) for f in reading.findings]
    if rambles:
        flags = sorted({*flags, "rambling"})
        findings += [
            Finding(turn=t, kind="rambling", note=f"turn {t} ran to {n} words with little decided in it")
            for t, n in sorted(rambles.items())
        ]
    if "insufficient_evidence" in flags:
        reasons.append(f"not enough evidence to judge: only {reading.words} words answered the questions")
    return Grade(
        transcript=source,
        transcript_id=transcript.meta.id,
        rubric=rubric.id,
        rubric_version=rubric.version,
        rubric_sha256=rubric_sha256,
        grader=GRADER_NAME,
        score=score,
        verdict=outcome,
        criteria=criteria,
        flags=flags,
        verdict_reasons=reasons,
        findings=findings,
        confidence=reading.confidence,
        practise_next=practise_next(rubric, criteria),
        graded_at=datetime.now(UTC),
        app_version=__version__,
    )
