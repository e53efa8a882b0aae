"""Snapshots of every screen at 80×24 and 120×40, with fixed data, dates, clock and seed (tests/tui/scenarios.py).

Regenerate with `pytest tests/tui/test_snapshots.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

import pytest

from tests.tui import scenarios


@pytest.mark.parametrize("size", list(scenarios.SIZES))
@pytest.mark.parametrize("screen", list(scenarios.SCREENS))
def test_screen(snap_compare, screen: str, size: str) -> None:  # type: ignore[no-untyped-def]
    scenarios.store()
    assert snap_compare(scenarios.app(), terminal_size=scenarios.SIZES[size], run_before=scenarios.SCREENS[screen])
