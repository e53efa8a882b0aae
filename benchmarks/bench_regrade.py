"""Regrade at scale. (1) 1,000 transcripts with the offline grader: wall time and peak memory of the
process, against the ideal (the in-process grading time per transcript, times n, over the cores).
(2) The LLM grader against a loopback chat-completions server that takes 200 ms per reply,
at concurrency 16: wall time as a fraction of the ideal bound (n x 0.2 s / 16).

The transcripts are the calibration set's, copied with a numbered line so each one is distinct.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def make_cohort(folder: Path, n: int) -> None:
    sources = sorted((REPO / "tests" / "calibration" / "tuning").glob("*/*.txt"))
    for i in range(n):
        src = sources[i % len(sources)]
        (folder / f"{i:05d}-{src.name}").write_text(src.read_text() + f"\nCandidate: (transcript {i})\n")


def run_regrade(folder: Path, env: dict[str, str], *extra: str) -> tuple[float, int, str]:
    """Wall seconds, peak RSS in KiB of the regrade process, and its stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "mockint", "regrade", str(folder), "--rubric", "impact_story", *extra],
        capture_output=True,
        text=True,
        env=env,
        timeout=3600,
    )
    wall = time.perf_counter() - started
    if out.returncode not in (0, 1):
        raise RuntimeError(out.stderr)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before), out.stdout


def grading_ms(folder: Path) -> float:
    """Mean in-process milliseconds to load and grade one transcript of the cohort (warm, nothing kept): the ideal
    regrade is this times n over the cores."""
    from mockint import rubrics
    from mockint.grading.run import grade_file

    loaded = rubrics.resolve("impact_story")
    files = sorted(str(p) for p in folder.iterdir())
    for f in files[:20]:
        grade_file(f, loaded)
    started = time.perf_counter()
    for f in files:
        grade_file(f, loaded)
    return (time.perf_counter() - started) / len(files) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--offline", type=int, default=1000, help="transcripts for the offline run")
    parser.add_argument("--llm", type=int, default=320, help="transcripts for the LLM run")
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    from tests.chat_server import ChatServer, Reply

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "MOCKINT_BACKEND")}
        env["MOCKINT_HOME"] = str(root / "home")
        offline = root / "offline"
        offline.mkdir()
        make_cohort(offline, args.offline)
        ideal_ms = grading_ms(offline)
        wall, rss, _ = run_regrade(offline, env, "--grader", "offline")
        workers = os.cpu_count() or 1
        results.append(
            {
                "bench": "regrade_offline",
                "transcripts": args.offline,
                "wall_s": round(wall, 2),
                "per_transcript_ms": round(wall / args.offline * 1000, 2),
                "peak_rss_mib": round(rss / 1024, 1),  # the largest single process (the pool's workers are separate)
                "cores": workers,
                "ideal_s": round(ideal_ms / 1000 * args.offline / workers, 2) if ideal_ms else None,
                "vs_ideal": round(wall / (ideal_ms / 1000 * args.offline / workers), 2) if ideal_ms else None,
            }
        )
        if args.llm:  # --llm 0: the offline run only
            llm = root / "llm"
            llm.mkdir()
            make_cohort(llm, args.llm)
            ids = ["narrative_structure", "quantified_impact", "personal_ownership", "model_to_outcome", "learning"]
            content = json.dumps(
                {"criteria": [{"id": i, "evidence": [], "reasoning": "r", "score": 2} for i in ids], "injection_attempt": False}
            )
            with ChatServer(default_reply=Reply(content=content, delay=args.latency)) as server:
                (root / "home").mkdir(exist_ok=True)
                (root / "home" / "config.toml").write_text("[llm]\nmax_retries = 0\ntimeout = 30\n")
                llm_env = {**env, "OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "sk-bench"}
                wall, _, stdout = run_regrade(llm, llm_env, "--grader", "llm", "--concurrency", str(args.concurrency))
                ideal = args.llm * args.latency / args.concurrency
                results.append(
                    {
                        "bench": "regrade_llm",
                        "transcripts": args.llm,
                        "latency_s": args.latency,
                        "concurrency": args.concurrency,
                        "wall_s": round(wall, 2),
                        "ideal_s": round(ideal, 2),
                        "fraction_of_ideal": round(ideal / wall, 3),
                        "requests": len(server.chat_requests),
                        "graded": stdout.splitlines()[0] if stdout else "",
                        "failures": [line.strip() for line in stdout.splitlines() if "failed:" in line][:5],
                    }
                )
    for r in results:
        r.update(python=platform.python_version(), machine=platform.machine(), when=time.strftime("%Y-%m-%dT%H:%M:%S"))
    print(json.dumps(results, indent=2))
    if not args.no_record:
        with (Path(__file__).parent / "results.jsonl").open("a") as fh:
            for r in results:
                fh.write(json.dumps(r) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
