"""Adding notes a person types (the Add screen, `flashcards add`): checked, then one transaction.

Every note goes through `note_specs`, the parser a deck file's cards go through, so a typed note
is held to the same rules (a cloze text needs a deletion, no empty front). A note whose front is
already in the deck (the same question, compared as card keys compare fronts: case, spacing and
Unicode form aside) is a duplicate: reported and skipped unless duplicates are allowed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flashcards.decks.keys import normalise_front, note_key
from flashcards.decks.spec import CardSpec
from flashcards.decks.toml_format import note_specs
from flashcards.errors import UserError
from flashcards.services.collection import Collection
from flashcards.services.decks import ensure_deck, normalise_deck_name
from flashcards.storage import Deck
from flashcards.storage import front_keys as keyed
from flashcards.storage import notes as store
from flashcards.storage.binding import runs_on_collection
from flashcards.storage.database import run_read, run_write

MAX_PROBLEMS_SHOWN = 20


@dataclass(frozen=True)
class AddReport:
    """What an add did: cards and notes added, and the duplicates skipped (`where: front`)."""

    deck: str
    notes: int
    cards: int
    duplicates: tuple[str, ...] = ()
    card_ids: tuple[int, ...] = ()


def _front_of(specs: list[CardSpec]) -> str:
    return specs[0].front


def cards_of(table: dict[str, Any], where: str) -> list[CardSpec]:
    """The cards one note makes; a UserError saying what is wrong with it."""
    try:
        return note_specs(table, where)
    except ValueError as exc:
        raise UserError(f"{where}: {exc}") from None


def check_notes(notes: list[tuple[str, dict[str, Any]]]) -> list[list[CardSpec]]:
    """Every note's cards, or one UserError listing every invalid note (nothing is added)."""
    made: list[list[CardSpec]] = []
    problems: list[str] = []
    for where, table in notes:
        try:
            made.append(cards_of(table, where))
        except UserError as exc:
            problems.append(str(exc))
    if problems:
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - len(shown)
        tail = [f"(and {more} more)"] if more else []
        count = f"{len(problems)} invalid note{'s' if len(problems) != 1 else ''}"
        raise UserError("\n".join([f"{count}; nothing added", *shown, *tail]))
    if not made:
        raise UserError("no notes to add")
    return made


@runs_on_collection
def is_duplicate(col: Collection, deck: str, table: dict[str, Any]) -> bool:
    """Whether the deck already holds a card with this note's front (for the Add screen's flag)."""
    name = normalise_deck_name(deck)
    front = str(table.get("text" if table.get("type") == "cloze" else "front", ""))

    def read() -> bool:
        row = Deck.get_or_none(Deck.name == name)
        if row is None:
            return False
        kinds = ("cloze",) if table.get("type") == "cloze" else ("basic", "type")
        wanted = normalise_front(front)
        rows = keyed.cards_with_front_keys(row.id, kinds, [keyed.front_key(front)])
        return any(normalise_front(f) == wanted for _, f, _ in rows)

    return run_read(col.db, read, col.target)


def _free_key(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`, … : the first key no card (or sibling key) of the deck has."""
    if not any(k == base or k.startswith(base + "::") for k in taken):
        return base
    n = 2
    while any(k == f"{base}-{n}" or k.startswith(f"{base}-{n}::") for k in taken):
        n += 1
    return f"{base}-{n}"


@runs_on_collection
def add_notes(
    col: Collection,
    deck: str,
    notes: list[tuple[str, dict[str, Any]]],
    *,
    allow_duplicate: bool = False,
) -> AddReport:
    """Add notes (`(where, [[cards]] table)` pairs) to `deck`, creating it if it is new.

    All are checked first (a UserError listing every invalid one changes nothing); then one
    write transaction adds them. A note whose front the deck already has, or an earlier note of
    this batch had, is skipped and reported unless `allow_duplicate`.
    """
    name = normalise_deck_name(deck)
    made = check_notes(notes)

    def write() -> AddReport:
        deck_row = ensure_deck(col, name)
        now = col.clock.now().replace(tzinfo=None)
        seen = {
            family: _fronts_among(deck_row.id, kinds, [s for s in made if _family(s) == family])
            for family, kinds in _FAMILIES
        }
        taken = set(store.existing_keys(deck_row.id, _keys_near(made)))
        duplicates: list[str] = []
        ids: list[int] = []
        added_notes = 0
        for (where, _table), specs in zip(notes, made, strict=True):
            family = seen[_family(specs)]
            front = normalise_front(_front_of(specs))
            if front in family and not allow_duplicate:
                duplicates.append(f"{where}: {_front_of(specs)}")
                continue
            family.add(front)
            ids.extend(_insert(deck_row.id, specs, taken, now))
            added_notes += 1
        return AddReport(name, added_notes, len(ids), tuple(duplicates), tuple(ids))

    return run_write(col.db, write, col.target)


_FAMILIES = (("cloze", ("cloze",)), ("other", ("basic", "type")))
"""A cloze note is a duplicate of a cloze card's text; any other note of a basic or typed card."""


def _family(specs: list[CardSpec]) -> str:
    return "cloze" if specs[0].kind == "cloze" else "other"


def _fronts_among(deck_id: int, kinds: tuple[str, ...], made: list[list[CardSpec]]) -> set[str]:
    """The normalised fronts of the deck's cards that the new notes' fronts could equal: looked
    up by front key (an index probe), not by reading every front of the deck. Keys a bulk
    import left unset are computed here once and stored (`fill_front_keys`)."""
    if not made:
        return set()
    keys = {keyed.front_key(_front_of(specs)) for specs in made}
    rows = keyed.cards_with_front_keys(deck_id, kinds, keys)
    keyed.fill_front_keys(rows)
    return {normalise_front(front) for _, front, _ in rows}


def _keys_near(made: Iterable[list[CardSpec]]) -> set[str]:
    """The keys the new notes would take: which of them (or their `-n` forms) are in use is read
    in one query per 500, rather than one per note."""
    return {note_key(s.key, s.kind) for specs in made for s in specs} | {
        s.key for specs in made for s in specs
    }


def _insert(deck_id: int, specs: list[CardSpec], taken: set[str], now: dt.datetime) -> list[int]:
    """Insert one note's cards under a note key no card of the deck uses yet."""
    base = note_key(specs[0].key, specs[0].kind)
    if base in taken or any(s.key in taken for s in specs):
        taken.update(store.keys_starting(deck_id, base))
    free = _free_key(base, taken)
    ids = []
    for spec in specs:
        key = free + spec.key[len(base) :] if spec.key.startswith(base) else spec.key
        taken.add(key)
        ids.append(
            store.insert_card(
                deck_id,
                key,
                free,
                spec.kind,
                spec.front,
                spec.back,
                " ".join(spec.tags),
                spec.ordinal,
                now,
            )
        )
    return ids


@runs_on_collection
def known_tags(col: Collection) -> list[str]:
    """Every tag in the collection, sorted: what the Add screen completes from."""
    strings = run_read(col.db, store.tag_strings, col.target)
    return sorted({tag for text in strings for tag in text.split()})


@runs_on_collection
def deck_names(col: Collection) -> list[str]:
    """Every deck's name, sorted: what the Add screen offers."""
    return run_read(
        col.db,
        lambda: [n for (n,) in Deck.select(Deck.name).order_by(Deck.name).tuples()],
        col.target,
    )
