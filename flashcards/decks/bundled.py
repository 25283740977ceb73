"""Where the decks that ship with flashcards live, installed or in a checkout.

The wheel force-includes the repository's top-level `decks/` as `flashcards/decks_bundled/`; an
editable install has no such copy, so we fall back to the checkout's `decks/` folder.
"""

from __future__ import annotations

from pathlib import Path


def bundled_decks_dir() -> Path | None:
    """The folder holding the bundled deck files, or None if neither location exists."""
    package = Path(__file__).resolve().parent.parent  # .../flashcards
    for candidate in (package / "decks_bundled", package.parent / "decks"):
        if candidate.is_dir():
            return candidate
    return None


def bundled_deck_paths() -> list[Path]:
    """The bundled `*.toml` deck files, sorted by name (empty if none are installed)."""
    folder = bundled_decks_dir()
    return sorted(folder.glob("*.toml")) if folder else []
