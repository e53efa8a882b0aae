"""Where the app's screenshots go: MOCKINT_HOME/screenshots (owner-only), a folder that always exists, instead
of Textual's ~/Downloads, which may not (the screenshot then failed without a word)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from mockint import config


def screenshots_dir() -> Path:
    path = config.home() / "screenshots"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def screenshot_name(screen: object, now: datetime | None = None) -> str:
    """`mockint-home-20260302-093000.svg`: the screen's kind and the time, safe as a file name."""
    kind = re.sub(r"screen$", "", type(screen).__name__.lower()) or "screen"
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"mockint-{kind}-{stamp}.svg"


def save_screenshot(svg: str, filename: str) -> Path:
    """Write the SVG atomically (0600); raises OSError or MockintError saying why it could not."""
    from mockint.transcripts.store import write_atomic

    target = screenshots_dir() / Path(filename).name  # a name, never a path elsewhere
    write_atomic(target, svg.encode("utf-8"))
    return target
