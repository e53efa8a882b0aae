"""A new rubric of the user's own, from a template, in their rubrics folder (the app's Rubrics screen: n)."""

from __future__ import annotations

import re
from pathlib import Path

from mockint import config
from mockint.errors import MockintError
from mockint.transcripts.store import write_atomic

RUBRIC_TEMPLATE = """\
# A rubric of your own. Fields: see rubrics/README.md in the mockint repository, or
# `mockint rubric schema` for a JSON Schema your editor can complete against.
id: {ident}
version: 1
title: {title}
round: product_sense
description: What this round is about, in a few sentences.
scale:
  - {{score: 1, label: Missing}}
  - {{score: 2, label: Weak}}
  - {{score: 3, label: Solid}}
  - {{score: 4, label: Strong}}
criteria:
  - id: user_problem
    title: A specific user and problem
    description: Names who has the problem and the situation they are in before proposing anything.
    weight: 2
    must_pass: true
    anchors:
      1: No user, or "all users".
      2: A broad segment with no situation.
      3: A specific segment in a situation, but no evidence the problem matters.
      4: A specific segment in a situation, with why the problem matters to them now.
    signals:
      - id: specific_user
        description: A person or segment placed in a situation.
        detector: user
    probes:
      - Who exactly has this problem, and when does it hit them?
    examples:
      good:
        - First-time home buyers who save renovation ideas but stall before starting a project.
      bad:
        - All users want a better experience.
    source: Your own notes on what the committee rewards.
  - id: success_metrics
    title: Success metrics
    description: Says how we would know it worked, with a number and a time frame.
    weight: 1
    anchors:
      1: No metric.
      2: A metric with no target or time frame.
      3: A metric with a direction and a time frame.
      4: A metric with a target and a time frame, and a guardrail.
    signals:
      - id: bound_metric
        description: A metric bound to a number or direction and a time frame.
        detector: metric
    probes:
      - How would you know in six weeks that this worked?
    examples:
      good:
        - Weekly saves per user up 8% within six weeks, while hide rate stays under 2%.
      bad:
        - Our north star is engagement.
    source: Your own notes on what the committee rewards.
verdict:
  hire_min_score: 70
"""


def new_rubric(ident: str, folder: Path | None = None) -> Path:
    """Create `<ident>.yaml` from the template in the user rubrics folder; never overwrites."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", ident):
        raise MockintError(f"rubric id {ident!r} must be lowercase snake_case (a-z, 0-9, _), starting with a letter")
    root = folder if folder is not None else config.user_rubrics_dir()
    target = root / f"{ident}.yaml"
    if target.exists():
        raise MockintError("a rubric with this id already exists", path=str(target))
    title = ident.replace("_", " ").capitalize()
    write_atomic(target, RUBRIC_TEMPLATE.format(ident=ident, title=title).encode("utf-8"))
    return target
