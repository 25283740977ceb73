"""Errors a user can cause, kept apart from bugs.

The CLI prints a `UserError` as one line and exits 1; any other exception is a bug and keeps its
traceback. Every layer may raise these, so the module sits at the bottom of the import graph.
"""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix: a bad file, a missing path, a locked or newer database."""


class DeckError(UserError):
    """A deck file that cannot be read; names the file and, where known, the line."""

    def __init__(self, source: str, message: str, line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.detail = message
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")
