"""Exporting a deck to a file: TOML (exact round trip), CSV (text only) or an Anki package.

Only the named deck's own cards are written, not its subdecks': every format holds one deck per
file here, and folding subdecks in would move their cards into the parent on re-import (and could
merge two cards with the same key). Export each subdeck to a file of its own.

TOML keeps every card's key: the writer gives each card an explicit `id` and regroups the stored
cards into what produced them (a `reverse` card from the pair K and K::reverse, one cloze note
from K::c1, K::c2, …), so importing the file into a fresh collection yields the same keys, kinds,
ordinals, fronts, backs and tags. Progress is not exported.
"""

from __future__ import annotations

from pathlib import Path

from flashcards.decks.apkg_write import write_apkg
from flashcards.decks.delimited import write_csv
from flashcards.decks.names import SEPARATOR
from flashcards.decks.spec import CardSpec, DeckSpec
from flashcards.decks.toml_format import write_toml
from flashcards.errors import UserError
from flashcards.services.collection import Collection
from flashcards.services.decks import normalise_deck_name
from flashcards.services.safe_files import refuse_protected, refuse_target, write_atomically
from flashcards.storage import Card, Deck

EXPORT_FORMATS = ("toml", "csv", "apkg")
_EXTENSIONS = {".toml": "toml", ".csv": "csv", ".apkg": "apkg"}


def export_format(path: Path, fmt: str | None) -> str:
    """The format to write: `fmt` if given, else from the file's extension."""
    chosen = fmt.lower() if fmt else _EXTENSIONS.get(path.suffix.lower())
    if chosen is None:
        raise UserError(
            f"{path}: cannot tell the format from the extension; "
            f"name it .toml, .csv or .apkg, or pass --format {'|'.join(EXPORT_FORMATS)}"
        )
    if chosen not in EXPORT_FORMATS:
        raise UserError(f"cannot export as {chosen!r}; expected one of {', '.join(EXPORT_FORMATS)}")
    return chosen


def deck_spec(col: Collection, deck: str) -> DeckSpec:
    """The deck's own cards (not its subdecks'), in the order they were added, as a DeckSpec."""
    name = normalise_deck_name(deck)
    row = Deck.get_or_none(Deck.name == name)
    if row is None:
        raise UserError(f"no deck named {deck!r} (see `flashcards decks`)")
    query = (
        Card.select(Card.key, Card.kind, Card.front, Card.back, Card.tags, Card.ordinal)
        .where(Card.deck == row.id)
        .order_by(Card.id)
        .tuples()
    )
    cards = tuple(
        CardSpec(key, kind, front, back, tuple(tags.split()), ordinal)
        for key, kind, front, back, tags, ordinal in query
    )
    return DeckSpec(row.name, row.description, cards)


def subdecks_with_cards(col: Collection, deck: str) -> list[str]:
    """Names of the deck's subdecks that hold cards (which an export leaves out)."""
    prefix = normalise_deck_name(deck) + SEPARATOR
    query = (
        Deck.select(Deck.name)
        .join(Card)
        .where(Deck.name.startswith(prefix))
        .distinct()
        .order_by(Deck.name)
        .tuples()
    )
    return [name for (name,) in query]


def export_deck(
    col: Collection, deck: str, path: Path, fmt: str | None, *, force: bool = False
) -> int:
    """Write the deck's own cards to `path` (toml, csv or apkg); returns how many were written.

    Never onto the collection or one of its backups, and onto an existing file only with
    `force`; the file appears complete or not at all (see `safe_files`).
    """
    path = Path(path).expanduser()
    refuse_protected(path, col.path)  # first: no other mistake may hide this one
    chosen = export_format(path, fmt)
    spec = deck_spec(col, deck)
    refuse_target(path, col.path, force=force)

    def write(partial: Path) -> None:
        if chosen == "apkg":
            write_apkg(spec, partial)
        else:
            text = write_toml(spec) if chosen == "toml" else write_csv(spec)
            partial.write_text(text, encoding="utf-8", newline="")

    write_atomically(path, write)
    return len(spec.cards)
