"""Split newly written labelled transcripts into the tuning and held-out sets, once, before anyone looks.

    python benchmarks/split_calibration.py tests/calibration/incoming [--batch N]

Every folder `incoming/<rubric>/` (transcripts, labels.yaml, pairs.yaml) is divided so that each
category (a failure kind such as off_topic or quoted, else the tier) alternates between the two sets,
in an order fixed by a hash of the file name: no choice by a person, and injection twins travel with
their clean original. Half goes to `tests/calibration/heldout/<rubric>/`, which tuning never reads;
the rest joins `tests/calibration/tuning/<rubric>/`. Answer pairs are split the same way.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

import yaml

KINDS = ("off_topic", "non_answer", "deferral", "quoted", "long_ramble", "keyword_stuffed", "single_question")


def _order(name: str) -> str:
    return hashlib.sha256(f"mockint-split-v1:{name}".encode()).hexdigest()


def _category(label: dict) -> str:
    return next((k for k in KINDS if k in (label.get("kinds") or [])), label["tier"])


def split(incoming: Path, batch: int = 1) -> None:
    root = incoming.parent
    groups: dict[str, list[tuple[str, dict]]] = {}
    labels_by_rubric: dict[str, list[dict]] = {}
    for folder in sorted(p for p in incoming.iterdir() if p.is_dir()):
        labels = yaml.safe_load((folder / "labels.yaml").read_text(encoding="utf-8"))["transcripts"]
        for label in labels:
            label["batch"] = batch
        labels_by_rubric[folder.name] = labels
        for label in labels:
            if not label.get("twin_of"):
                groups.setdefault(_category(label), []).append((folder.name, label))
    heldout: set[tuple[str, str]] = set()
    for category in sorted(groups):
        members = sorted(groups[category], key=lambda m: _order(f"{m[0]}/{m[1]['file']}"))
        start = int(_order(category), 16) % 2
        for i, (rubric, label) in enumerate(members):
            if (i + start) % 2 == 0:
                heldout.add((rubric, label["file"]))
    for rubric, labels in labels_by_rubric.items():
        sets: dict[str, list[dict]] = {"tuning": [], "heldout": []}
        for label in labels:
            original = label.get("twin_of") or label["file"]
            sets["heldout" if (rubric, original) in heldout else "tuning"].append(label)
        pairs_file = incoming / rubric / "pairs.yaml"
        pairs = yaml.safe_load(pairs_file.read_text(encoding="utf-8"))["pairs"] if pairs_file.exists() else []
        pair_sets: dict[str, list[dict]] = {"tuning": [], "heldout": []}
        for i, pair in enumerate(sorted(pairs, key=lambda p: _order(p["question"] + p["better"]))):
            pair_sets["heldout" if i % 2 == 0 else "tuning"].append(pair)
        for name, chosen in sets.items():
            dest = root / name / rubric
            dest.mkdir(parents=True, exist_ok=True)
            for label in chosen:
                shutil.copy2(incoming / rubric / label["file"], dest / label["file"])
            labels_path = dest / "labels.yaml"
            existing = yaml.safe_load(labels_path.read_text(encoding="utf-8")) if labels_path.exists() else None
            merged = (existing or {"rubric": rubric, "transcripts": []})["transcripts"] + chosen
            labels_path.write_text(
                yaml.safe_dump({"rubric": rubric, "transcripts": merged}, sort_keys=False, allow_unicode=True, width=120),
                encoding="utf-8",
            )
            if pair_sets[name]:
                pairs_path = dest / "pairs.yaml"
                old = yaml.safe_load(pairs_path.read_text(encoding="utf-8")) if pairs_path.exists() else None
                merged_pairs = (old or {"pairs": []})["pairs"] + [{**p, "batch": batch} for p in pair_sets[name]]
                pairs_path.write_text(
                    yaml.safe_dump({"rubric": rubric, "pairs": merged_pairs}, sort_keys=False, allow_unicode=True, width=120),
                    encoding="utf-8",
                )
            print(f"{name:8} {rubric:20} {len(chosen):3} transcripts, {len(pair_sets[name])} pairs")


if __name__ == "__main__":
    split(Path(sys.argv[1]), int(sys.argv[sys.argv.index("--batch") + 1]) if "--batch" in sys.argv else 1)
