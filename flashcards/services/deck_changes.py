"""Deck operations a person asks for: create, rename (subdecks follow), delete, options.

Each is one write transaction, and every check is made before it begins, so a refused operation
changes nothing. Deleting backs the collection file up first (a `pre-delete` backup, which
rotation never removes); the answers of deleted cards stay in the log, as with `delete`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flashcards.decks.names import SEPARATOR
from flashcards.errors import UserError
from flashcards.services.backup import make_backup
from flashcards.services.collection import Collection
from flashcards.services.decks import ensure_deck, normalise_deck_name
from flashcards.settings import MAX_PER_DAY
from flashcards.storage import Deck, deck_rows
from flashcards.storage.binding import runs_on_collection
from flashcards.storage.database import run_read, run_write

MAX_DESCRIPTION_CHARS = 10_000


def _existing(name: str) -> Deck:
    row = Deck.get_or_none(Deck.name == name)
    if row is None:
        raise UserError(f"no deck named {name!r} (see `flashcards decks`)")
    return row


@runs_on_collection
def create_deck(col: Collection, name: str, description: str = "") -> str:
    """Create an empty deck (and any missing parents); refused when it exists."""
    name = normalise_deck_name(name)
    description = _checked_description(description)

    def write() -> str:
        if Deck.get_or_none(Deck.name == name) is not None:
            raise UserError(f"a deck named {name!r} already exists")
        ensure_deck(col, name, description)
        return name

    return run_write(col.db, write, col.target)


@runs_on_collection
def rename_deck(col: Collection, old: str, new: str) -> int:
    """Rename a deck and its subdecks (`A::B` under `A` becomes `C::B` under `C`); returns how
    many decks were renamed. Refused onto an existing deck, or into its own subtree."""
    old, new = normalise_deck_name(old), normalise_deck_name(new)
    if new == old:
        raise UserError(f"the deck is already called {new!r}")
    if new.startswith(old + SEPARATOR):
        raise UserError(f"cannot move {old!r} into its own subdeck {new!r}")

    def write() -> int:
        _existing(old)
        moved = deck_rows.subtree(old, SEPARATOR)
        renamed = {deck_id: new + name[len(old) :] for deck_id, name in moved}
        clash = deck_rows.names_taken(renamed.values())
        if clash:
            raise UserError(f"a deck named {clash[0]!r} already exists; nothing was renamed")
        for deck_id, name in renamed.items():
            deck_rows.rename(deck_id, name)
        ensure_deck(col, new)  # its parents, when it moved under a new one
        return len(renamed)

    return run_write(col.db, write, col.target)


@dataclass(frozen=True)
class DeleteReport:
    decks: int
    cards: int
    backup: Path | None


@runs_on_collection
def deck_tree_size(col: Collection, name: str) -> tuple[int, int]:
    """(decks, cards) that deleting `name` would remove: for the question asked first."""
    name = normalise_deck_name(name)

    def read() -> tuple[int, int]:
        _existing(name)
        ids = [deck_id for deck_id, _ in deck_rows.subtree(name, SEPARATOR)]
        return len(ids), deck_rows.card_count(ids)

    return run_read(col.db, read, col.target)


@runs_on_collection
def delete_deck(col: Collection, name: str) -> DeleteReport:
    """Delete a deck with its subdecks and cards, after a `pre-delete` backup of the file."""
    name = normalise_deck_name(name)
    run_read(col.db, lambda: _existing(name), col.target)
    backup = make_backup(col, "pre-delete") if col.path is not None else None

    def write() -> DeleteReport:
        ids = [deck_id for deck_id, _ in deck_rows.subtree(name, SEPARATOR)]
        if not ids:
            raise UserError(f"no deck named {name!r} (see `flashcards decks`)")
        return DeleteReport(len(ids), deck_rows.delete_decks(ids), backup)

    return run_write(col.db, write, col.target)


def _checked_limit(value: int | None, what: str) -> int | None:
    if value is not None and not 0 <= value <= MAX_PER_DAY:
        raise UserError(f"{what} must be a whole number from 0 to {MAX_PER_DAY:,}")
    return value


def _checked_description(text: str) -> str:
    if len(text) > MAX_DESCRIPTION_CHARS:
        raise UserError(f"a description may be at most {MAX_DESCRIPTION_CHARS:,} characters")
    return text.strip()


@dataclass(frozen=True)
class DeckOptions:
    """A deck's own options; None where it inherits (from its parent, else the settings)."""

    name: str
    description: str
    new_per_day: int | None
    reviews_per_day: int | None


@runs_on_collection
def deck_options(col: Collection, name: str) -> DeckOptions:
    name = normalise_deck_name(name)

    def read() -> DeckOptions:
        row = _existing(name)
        return DeckOptions(row.name, row.description, row.new_per_day, row.reviews_per_day)

    return run_read(col.db, read, col.target)


_KEEP = object()


@runs_on_collection
def set_deck_options(
    col: Collection,
    name: str,
    *,
    new_per_day: int | None | object = _KEEP,
    reviews_per_day: int | None | object = _KEEP,
    description: str | None = None,
    reset: bool = False,
) -> DeckOptions:
    """Set a deck's own limits (None: inherit again) and description; `reset` first clears
    both limits. Options not given stay as they are."""
    name = normalise_deck_name(name)
    if new_per_day is not _KEEP:
        _checked_limit(new_per_day, "--new-per-day")  # type: ignore[arg-type]
    if reviews_per_day is not _KEEP:
        _checked_limit(reviews_per_day, "--reviews-per-day")  # type: ignore[arg-type]
    text = None if description is None else _checked_description(description)

    def write() -> DeckOptions:
        row = _existing(name)
        new = None if reset else row.new_per_day
        reviews = None if reset else row.reviews_per_day
        new = new if new_per_day is _KEEP else new_per_day
        reviews = reviews if reviews_per_day is _KEEP else reviews_per_day
        deck_rows.set_limits(row.id, new, reviews)  # type: ignore[arg-type]
        if text is not None:
            deck_rows.set_description(row.id, text)
        final = row.description if text is None else text
        return DeckOptions(name, final, new, reviews)  # type: ignore[arg-type]

    return run_write(col.db, write, col.target)
