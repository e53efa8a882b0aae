"""`mockint regrade --batch-api`: the printing around `grading.batch.run_batch` (progress on stderr, the summary on
stdout, what to do after Ctrl-C)."""

from __future__ import annotations

import argparse
import sys

from mockint.grading.batch import run_batch
from mockint.grading.cohort import summary
from mockint.grading.run import expand_paths
from mockint.rubrics import LoadedRubric
from mockint.settings import Settings


def _say(line: str) -> None:
    sys.stderr.write(f"mockint: {line}\n")
    sys.stderr.flush()


def run(args: argparse.Namespace, loaded: LoadedRubric, settings: Settings, samples: int) -> int:
    paths = expand_paths(args.paths)
    try:
        result = run_batch(
            paths,
            loaded,
            settings,
            samples,
            force=args.force,
            dry_run=args.dry_run,
            poll_interval=args.poll_interval,
            say=_say,
        )
    except KeyboardInterrupt:
        _say("interrupted; the batch keeps running at the provider, and running the same command again resumes polling it")
        return 130
    if result.dry_run is not None:
        sys.stdout.write(result.dry_run)
        return 0
    sys.stdout.write(summary(result.outcome, result.total, result.seconds))
    return 1 if result.outcome.failed else 0
