"""The offline grader: rubric signals found in the candidate's own sentences, quoted as evidence.

Rewards substance, not words: detectors demand specifics, each sentence can back only a few
signals (so one stuffed sentence cannot satisfy a rubric), length adds nothing once a signal is
shown, and paragraphs that address a grader are dropped and flagged `injection_attempt`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

from mockint import __version__
from mockint.domain.grade import CriterionGrade, Evidence, Grade
from mockint.domain.rubric import Criterion, Rubric, Signal
from mockint.domain.transcript import Transcript
from mockint.grading import detectors as d
from mockint.grading.scoring import practise_next, verdict, weighted_score
from mockint.grading.sentences import Sentence, candidate_sentences

GRADER_NAME = "offline"
SIGNALS_PER_SENTENCE = 2
IMPLEMENTATION_SHARE = 0.35
PROCESS_SHARE = 0.30
MAX_EVIDENCE = 3


@lru_cache(maxsize=512)
def _terms_pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    if not terms:
        return None
    return re.compile("|".join(f"(?<!\\w)(?:{t})(?!\\w)" for t in terms), re.IGNORECASE)


@dataclass
class Analysis:
    """What the detectors found in a transcript: usable sentences, dropped ones, and shares for penalties."""

    sentences: list[Sentence]
    windows: list[str]
    injected: list[Sentence] = field(default_factory=list)
    implementation_share: float = 0.0
    process_share: float = 0.0
    vague_we: bool = False


def analyse(transcript: Transcript) -> Analysis:
    every = candidate_sentences(transcript)
    bad_paras = {(s.turn, s.para) for s in every if d.INJECTION.search(s.text)}
    injected = [s for s in every if (s.turn, s.para) in bad_paras]
    kept = [s for s in every if (s.turn, s.para) not in bad_paras]
    windows = [" ".join(x.text for x in kept[max(0, i - 1) : i + 2] if x.turn == s.turn) for i, s in enumerate(kept)]
    words = sum(s.words for s in kept) or 1
    impl = sum(s.words for s in kept if len(d.IMPLEMENTATION.findall(s.text)) >= 2)
    proc = sum(s.words for s in kept if d.PROCESS.search(s.text))
    text = " ".join(s.text for s in kept)
    we = len(d.WE.findall(text))
    mine = len(d.I_SUBJECT.findall(text))
    owned = any(d.OWNERSHIP.search(s.text) for s in kept)
    return Analysis(kept, windows, injected, impl / words, proc / words, we >= 3 and (not owned or we > 4 * max(mine, 1)))


def signal_hits(signal: Signal, analysis: Analysis) -> list[int]:
    """Indexes of the sentences on which this signal fires."""
    pattern = _terms_pattern(tuple(signal.terms))
    check = d.DETECTORS[signal.detector] if signal.detector else None
    hits = []
    for i, sentence in enumerate(analysis.sentences):
        if pattern is not None and not pattern.search(sentence.text):
            continue
        if check is not None and not check(sentence.text, analysis.windows[i]):
            continue
        hits.append(i)
    return hits


def _level(rubric: Rubric, ratio: float) -> int:
    """Map the share of signal weight shown onto the rubric's scale (round half up)."""
    levels = [lvl.score for lvl in rubric.scale]
    position = int(ratio * (len(levels) - 1) + 0.5)
    return levels[min(position, len(levels) - 1)]


def _penalties(crit: Criterion, analysis: Analysis) -> list[str]:
    out = []
    if "implementation_heavy" in crit.penalties and analysis.implementation_share > IMPLEMENTATION_SHARE:
        out.append(f"{analysis.implementation_share:.0%} of the answer is schemas, endpoints and storage detail")
    if "process_only" in crit.penalties and analysis.process_share > PROCESS_SHARE:
        out.append(f"{analysis.process_share:.0%} of the answer is sprint and ticket process")
    if "vague_we" in crit.penalties and analysis.vague_we:
        out.append("the story says 'we' throughout and never what you personally did")
    return out


def grade_criteria(rubric: Rubric, analysis: Analysis) -> list[CriterionGrade]:
    used: dict[int, int] = {}
    results: dict[str, CriterionGrade] = {}
    order = sorted(rubric.criteria, key=lambda c: (not c.must_pass, -c.weight))
    for crit in order:
        shown: list[tuple[Signal, int]] = []
        missing: list[str] = []
        for signal in crit.signals:
            free = [i for i in signal_hits(signal, analysis) if used.get(i, 0) < SIGNALS_PER_SENTENCE]
            if free:
                used[free[0]] = used.get(free[0], 0) + 1
                shown.append((signal, free[0]))
            else:
                missing.append(signal.description)
        total = sum(s.weight for s in crit.signals)
        ratio = sum(s.weight for s, _ in shown) / total
        score = _level(rubric, ratio)
        penalties = _penalties(crit, analysis)
        if penalties:  # each penalty drops one level of the scale
            levels = [lvl.score for lvl in rubric.scale]
            score = levels[max(0, levels.index(score) - len(penalties))]
        if not shown:
            score = min(score, rubric.evidence_cap)
        evidence = []
        for _signal, i in shown:
            s = analysis.sentences[i]
            if len(evidence) < MAX_EVIDENCE and all(e.quote != s.text for e in evidence):
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
        results[crit.id] = CriterionGrade(
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
    return [results[c.id] for c in rubric.criteria]


def grade(transcript: Transcript, rubric: Rubric, *, source: str, rubric_sha256: str) -> Grade:
    """Grade one transcript against one rubric, offline and deterministically."""
    analysis = analyse(transcript)
    criteria = grade_criteria(rubric, analysis)
    score = weighted_score(rubric, criteria)
    outcome, reasons = verdict(rubric, criteria, score)
    flags = ["injection_attempt"] if analysis.injected else []
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
        practise_next=practise_next(rubric, criteria),
        graded_at=datetime.now(UTC),
        app_version=__version__,
    )
