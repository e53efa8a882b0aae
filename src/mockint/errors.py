"""One error type that the CLI turns into a single `mockint: error: ...` line."""

from __future__ import annotations


def one_line(text: str) -> str:
    """Errors are one line: control characters (newlines in a YAML key, say) are shown escaped."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


class MockintError(Exception):
    """A user-facing error: bad input or bad usage. The message is one line."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        message = one_line(message)
        path = one_line(path) if path is not None else None
        self.detail = message
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")


class NotAvailableYet(MockintError):
    """A command of the contract whose implementation has not landed yet."""
