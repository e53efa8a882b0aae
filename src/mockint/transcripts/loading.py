"""One entry point for every transcript input `grade` and `import` accept: native, text, Markdown, VTT."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from mockint import __version__
from mockint.domain.transcript import Transcript, TranscriptMeta, Turn
from mockint.errors import MockintError
from mockint.textfiles import read_text
from mockint.transcripts.labelled_text import parse_labelled
from mockint.transcripts.store import SUFFIX, is_native, parse_native
from mockint.transcripts.vtt import parse_vtt

Format = Literal["native", "text", "markdown", "vtt"]
FORMATS: tuple[Format, ...] = ("native", "text", "markdown", "vtt")


def detect_format(path: Path, text: str) -> Format:
    suffix = path.suffix.lower()
    if is_native(text) or suffix == SUFFIX:  # a .jsonl is read as native even when broken, for the clearer error
        return "native"
    if suffix == ".vtt" or text.lstrip("\ufeff").startswith("WEBVTT"):
        return "vtt"
    if suffix in (".md", ".markdown"):
        return "markdown"
    return "text"


def _import_id(path: Path, text: str) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")[:40] or "transcript"
    return f"{stem}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"


def parse_text(
    text: str, path: Path, fmt: Format, *, shown: str | None = None, candidate: str | None = None, require_candidate: bool = True
) -> Transcript:
    """Parse already-read text in the given format into a Transcript."""
    display = shown if shown is not None else str(path)
    if fmt == "native":
        transcript = parse_native(text, display)
    else:
        meta = TranscriptMeta(
            id=_import_id(path, text), backend="import", source=path.name, started=None, app_version=__version__
        )
        turns: list[Turn] = []
        if fmt == "vtt":
            raw, names = parse_vtt(text, display, candidate)
            meta = meta.model_copy(
                update={"candidate_name": names["candidate"] or None, "interviewer_name": names["interviewer"] or None}
            )
            for i, (speaker, body, start, _line, end) in enumerate(raw, start=1):
                turns.append(Turn(index=i, speaker=speaker, text=body, offset=start, end_offset=end))
        else:
            labelled = parse_labelled(text, display, markdown=(fmt == "markdown"), candidate=candidate)
            who: dict[str, str | None] = {"candidate_name": labelled.candidate_name or candidate}
            if labelled.interviewer_names:
                who["interviewer_name"] = ", ".join(labelled.interviewer_names)
            meta = meta.model_copy(update=who)
            for i, (speaker, body, _line) in enumerate(labelled.turns, start=1):
                turns.append(Turn(index=i, speaker=speaker, text=body))
        transcript = Transcript(meta=meta, turns=turns, finished=True)
    if require_candidate and not any(t.speaker == "candidate" and t.text.strip() for t in transcript.turns):
        raise MockintError("transcript has no candidate turns to grade", path=display)
    return transcript


def load_any(
    path: str | Path, fmt: Format | None = None, *, candidate: str | None = None, require_candidate: bool = True
) -> Transcript:
    """Read any supported transcript file; errors are one line naming the file (and line where known)."""
    p = Path(path)
    text = read_text(p, display=str(path))
    chosen = fmt or detect_format(p, text)
    return parse_text(text, p, chosen, shown=str(path), candidate=candidate, require_candidate=require_candidate)


def stamp_import(transcript: Transcript) -> Transcript:
    """Imported transcripts carry the time of import when they had no start time of their own."""
    if transcript.meta.started is None:
        transcript.meta = transcript.meta.model_copy(update={"started": datetime.now(UTC)})
    return transcript
