"""flashcards: a terminal spaced-repetition trainer."""

__version__ = "0.1.0"
