"""From the share of a criterion's signal weight shown to a level: cut-offs fitted on the tuning split.

The cut-offs live in `offline_levels.json` beside this module (written by `benchmarks/fit_offline_levels.py`,
which reads only `tests/calibration/tuning/`). For a 4-level scale they are the shares needed for the
2nd, 3rd and top level; other scales are mapped through the same curve.
"""

from __future__ import annotations

import json
from functools import cache
from itertools import pairwise
from pathlib import Path

LEVELS_FILE = Path(__file__).with_name("offline_levels.json")
DEFAULT_CUTOFFS = (0.1333, 0.4, 0.6667)


@cache
def cutoffs() -> tuple[float, ...]:
    """The fitted cut-offs (ascending shares), or the defaults when the data file is absent."""
    try:
        data = json.loads(LEVELS_FILE.read_text(encoding="utf-8"))
        values = tuple(float(v) for v in data["cutoffs"])
    except (OSError, ValueError, KeyError, TypeError):
        return DEFAULT_CUTOFFS
    return values if len(values) == 3 and list(values) == sorted(values) else DEFAULT_CUTOFFS


@cache
def _segments(cuts: tuple[float, ...]) -> tuple[tuple[tuple[float, float], tuple[float, float]], ...]:
    # piecewise-linear curve through (0, 0), (c1, 1/3), (c2, 2/3), (c3, 1), flat above c3
    points = [(0.0, 0.0), *((c, (k + 1) / len(cuts)) for k, c in enumerate(cuts))]
    return tuple(pairwise(points))


def level_index(ratio: float, n_levels: int, cuts: tuple[float, ...] | None = None) -> int:
    """Index into a scale of `n_levels` for a share `ratio` in [0, 1]."""
    cuts = cuts or cutoffs()
    position = 1.0
    for (x0, y0), (x1, y1) in _segments(cuts):
        if ratio < x1:
            position = y0 + (y1 - y0) * (ratio - x0) / (x1 - x0) if x1 > x0 else y1
            break
    return min(n_levels - 1, max(0, int(position * (n_levels - 1) + 1e-9)))
