"""How long the event loop stalls while a model round asks its opening question, and while it takes the first answer
(what the app's interview screen awaits): the longest gap between ticks of a 1 ms heartbeat on the loop, against a
loopback chat-completions server that answers at once. Fresh process, so the tokenizer and the prompt template are
built during the round, as in a new session of the app.

    python benchmarks/bench_loop_stall.py [--runs N] [--no-record]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _record import record

REPO = Path(__file__).resolve().parents[1]

ROUND = """
import asyncio, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from tests.chat_server import ChatServer, Reply
from mockint.services.rounds import PracticeRequest, open_round
from mockint.settings import Settings

async def main(server, out):
    settings = Settings(backend="openai", base_url=server.base_url, api_key="sk-bench", max_retries=0, timeout=5)
    session = await asyncio.to_thread(open_round, PracticeRequest("product_sense", seed=1, out=out, backend="openai"), settings)
    gaps, stop = [], False

    async def heartbeat():
        last = time.perf_counter()
        while not stop:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    beat = asyncio.ensure_future(heartbeat())
    await asyncio.sleep(0.01)
    await session.session.begin_async()
    opening = max(gaps)
    gaps.clear()
    await session.session.answer_async("I'd focus on first-time home buyers who save renovation pins but stall.")
    stop = True
    await beat
    await session.session.interviewer.aclose()
    print(opening * 1000, max(gaps) * 1000)

with ChatServer(default_reply=Reply(content="Who is it for?")) as server, tempfile.TemporaryDirectory() as tmp:
    asyncio.run(main(server, Path(tmp) / "r.jsonl"))
"""


def stall_ms(repo: Path) -> tuple[float, float]:
    env_src = str(repo / "src")
    out = subprocess.run(
        [sys.executable, "-c", ROUND, str(REPO)],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": env_src, "PATH": "/usr/bin:/bin", "HOME": str(Path.home())},
        timeout=120,
    )
    opening, answer = out.stdout.strip().splitlines()[-1].split()
    return float(opening), float(answer)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--repo", type=Path, default=REPO, help="the checkout whose src/ to measure (e.g. an old worktree)")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    runs = [stall_ms(args.repo) for _ in range(args.runs)]
    result = {
        "bench": "loop_stall",
        "runs": args.runs,
        "opening_max_stall_ms_median": round(statistics.median(r[0] for r in runs), 1),
        "first_answer_max_stall_ms_median": round(statistics.median(r[1] for r in runs), 1),
        "first_answer_max_stall_ms_max": round(max(r[1] for r in runs), 1),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    record(result, keep=not args.no_record)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
