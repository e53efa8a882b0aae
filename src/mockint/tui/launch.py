"""Entry points for `mockint` (no command) and `mockint practice` without --plain.

Textual is imported here only inside the functions, so `mockint --help` never loads it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from mockint.services.rounds import PracticeRequest, choose_backend
from mockint.settings import current


def run(args: argparse.Namespace) -> int:
    """Open the app on the home screen."""
    from mockint.tui.app import MockintApp

    app = MockintApp(seed=getattr(args, "seed", None))
    result = app.run()
    return int(result or 0)


def practice_request(args: argparse.Namespace) -> PracticeRequest:
    """`practice` arguments -> what the interview screen runs (--backend, else the configured one)."""
    return PracticeRequest(
        round_id=args.round,
        track=getattr(args, "track", None),
        company=getattr(args, "company", None) or "pinterest",
        mode=getattr(args, "mode", None) or "realistic",
        seed=getattr(args, "seed", None),
        out=Path(args.out) if getattr(args, "out", None) else None,
        resume=Path(args.resume) if getattr(args, "resume", None) else None,
        backend=choose_backend(getattr(args, "backend", None), current()),
    )


def run_practice(args: argparse.Namespace) -> int:
    """Open the app straight into the interview screen for the requested round."""
    from mockint.tui.app import MockintApp

    app = MockintApp(practice=practice_request(args), seed=getattr(args, "seed", None))
    result = app.run()
    return int(result or 0)
