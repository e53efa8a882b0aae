"""The sessions in the transcript store, as the CLI and the app list them: one index of the store, newest first,
each with the grade that belongs to it (its own rubric, made from the file as it is now)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from mockint import config
from mockint.errors import MockintError
from mockint.services.grading import kept_grade, own_rubric_id
from mockint.transcripts.store import SUFFIX, read_native, sweep_stale_temps


@dataclass(frozen=True)
class SessionInfo:
    """One saved transcript as the lists show it; `error` is set when the file could not be read."""

    path: Path
    ident: str
    round: str
    rubric: str | None
    started: datetime | None
    turns: int
    answers: int
    finished: bool
    mode: str | None = None
    track: str | None = None
    error: str | None = None
    score: float | None = None  # the grade that belongs to it (own rubric, current content), when there is one
    verdict: str | None = None
    stale: bool = False  # the only grade of its rubric was made before the file changed

    @property
    def when(self) -> str:
        if self.started is None:
            return "—"
        return self.started.astimezone().strftime("%Y-%m-%d %H:%M")

    @property
    def when_short(self) -> str:
        """For narrow lists: `Mar 02 09:30`."""
        if self.started is None:
            return "—"
        return self.started.astimezone().strftime("%b %d %H:%M")

    @property
    def status(self) -> str:
        if self.error:
            return "unreadable"
        return "finished" if self.finished else "resumable"

    @property
    def verdict_text(self) -> str:
        return {"hire": "hire", "no_hire": "no hire"}.get(self.verdict or "", "—")

    @property
    def result_text(self) -> str:
        """One short column for narrow lists: the verdict and score, or how far an unfinished round got."""
        if self.error:
            return "unreadable"
        if not self.finished:
            return f"resumable, {self.answers} answer{'s' if self.answers != 1 else ''}"
        if self.verdict:
            return f"{self.verdict_text} {self.score_text}"
        return "finished"

    @property
    def score_text(self) -> str:
        return "—" if self.score is None else f"{self.score:.0f}"

    def matches(self, needle: str) -> bool:
        """Case-insensitive substring filter over what the list shows."""
        needle = needle.strip().lower()
        if not needle:
            return True
        hay = " ".join(
            [self.when, self.round, self.status, self.ident, self.mode or "", self.track or "", self.verdict_text]
        ).lower()
        return all(word in hay for word in needle.split())


def session_paths(folder: Path | None = None) -> list[Path]:
    """The session index: every native transcript in the store (practised, resumed or imported), by name. The
    lists, `report` with no PATH, history and the committee's saved sessions all start from it."""
    root = folder if folder is not None else config.transcripts_dir()
    sweep_stale_temps(root)  # a write killed mid-way left its temp file: listing the store clears it
    return sorted(p for p in root.glob(f"*{SUFFIX}") if not p.name.startswith(".") and p.is_file())


def scan_sessions(folder: Path | None = None) -> list[SessionInfo]:
    """Every session in the store, newest first, with the grade that belongs to it. Unreadable files are listed,
    not hidden."""
    out: list[SessionInfo] = []
    for path in session_paths(folder):
        try:
            t = read_native(path)
        except (MockintError, OSError) as exc:
            out.append(SessionInfo(path, path.stem, "?", None, None, 0, 0, False, error=str(exc)))
            continue
        own = own_rubric_id(path, t)
        found = kept_grade(path, own) if own else None
        out.append(
            SessionInfo(
                path=path,
                ident=t.meta.id,
                round=t.meta.round or "—",
                rubric=t.meta.rubric,
                started=t.meta.started,
                turns=len(t.turns),
                answers=len(t.candidate_turns()),
                finished=t.finished,
                mode=t.meta.mode,
                track=t.meta.track,
                score=found.grade.score if found else None,
                verdict=found.grade.verdict if found else None,
                stale=bool(found and found.stale),
            )
        )
    out.sort(key=lambda s: (s.started.timestamp() if s.started else 0.0, s.path.name), reverse=True)
    return out


def latest_session(folder: Path | None = None) -> Path:
    """The newest readable session with at least one answer (`report` with no PATH)."""
    root = folder if folder is not None else config.transcripts_dir()
    for info in scan_sessions(root):
        if info.error is None and info.answers:
            return info.path
    raise MockintError("no saved sessions with answers yet; practise a round or pass PATH", path=str(root))
