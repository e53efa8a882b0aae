"""One error type that the CLI turns into a single `mockint: error: ...` line."""

from __future__ import annotations


class MockintError(Exception):
    """A user-facing error: bad input or bad usage. The message is one line."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.detail = message
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")


class NotAvailableYet(MockintError):
    """A command of the contract whose implementation has not landed yet."""
