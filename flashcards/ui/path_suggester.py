"""Completion for a typed path: the import dialog's input suggests the rest of a file name.

Textual's `Input` shows a suggester's answer greyed after the cursor, and right-arrow takes it.
The suggestion keeps what was typed (`~/`, a relative path) and adds the rest of the first
folder or deck file whose name starts with the last part typed.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

from textual.suggester import Suggester

from flashcards.decks.detect import DECK_SUFFIXES

MAX_ENTRIES = 2000
"""A folder is read this far and no further: completion must not stall on a huge folder."""


def complete_path(value: str) -> str | None:
    """`value` completed to the first matching folder (with a trailing `/`) or deck file."""
    if not value or "\n" in value:
        return None
    typed = Path(value).expanduser()
    folder, prefix = (typed, "") if value.endswith(os.sep) else (typed.parent, typed.name)
    try:
        with os.scandir(folder) as entries:
            names = []
            for entry in itertools.islice(entries, MAX_ENTRIES):
                if not entry.name.startswith(prefix) or entry.name == prefix:
                    continue
                if entry.name.startswith(".") and not prefix.startswith("."):
                    continue
                is_dir = entry.is_dir()
                if is_dir or Path(entry.name).suffix.lower() in DECK_SUFFIXES:
                    names.append(entry.name + (os.sep if is_dir else ""))
    except OSError:
        return None
    if not names:
        return None
    return value + min(names)[len(prefix) :]


class PathSuggester(Suggester):
    """Suggests folders and deck files; no cache, since folders change while the dialog is open."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value)
