"""How many tokens a grade costs a server beyond the transcript: the grader's system prompt (full and compact),
the fixed wrapping of the transcript in the user message, and the reply budget. What a server's context per
request (llama-server -c/-np, Ollama num_ctx) must hold.

    python benchmarks/bench_prompt_budget.py [--no-record]
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

from mockint import rubrics
from mockint.domain.transcript import Transcript, TranscriptMeta, Turn
from mockint.grading.llm_grader import reply_budget, system_prompt, user_message
from mockint.llm import tokens

RUBRICS = ["product_sense", "system_design", "impact_story", "technical_explainer", "program_execution", "executive"]
MODEL = "gpt-4o-mini"  # o200k_base


def overhead(rubric_id: str) -> dict[str, object]:
    rubric = rubrics.resolve(rubric_id).rubric
    empty = Transcript(meta=TranscriptMeta(id="x"), turns=[Turn(index=1, speaker="candidate", text="x")])
    wrap = tokens.count(user_message(empty, rubric, "0" * 16), MODEL) - tokens.count("[1] Candidate: x", MODEL)
    return {
        "rubric": rubric_id,
        "system_full": tokens.count(system_prompt(rubric), MODEL),
        "system_compact": tokens.count(system_prompt(rubric, compact=True), MODEL),
        "user_wrapping": wrap,
        "reply_budget": reply_budget(rubric),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    rows = [overhead(r) for r in RUBRICS]
    print("| rubric | system prompt (full) | system prompt (compact) | transcript wrapping | reply budget |")
    print("| --- | --- | --- | --- | --- |")
    for r in rows:
        cells = [r["system_full"], r["system_compact"], r["user_wrapping"], r["reply_budget"]]
        print(f"| `{r['rubric']}` | " + " | ".join(f"{c:,}" for c in cells) + " |")
    if not args.no_record:
        record = {"bench": "prompt_budget", "tokenizer": "o200k_base", "rows": rows, "python": platform.python_version(),
                  "when": time.strftime("%Y-%m-%dT%H:%M:%S")}  # fmt: skip
        with (Path(__file__).parent / "results.jsonl").open("a") as fh:
            fh.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
