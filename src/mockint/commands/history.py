"""`mockint history`: how your scores moved over your saved sessions, per round and per criterion, and the
three criteria that improved least, each with the question to practise next."""

from __future__ import annotations

import argparse
import json
import sys

from mockint.report import history_view as hv
from mockint.services.grading import rubric_id_of
from mockint.services.history import history

EMPTY = (
    "No graded sessions yet in {folder}.\n"
    "Practise a round (mockint practice --round product_sense --plain) or grade a saved transcript, then come back.\n"
)


def run(args: argparse.Namespace) -> int:
    rubric, round_id = rubric_id_of(getattr(args, "rubric", None)), getattr(args, "round", None)
    found = history(rubric=rubric, round_id=round_id)
    folder, everything, view = found.folder, found.everything, found.view
    if (getattr(args, "format", None) or "table") == "json":
        sys.stdout.write(json.dumps(hv.to_json(view), ensure_ascii=False) + "\n")
    elif not view.sessions:
        if everything:
            which = " and ".join(x for x in (rubric and f"rubric {rubric}", round_id and f"round {round_id}") if x)
            sys.stdout.write(f"No graded sessions of {which} yet ({len(everything)} of other rubrics or rounds in {folder}).\n")
        else:
            sys.stdout.write(EMPTY.format(folder=folder))
    else:
        sys.stdout.write(hv.render_table(view))
    return 0
