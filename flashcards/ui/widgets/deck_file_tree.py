"""The import dialog's file picker: folders and deck files only, hidden entries left out."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rich.text import Text
from textual.widgets import DirectoryTree

from flashcards.decks.detect import DECK_SUFFIXES
from flashcards.ui.plain import plain_cell


class DeckFileTree(DirectoryTree):
    """A `DirectoryTree` rooted at a folder (shown by its name), listing what can be imported."""

    def __init__(self, path: Path, *, id: str | None = None) -> None:
        super().__init__(path, id=id)
        self.root.set_label(f"{path.name or path}/")

    def process_label(self, label: str | Text) -> Text:
        """File names are untrusted: Tree reads a `str` label as markup, so it gets plain text
        with control characters made visible."""
        return plain_cell(label) if isinstance(label, str) else label

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [
            path
            for path in paths
            if not path.name.startswith(".")
            and (self._safe_is_dir(path) or path.suffix.lower() in DECK_SUFFIXES)
        ]
