"""Home's last choices (track, company, round, mode, backend), kept in MOCKINT_HOME/app-choices.json so the
app opens where you left it. A file of its own: never the config file, which may hold an API key."""

from __future__ import annotations

import json
from pathlib import Path

from mockint import config

FILE = "app-choices.json"
KEYS = ("track", "company", "round", "mode", "backend")


def choices_path() -> Path:
    return config.home() / FILE


def load_choices() -> dict[str, str]:
    """The saved choices; a missing, unreadable or malformed file is just no memory (never an error)."""
    from mockint.errors import MockintError

    try:
        data = json.loads(choices_path().read_text(encoding="utf-8"))
    except (OSError, ValueError, MockintError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if k in KEYS and isinstance(v, str)}


def save_choices(choices: dict[str, str]) -> None:
    """Written atomically, owner-only, like every mockint file."""
    from mockint.transcripts.store import write_atomic

    kept = {k: v for k, v in choices.items() if k in KEYS}
    write_atomic(choices_path(), (json.dumps(kept, indent=2, sort_keys=True) + "\n").encode("utf-8"))
