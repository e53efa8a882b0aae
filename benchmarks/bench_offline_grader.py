"""Offline grading speed: a few hundred generated ~1,000-word transcripts, graded on one core.

Target: under 5 ms per 1,000-word transcript. Transcripts are generated from a fixed seed by mixing
specific and generic sentences, so every detector does real work.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time

from _record import record
from mockint import rubrics
from mockint.domain import Transcript, TranscriptMeta, Turn
from mockint.grading.offline import grade
from mockint.grading.sentences import word_count

SENTENCES = [
    "I'd focus on first-time home buyers who save dozens of renovation pins a week but stall before buying.",
    "Weekly saves per planner user should rise 10% within 8 weeks, with hide rate under 2% as a guardrail.",
    "First we dogfood internally for two weeks, then ramp to 5% of pinners only if complaints stay below 0.5%.",
    "I would give up freshness rather than latency, because people abandon slow boards.",
    "The risk is popularity bias, so we audit exposure by creator size weekly and re-rank when it skews.",
    "We will leverage personalisation and our north star metric with A/B tests for all users.",
    "It is really important to be data-driven and customer-obsessed in everything we do here.",
    "An API is like a waiter who carries your order to the kitchen and brings back the dish.",
    "I rewrote the ranking spec and convinced the data science lead to drop the stale feature.",
    "In hindsight I should have involved the legal team two months earlier than I did.",
    "The team met regularly, discussed priorities, and aligned on the roadmap for the quarter.",
    "Creators who post niche craft tutorials need their boards discovered by the right hobbyists.",
]


FILLER = ["honestly", "really", "in practice", "as I see it", "on balance", "to be fair", "frankly", "broadly"]


def _sentence(rng: random.Random) -> str:
    """A template sentence made unique (numbers and a filler phrase vary) so no cache can flatter the figures."""
    base = rng.choice(SENTENCES)
    words = base.split()
    words.insert(rng.randrange(1, len(words)), rng.choice(FILLER) + ",")
    text = " ".join(words)
    return text.replace("10%", f"{rng.randint(2, 40)}%").replace("two", str(rng.randint(2, 9)))


def make_transcript(rng: random.Random, words: int = 1000) -> Transcript:
    turns: list[Turn] = []
    total = 0
    while total < words:
        turns.append(Turn(index=len(turns) + 1, speaker="interviewer", text="Can you go deeper on that?"))
        answer = " ".join(_sentence(rng) for _ in range(rng.randint(6, 12)))
        turns.append(Turn(index=len(turns) + 1, speaker="candidate", text=answer))
        total += word_count(answer)
    return Transcript(meta=TranscriptMeta(id=f"bench-{rng.random():.6f}"), turns=turns, finished=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=300, help="transcripts to grade")
    parser.add_argument("--rubric", default="product_sense")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    loaded = rubrics.resolve(args.rubric)
    rng = random.Random(7)
    transcripts = [make_transcript(rng) for _ in range(args.n)]
    words = [sum(word_count(t.text) for t in tr.turns if t.speaker == "candidate") for tr in transcripts]
    for tr in transcripts[:5]:  # warm caches (compiled term patterns)
        grade(tr, loaded.rubric, source="bench", rubric_sha256=loaded.sha256)
    timings = []
    start = time.perf_counter()
    for tr in transcripts:
        t0 = time.perf_counter()
        grade(tr, loaded.rubric, source="bench", rubric_sha256=loaded.sha256)
        timings.append(time.perf_counter() - t0)
    wall = time.perf_counter() - start
    per_1000 = [t / w * 1000 for t, w in zip(timings, words, strict=True)]
    result = {
        "bench": "offline_grader",
        "rubric": args.rubric,
        "transcripts": args.n,
        "mean_words": round(statistics.mean(words)),
        "ms_per_1000_words_mean": round(statistics.mean(per_1000) * 1000, 3),
        "ms_per_1000_words_p95": round(sorted(per_1000)[int(0.95 * len(per_1000)) - 1] * 1000, 3),
        "transcripts_per_second": round(args.n / wall, 1),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    print(json.dumps(result, indent=2))
    target = 5.0
    print(
        f"target < {target} ms per 1,000 words: {'met' if result['ms_per_1000_words_mean'] < target else 'MISSED'}",
        file=sys.stderr,
    )
    record(result, keep=not args.no_record, show=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
