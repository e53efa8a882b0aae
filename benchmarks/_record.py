"""What every benchmark does with its figures: print them, and append them to results.jsonl unless told not to."""

from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).parent / "results.jsonl"


def record(result: dict[str, object], *, keep: bool = True, show: bool = True) -> None:
    if show:
        print(json.dumps(result, indent=2))
    if keep:
        with RESULTS.open("a") as fh:
            fh.write(json.dumps(result) + "\n")
