"""Grading one transcript file with a given grader: under `services.grading` (which chooses the grader and keeps
the grade), `calibrate` and `rubric test`. Settings come from the caller, never from disk here.

The LLM grader (and so `openai`) is imported only when it is used."""

from __future__ import annotations

import time
from pathlib import Path

from mockint.domain.grade import Grade
from mockint.domain.transcript import Transcript
from mockint.errors import MockintError
from mockint.gradestore import find_same, key_of, save, transcript_sha256
from mockint.grading.delivery import with_delivery
from mockint.rubrics import LoadedRubric
from mockint.settings import Settings
from mockint.transcripts.loading import load_any

TRANSCRIPT_SUFFIXES = (".jsonl", ".txt", ".md", ".markdown", ".vtt")


class GradingFailed(MockintError):
    """The grader could not grade this transcript (e.g. the model endpoint failed after its retries)."""


def grade_transcript(
    transcript: Transcript,
    loaded: LoadedRubric,
    *,
    source: str,
    grader: str = "offline",
    settings: Settings | None = None,
    samples: int = 1,
) -> Grade:
    if grader == "offline":
        from mockint.grading import offline  # the grader's terms and detectors: only when it grades

        return with_delivery(offline.grade(transcript, loaded.rubric, source=source, rubric_sha256=loaded.sha256), transcript)
    from mockint.grading import llm_grader
    from mockint.llm.client import LLMError

    if settings is None:
        raise MockintError("the model grader needs the model's settings", path=source)
    try:
        return with_delivery(
            llm_grader.grade(
                transcript,
                loaded.rubric,
                source=source,
                rubric_sha256=loaded.sha256,
                settings=settings,
                samples=samples,
            ),
            transcript,
        )
    except LLMError as exc:
        raise GradingFailed(f"LLM grader: {exc}", path=source) from None


def grade_file(
    path: str,
    loaded: LoadedRubric,
    *,
    grader: str = "offline",
    candidate: str | None = None,
    settings: Settings | None = None,
    samples: int = 1,
) -> Grade:
    """Grade one file, recording how long it took and the hash of exactly what was graded."""
    started = time.perf_counter()
    digest = transcript_sha256(path) if Path(path).is_file() else None
    grade = grade_transcript(
        load_any(path, candidate=candidate), loaded, source=path, grader=grader, settings=settings, samples=samples
    )
    return grade.model_copy(update={"transcript_sha256": digest, "duration_s": round(time.perf_counter() - started, 4)})


def keep(grade: Grade, path: str) -> Path | None:
    """Save a grade beside its transcript unless an identical one (same inputs, same grader) is there already."""
    key = key_of(grade)
    if key is not None and find_same(path, key) is not None:
        return None
    return save(grade, path)


def expand_paths(paths: list[str]) -> list[str]:
    """Folders expand to the transcript files inside them (sorted); files pass through as given."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir() and path.name.endswith(".grades"):
            continue  # a transcript's kept grades (a glob like `talk_*.*` picks them up), not transcripts
        if path.is_dir():
            found = sorted(
                str(f)
                for f in path.rglob("*")
                if f.is_file()
                and f.suffix.lower() in TRANSCRIPT_SUFFIXES
                and not f.name.startswith(".")
                and not f.stem.upper().startswith("README")  # a folder's notes, not a transcript
                and not f.name.endswith(".report.md")  # a report exported next to its transcript
            )
            if not found:
                raise MockintError("no transcript files (.jsonl, .txt, .md, .vtt) in this folder", path=p)
            out.extend(found)
        else:
            out.append(p)
    return out
