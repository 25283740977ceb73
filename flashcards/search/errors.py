"""The one error a search query raises, apart from the parser so the regex check can raise it
too without importing the parser that imports it."""

from __future__ import annotations

from flashcards.errors import UserError


class QueryError(UserError):
    """A query that cannot be parsed; the message names the column (1-based) of the problem."""

    def __init__(self, message: str, column: int) -> None:
        self.column = column
        super().__init__(f"{message} at column {column}")
