"""Exporting a deck to a file: TOML (exact round trip), CSV (Anki's notes in plain text) or an
Anki package (notes, schedule and review log).

Only the named deck's own cards are written, not its subdecks': folding subdecks in would move
their cards into the parent on re-import (and could merge two cards with the same key). A deck
with no cards of its own (only subdecks) exports its subdecks, each as its own deck, to .apkg or
CSV, which hold several decks; TOML holds one, so that is refused with the subdecks named.

TOML keeps every card's key: the writer gives each card an explicit `id` and regroups the stored
cards into what produced them (a `reverse` card from the pair K and K::reverse, one cloze note
from K::c1, K::c2, …), so importing the file into a fresh collection yields the same keys, kinds,
ordinals, fronts, backs and tags. Progress goes only into .apkg (see `decks/apkg_write.py`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flashcards.decks.apkg_write import ReviewEntry, anki_button, write_apkg
from flashcards.decks.delimited import write_csv
from flashcards.decks.media_names import media_refs
from flashcards.decks.names import SEPARATOR
from flashcards.decks.spec import CardSpec, DeckSpec, ImportedScheduling
from flashcards.decks.toml_format import write_toml
from flashcards.errors import UserError
from flashcards.services.collection import Collection
from flashcards.services.decks import normalise_deck_name
from flashcards.services.media import stored_media
from flashcards.services.safe_files import refuse_protected, refuse_target, write_atomically
from flashcards.storage import Card, Deck, Review
from flashcards.storage.binding import runs_on_collection

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


@runs_on_collection
def deck_spec(col: Collection, deck: str) -> DeckSpec:
    """The deck's own cards (not its subdecks'), in the order they were added, as a DeckSpec;
    each card carries its schedule (`scheduling`, None for a plain new card)."""
    name = normalise_deck_name(deck)
    row = Deck.get_or_none(Deck.name == name)
    if row is None:
        raise UserError(f"no deck named {deck!r} (see `flashcards decks`)")
    return _spec_of(row)


def _spec_of(row: Deck) -> DeckSpec:
    query = (
        Card.select(
            Card.key,
            Card.kind,
            Card.front,
            Card.back,
            Card.tags,
            Card.ordinal,
            Card.repetitions,
            Card.interval,
            Card.easiness,
            Card.due,
            Card.lapses,
            Card.suspended,
            Card.buried_until,
        )
        .where(Card.deck == row.id)
        .order_by(Card.id)
        .tuples()
    )
    cards = []
    for key, kind, front, back, tags, ordinal, reps, ivl, ease, due, lapses, susp, buried in query:
        sched = None
        if due is not None or susp or buried is not None:
            sched = ImportedScheduling(reps, ivl, ease, due, lapses, bool(susp), buried)
        cards.append(
            CardSpec(key, kind, front, back, tuple(tags.split()), ordinal, scheduling=sched)
        )
    return DeckSpec(row.name, row.description, tuple(cards))


def _review_log(deck_names: list[str]) -> dict[str, list[ReviewEntry]]:
    """The scheduled answers (not drills) of the decks' cards, oldest first, by card key."""
    query = (
        Review.select(
            Card.key,
            Review.reviewed_at,
            Review.button,
            Review.quality,
            Review.after_interval,
            Review.before_interval,
            Review.after_easiness,
            Review.duration_ms,
            Review.before_due,
        )
        .join(Card)
        .join(Deck)
        .where(Deck.name.in_(deck_names), Review.drill == False)  # noqa: E712
        .order_by(Review.reviewed_at, Review.id)
        .tuples()
    )
    log: dict[str, list[ReviewEntry]] = {}
    for key, at, button, quality, after, before, ease, duration, before_due in query:
        stamp = at if isinstance(at, dt.datetime) else dt.datetime.fromisoformat(str(at))
        log.setdefault(key, []).append(
            ReviewEntry(
                stamp.replace(tzinfo=dt.UTC) if stamp.tzinfo is None else stamp,
                anki_button(button, quality),
                after,
                before,
                ease,
                duration or 0,
                0 if before_due is None else 1,
            )
        )
    return log


@runs_on_collection
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


@runs_on_collection
def decks_to_export(col: Collection, deck: str, fmt: str) -> list[DeckSpec]:
    """The deck's own cards; for a deck with none of its own, its subdecks' (.apkg and CSV hold
    several decks; TOML holds one, so there it is a UserError naming them). A deck with no
    cards anywhere is a UserError: an export never writes an empty file."""
    spec = deck_spec(col, deck)
    if spec.cards:
        return [spec]
    subdecks = subdecks_with_cards(col, deck)
    if not subdecks:
        raise UserError(f"deck {spec.name!r} has no cards (nor have its subdecks); nothing written")
    if fmt == "toml":
        raise UserError(
            f"deck {spec.name!r} has no cards of its own, only its subdecks "
            f"({', '.join(subdecks)}); a TOML file holds one deck: export each "
            "subdeck, or export to .apkg or .csv; nothing written"
        )
    return [_spec_of(Deck.get(Deck.name == name)) for name in subdecks]


@runs_on_collection
def export_deck(
    col: Collection,
    deck: str,
    path: Path,
    fmt: str | None,
    *,
    force: bool = False,
    with_scheduling: bool = True,
) -> int:
    """Write the deck's own cards to `path` (toml, csv or apkg); returns how many were written.

    A deck with no cards of its own exports its subdecks instead (.apkg, .csv). An .apkg
    carries each card's schedule and the review log unless `with_scheduling` is False.
    Never onto the collection or one of its backups, and onto an existing file only with
    `force`; the file appears complete or not at all (see `safe_files`).
    """
    path = Path(path).expanduser()
    refuse_protected(path, col.path)  # first: no other mistake may hide this one
    chosen = export_format(path, fmt)
    specs = decks_to_export(col, deck, chosen)
    refuse_target(path, col.path, force=force)
    today = col.clock.today()
    reviews = _review_log([s.name for s in specs]) if with_scheduling and chosen == "apkg" else {}
    media = _media_of(specs) if chosen == "apkg" else {}

    def write(partial: Path) -> None:
        if chosen == "apkg":
            write_apkg(
                specs,
                partial,
                today=today,
                reviews=reviews,
                with_scheduling=with_scheduling,
                media=media,
            )
        else:
            text = write_toml(specs[0]) if chosen == "toml" else write_csv(specs)
            partial.write_text(text, encoding="utf-8", newline="")

    write_atomically(path, write)
    return sum(len(s.cards) for s in specs)


def _media_of(specs: list[DeckSpec]) -> dict[str, bytes]:
    """The stored media the exported cards' markers name, by name."""
    names = (
        ref.name
        for spec in specs
        for card in spec.cards
        for ref in media_refs(f"{card.front}\n{card.back}")
    )
    return stored_media(names)
