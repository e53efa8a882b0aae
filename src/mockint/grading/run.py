"""Choosing a grader and grading one transcript file: shared by `grade`, `practice` and `rubric test`."""

from __future__ import annotations

import os
from pathlib import Path

from mockint.domain.grade import Grade
from mockint.domain.transcript import Transcript
from mockint.errors import MockintError
from mockint.grading import offline
from mockint.rubrics import LoadedRubric
from mockint.transcripts.loading import load_any

TRANSCRIPT_SUFFIXES = (".jsonl", ".txt", ".md", ".markdown", ".vtt")


def llm_configured() -> bool:
    backend = os.environ.get("MOCKINT_BACKEND", "").strip().lower()
    if backend == "offline":
        return False
    return backend == "openai" or bool(os.environ.get("OPENAI_API_KEY") or os.environ.get("OPENAI_BASE_URL"))


def grade_transcript(transcript: Transcript, loaded: LoadedRubric, *, source: str, grader: str = "offline") -> Grade:
    if grader != "offline":
        raise MockintError("the LLM grader is not available yet in this version (use --grader offline)")
    return offline.grade(transcript, loaded.rubric, source=source, rubric_sha256=loaded.sha256)


def grade_file(path: str, loaded: LoadedRubric, *, grader: str = "offline", candidate: str | None = None) -> Grade:
    return grade_transcript(load_any(path, candidate=candidate), loaded, source=path, grader=grader)


def expand_paths(paths: list[str]) -> list[str]:
    """Folders expand to the transcript files inside them (sorted); files pass through as given."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(
                str(f)
                for f in path.rglob("*")
                if f.is_file()
                and f.suffix.lower() in TRANSCRIPT_SUFFIXES
                and not f.name.startswith(".")
                and not f.stem.upper().startswith("README")  # a folder's notes, not a transcript
            )
            if not found:
                raise MockintError("no transcript files (.jsonl, .txt, .md, .vtt) in this folder", path=p)
            out.extend(found)
        else:
            out.append(p)
    return out
