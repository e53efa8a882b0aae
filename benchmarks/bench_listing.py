"""Listing the sessions (what `mockint transcript list`, the app's Recent and Transcripts lists, `report` and history
do): 40 native transcripts, each with one kept grade and then with 55, in process, median of several runs. The
ratio says how much the number of kept grades costs a listing.

    python benchmarks/bench_listing.py [--no-record]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from _record import record

REPO = Path(__file__).resolve().parents[1]
TRANSCRIPTS = 40


def make_store(root: Path, grades_each: int) -> Path:
    from mockint import gradestore, rubrics
    from mockint.grading.run import grade_file
    from mockint.transcripts.loading import load_any
    from mockint.transcripts.store import serialise

    folder = root / f"store-{grades_each}"
    folder.mkdir()
    loaded = rubrics.resolve("impact_story")
    sources = sorted((REPO / "tests" / "calibration" / "tuning" / "impact_story").glob("*.txt"))
    for i in range(TRANSCRIPTS):
        transcript = load_any(str(sources[i % len(sources)]))
        meta = transcript.meta.model_copy(update={"id": f"t{i:03d}", "round": "impact_story", "rubric": "impact_story"})
        path = folder / f"t{i:03d}.jsonl"
        path.write_bytes(serialise(transcript.model_copy(update={"meta": meta, "finished": True})))
        grade = grade_file(str(path), loaded)
        for _ in range(grades_each):
            gradestore.save(grade, path)
    return folder


def time_listing(folder: Path, runs: int) -> float:
    from mockint.services.sessions import scan_sessions

    scan_sessions(folder)  # warm: the file cache, and an index where there is one
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        sessions = scan_sessions(folder)
        timings.append(time.perf_counter() - started)
        assert len(sessions) == TRANSCRIPTS and all(s.verdict for s in sessions)
    return statistics.median(timings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["MOCKINT_HOME"] = str(Path(tmp) / "home")
        one = time_listing(make_store(Path(tmp), 1), args.runs)
        many = time_listing(make_store(Path(tmp), 55), args.runs)
    result = {
        "bench": "listing",
        "transcripts": TRANSCRIPTS,
        "ms_1_grade_each": round(one * 1000, 2),
        "ms_55_grades_each": round(many * 1000, 2),
        "ratio": round(many / one, 1),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    record(result, keep=not args.no_record)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
