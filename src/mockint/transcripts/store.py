"""The native transcript format: JSON Lines, one record per event, appended and fsynced as the round goes.

Record types: `meta` (first line), `turn`, `note` (a coach note beside an interviewer turn), `resume`
(a cut-off round picked up again) and `end`.
A kill mid-write can only tear the last line, which readers ignore and a resume trims; a finished
transcript is never edited in place: rewrites go to a temp file that is renamed over it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from mockint.domain.transcript import Note, Speaker, Transcript, TranscriptMeta, Turn
from mockint.errors import MockintError
from mockint.textfiles import decode, read_bytes

FORMAT = "mockint-transcript"
FORMAT_VERSION = 1
SUFFIX = ".jsonl"


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_id(raw: str) -> str:
    """A transcript id that is safe as a file name: no path separators, no leading dots, bounded length.
    Ids come from untrusted files (an import's `meta.id`), so they become names only through this."""
    slug = _UNSAFE.sub("-", raw).strip(".-_")[:120]
    return slug or "transcript"


def now() -> datetime:
    return datetime.now(UTC)


def _dump(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=str) + "\n").encode("utf-8")


def _meta_record(meta: TranscriptMeta) -> dict[str, Any]:
    return {"type": "meta", "format": FORMAT, "format_version": FORMAT_VERSION, **meta.model_dump(mode="json", exclude_none=True)}


def _turn_record(turn: Turn) -> dict[str, Any]:
    return {"type": "turn", **turn.model_dump(mode="json", exclude_none=True, exclude_defaults=False)}


def _note_record(note: Note) -> dict[str, Any]:
    return {"type": "note", **note.model_dump(mode="json", exclude_none=True)}


def is_native(text: str) -> bool:
    first = text.lstrip().split("\n", 1)[0]
    if not first.startswith("{"):
        return False
    try:
        record = json.loads(first)
    except (ValueError, RecursionError):  # a deeply nested first line: not for sniffing; the reader names the line
        return False
    return isinstance(record, dict) and record.get("format") == FORMAT


def parse_native(text: str, shown: str) -> Transcript:
    """Parse native JSON Lines. A torn final line (a write cut off by a crash) is ignored."""
    lines = text.split("\n")
    torn_tail = not text.endswith("\n")
    meta: TranscriptMeta | None = None
    turns: list[Turn] = []
    notes: list[Note] = []
    finished = False
    for lineno, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
            json.dumps(record, ensure_ascii=False).encode("utf-8")  # a lone surrogate would fail later, far from here
        except UnicodeEncodeError:  # before ValueError, its base
            raise MockintError("text with an invalid character (a lone surrogate escape)", path=shown, line=lineno) from None
        except ValueError as exc:
            if torn_tail and lineno == len(lines):
                break
            raise MockintError(f"invalid JSON record: {getattr(exc, 'msg', exc)}", path=shown, line=lineno) from None
        except RecursionError:
            raise MockintError("a JSON value nested too deeply", path=shown, line=lineno) from None
        if not isinstance(record, dict) or "type" not in record:
            raise MockintError("record is not an object with a 'type'", path=shown, line=lineno)
        kind = record.pop("type")
        try:
            if meta is None:
                if kind != "meta" or record.get("format") != FORMAT:
                    raise MockintError("not a mockint transcript (first record must be its meta)", path=shown, line=lineno)
                version = record.get("format_version", 1)
                if not isinstance(version, int) or version > FORMAT_VERSION:
                    raise MockintError(
                        f"transcript format version {version!r} is newer than this mockint", path=shown, line=lineno
                    )
                meta = TranscriptMeta.model_validate(record)
            elif kind == "turn":
                turn = Turn.model_validate(record)
                if turn.index != len(turns) + 1:
                    raise MockintError(
                        f"turn index {turn.index} out of order (expected {len(turns) + 1})", path=shown, line=lineno
                    )
                turns.append(turn)
            elif kind == "note":
                note = Note.model_validate(record)
                if note.turn > len(turns):
                    raise MockintError(f"note for turn {note.turn}, which does not exist yet", path=shown, line=lineno)
                notes.append(note)
            elif kind == "end":
                finished = True
                at = record.get("at")
                if at is not None and not isinstance(at, str):
                    raise MockintError("end: at: must be a date and time as text", path=shown, line=lineno)
                if at:
                    meta = meta.model_copy(update={"ended": datetime.fromisoformat(at)})
            elif kind == "resume":
                finished = False
            elif kind == "meta":
                raise MockintError("second meta record", path=shown, line=lineno)
            # unknown record types from newer versions are skipped
        except ValidationError as exc:
            err = exc.errors(include_url=False)[0]
            field = ".".join(str(p) for p in err["loc"])
            raise MockintError(f"{kind}: {field}: {err['msg'].lower()}", path=shown, line=lineno) from None
        except (ValueError, TypeError) as exc:
            raise MockintError(f"{kind}: {exc}".replace("\n", " ")[:200], path=shown, line=lineno) from None
    if meta is None:
        raise MockintError("file is empty" if not text.strip() else "no complete meta record (the file was cut off)", path=shown)
    return Transcript(meta=meta, turns=turns, notes=notes, finished=finished)


def complete_tail(raw: bytes) -> bytes:
    """The bytes up to the last complete record. A final line without its newline was torn by a crash, even
    mid-character; it is kept (with the newline added) only when it is a whole JSON record."""
    if not raw or raw.endswith(b"\n"):
        return raw
    cut = raw.rfind(b"\n") + 1
    tail = raw[cut:]
    try:
        json.loads(tail.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return raw[:cut]
    return raw + b"\n"


def read_native(path: str | Path) -> Transcript:
    """Decoded only after the torn-tail rule, so a tail cut inside a multi-byte character is just a torn line."""
    return parse_native(decode(complete_tail(read_bytes(path)), str(path)), str(path))


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def make_private_dirs(folder: Path) -> None:
    """Create `folder` and any missing parents owner-only (0700), like the store's own folders; `mkdir(parents=True,
    mode=...)` would give the parents the default 0755. Folders that already exist keep their mode."""
    missing: list[Path] = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for part in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made meanwhile by another process
            part.mkdir(mode=0o700)
    if not folder.is_dir():
        raise MockintError("is not a folder", path=str(folder))


# write_atomic's temp files: `.NAME.` + tempfile's 8 random characters + `.tmp`
TEMP_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
STALE_TEMP_SECONDS = 60.0


def sweep_stale_temps(folder: Path, *, older_than: float = STALE_TEMP_SECONDS) -> int:
    """Remove temp files of write_atomic's own naming left by a kill mid-write (older than a minute, ours);
    returns how many. A write in progress keeps its temp file fresh, so it is never taken."""
    import time

    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    cutoff = time.time() - older_than
    for entry in entries:
        if not TEMP_NAME.match(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if entry.is_file(follow_symlinks=False) and info.st_uid == os.getuid() and info.st_mtime < cutoff:
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed


def write_atomic(path: str | Path, data: bytes, *, sync_folder: bool = True) -> None:
    """Write a whole file via a temp file in the same folder and an atomic rename (owner-only, 0600; missing
    folders 0700). Temp files a killed write left behind in that folder are swept first. The data is fsynced
    before the rename, so a crash never leaves a torn file under the name; `sync_folder` also fsyncs the folder,
    so the rename itself survives a crash (skip it where a lost file is simply made again, as a grade is)."""
    target = Path(path)
    make_private_dirs(target.parent)
    sweep_stale_temps(target.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if sync_folder:
        _fsync_dir(target.parent)


def serialise(transcript: Transcript) -> bytes:
    """A whole transcript in the native format (for imports and rewrites)."""
    out = [_dump(_meta_record(transcript.meta))]
    by_turn: dict[int, list[Note]] = {}
    for note in transcript.notes:
        by_turn.setdefault(note.turn, []).append(note)
    for t in transcript.turns:
        out.append(_dump(_turn_record(t)))
        out += [_dump(_note_record(n)) for n in by_turn.get(t.index, [])]
    if transcript.finished:
        ended = transcript.meta.ended or now()
        out.append(_dump({"type": "end", "at": ended.isoformat()}))
    return b"".join(out)


class TranscriptWriter:
    """Appends a live round's events to its file; every record is flushed and fsynced before returning."""

    def __init__(self, path: Path, transcript: Transcript, fd: int) -> None:
        self.path = path
        self.transcript = transcript
        self._fd: int | None = fd

    @classmethod
    def create(cls, path: str | Path, meta: TranscriptMeta) -> TranscriptWriter:
        target = Path(path)
        if target.is_dir():
            raise MockintError("is a folder; give the transcript file to write (e.g. a path ending in .jsonl)", path=str(target))
        make_private_dirs(target.parent)
        sweep_stale_temps(target.parent)
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        except FileExistsError:
            raise MockintError(
                "a file already exists here and is never overwritten; choose another file, or resume a cut-off round "
                "with --resume",
                path=str(target),
            ) from None
        writer = cls(target, Transcript(meta=meta), fd)
        writer._append(_meta_record(meta))
        _fsync_dir(target.parent)
        return writer

    @classmethod
    def resume(cls, path: str | Path) -> TranscriptWriter:
        """Reopen a cut-off round; trims a torn last line, then appends a `resume` record."""
        target = Path(path)
        transcript = read_native(target)
        if transcript.finished:
            raise MockintError("this round is finished; it cannot be resumed", path=str(target))
        fd = os.open(target, os.O_RDWR | os.O_APPEND)
        try:
            size = os.fstat(fd).st_size
            if size:  # repair the tail the way reading saw it: a whole last record gets its newline, a torn one goes
                tail_start = max(0, size - 65536)
                tail = os.pread(fd, size - tail_start, tail_start)
                fixed = complete_tail(tail)
                if fixed != tail:
                    if len(fixed) > len(tail):
                        os.write(fd, b"\n")
                    else:
                        os.ftruncate(fd, tail_start + len(fixed))
                    os.fsync(fd)
        except BaseException:
            os.close(fd)
            raise
        writer = cls(target, transcript, fd)
        writer._append({"type": "resume", "at": now().isoformat()})
        return writer

    def _append(self, record: dict[str, Any]) -> None:
        if self._fd is None:
            raise MockintError("transcript is closed", path=str(self.path))
        data = _dump(record)
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
        os.fsync(self._fd)

    def add_turn(
        self,
        speaker: Speaker,
        text: str,
        *,
        started: datetime | None = None,
        tokens: int | None = None,
        partial: bool = False,
        closing: bool = False,
    ) -> Turn:
        turn = Turn(
            index=len(self.transcript.turns) + 1,
            speaker=speaker,
            text=text,
            started=started,
            ended=now(),
            tokens=tokens,
            partial=partial,
            closing=closing,
        )
        self._append(_turn_record(turn))
        self.transcript.turns.append(turn)
        return turn

    def add_note(self, text: str, *, turn: int) -> Note:
        """A coach note beside interviewer turn `turn`, saved like a turn (appended and fsynced)."""
        note = Note(turn=turn, text=text, at=now())
        self._append(_note_record(note))
        self.transcript.notes.append(note)
        return note

    def finish(self) -> Transcript:
        ended = now()
        self._append({"type": "end", "at": ended.isoformat()})
        self.transcript.finished = True
        self.transcript.meta = self.transcript.meta.model_copy(update={"ended": ended})
        self.close()
        return self.transcript

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> TranscriptWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
