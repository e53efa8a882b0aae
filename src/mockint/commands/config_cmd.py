"""`mockint config`: the effective settings and where each came from; the API key is never shown."""

from __future__ import annotations

import argparse
import json
import sys

from mockint import config
from mockint.settings import current


def run(args: argparse.Namespace) -> int:
    settings = current()
    rows = settings.rows()
    if getattr(args, "format", "table") == "json":
        payload = {name: {"value": value, "source": source} for name, value, source in rows}
        payload["config_file"] = {
            "value": str(settings.config_path),
            "source": "exists" if settings.config_path and settings.config_path.exists() else "not found",
        }
        sys.stdout.write(json.dumps(payload) + "\n")
        return 0
    width = max(len(name) for name, _, _ in rows)
    vwidth = min(max(len(value) for _, value, _ in rows), 48)
    for name, value, source in rows:
        sys.stdout.write(f"{name:<{width}}  {value:<{vwidth}}  ({source})\n")
    path = settings.config_path
    state = "found" if path and path.exists() else "not found; defaults and environment only"
    sys.stdout.write(f"\nconfig file: {path} ({state})\ndata: {config.home()}\n")
    return 0
