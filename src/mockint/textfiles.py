"""Reading untrusted text files safely: size cap, binary detection, encodings, with file:line errors."""

from __future__ import annotations

from pathlib import Path

from mockint.errors import MockintError

MAX_INPUT_BYTES = 8 * 1024 * 1024


def read_text(path: str | Path, *, max_bytes: int = MAX_INPUT_BYTES, display: str | None = None) -> str:
    """Return the file's text with newlines normalised, or raise a one-line MockintError."""
    shown = display if display is not None else str(path)
    return decode(read_bytes(path, max_bytes=max_bytes, display=shown), shown)


def read_bytes(path: str | Path, *, max_bytes: int = MAX_INPUT_BYTES, display: str | None = None) -> bytes:
    """The file's bytes (size-capped), or a one-line MockintError."""
    shown = display if display is not None else str(path)
    p = Path(path)
    try:
        if p.is_dir():
            raise MockintError("is a directory, not a file", path=shown)
        size = p.stat().st_size
        if size > max_bytes:
            raise MockintError(
                f"file is too large ({size / 1_048_576:.1f} MiB; the limit is {max_bytes // 1_048_576} MiB)",
                path=shown,
            )
        with p.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise MockintError("no such file", path=shown) from None
    except PermissionError:
        raise MockintError("permission denied", path=shown) from None
    except IsADirectoryError:
        raise MockintError("is a directory, not a file", path=shown) from None
    except OSError as exc:
        raise MockintError(f"cannot read: {exc.strerror or exc}", path=shown) from None
    if len(raw) > max_bytes:
        raise MockintError(f"file is too large (the limit is {max_bytes // 1_048_576} MiB)", path=shown)
    return raw


def decode(raw: bytes, shown: str) -> str:
    """Decode UTF-8 (with or without BOM) or BOM-marked UTF-16; reject binary data."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise MockintError("invalid UTF-16 text", path=shown) from None
    else:
        if b"\x00" in raw:
            line = raw[: raw.index(b"\x00")].count(b"\n") + 1
            raise MockintError("binary data (NUL byte), not a text file", path=shown, line=line)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            bad = raw[exc.start : exc.start + 1].hex()
            raise MockintError(f"not UTF-8 text (byte 0x{bad}); save the file as UTF-8", path=shown, line=line) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for lineno, line_text in enumerate(text.split("\n"), start=1):
        for ch in line_text:
            if ch != "\t" and (ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0):
                raise MockintError(f"control character U+{ord(ch):04X} in text", path=shown, line=lineno)
    return text
