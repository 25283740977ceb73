"""Cards grouped back into the Anki notes they came from, for the Anki exports (.apkg, CSV).

An Anki card `G::N` belongs to note `G` (card N); a TOML reverse pair `K`/`K::reverse` and a
TOML cloze `K::c1`, `K::c2`… are one note `K`. Each note gets its note type: Basic, Basic (and
reversed card) when the pair still mirror each other, Cloze with all its deletions in the deck,
Basic (type in the answer). A card that fits no sibling becomes a note of its own under its
own key, so no guid is ever used twice.

Until cards carry a note of their own, this is the one place that knows how siblings are keyed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from flashcards.decks.spec import CardSpec

__all__ = ["NOTE_TYPES", "AnkiNote", "group_notes"]

NOTE_TYPES = {
    "basic": "Basic",
    "reversed": "Basic (and reversed card)",
    "cloze": "Cloze",
    "type": "Basic (type in the answer)",
}
"""Our note kinds and the names of Anki's stock note types for them."""

_ANKI_KEY_RE = re.compile(r"^(?P<base>.+)::(?P<n>\d{1,3})$")
_CLOZE_KEY_RE = re.compile(r"^(?P<base>.+)::c(?P<n>\d{1,3})$")
_REVERSE_SUFFIX = "::reverse"


@dataclass
class AnkiNote:
    """One note: its kind (a NOTE_TYPES key), two fields as plain text, guid, tags, and its
    cards by template ord (a cloze card's ord is its deletion number less one)."""

    kind: str
    fields: list[str]
    guid: str
    tags: list[str]
    cards: dict[int, CardSpec] = field(default_factory=dict)


def _base(key: str) -> tuple[str, int]:
    """(note key, card ord) of a card key: `G::N` (Anki), `K::cN` / `K::reverse` (TOML)."""
    if key.endswith(_REVERSE_SUFFIX):
        return key[: -len(_REVERSE_SUFFIX)], 1
    match = _CLOZE_KEY_RE.match(key)
    if match:
        return match["base"], int(match["n"]) - 1
    match = _ANKI_KEY_RE.match(key)
    if match:
        return match["base"], int(match["n"])
    return key, 0


def group_notes(cards: Iterable[CardSpec]) -> list[AnkiNote]:
    """The notes the cards came from, in the order of their first cards."""
    groups: dict[str, list[tuple[int, CardSpec]]] = {}
    for card in cards:
        base, ord_ = _base(card.key)
        if card.kind == "cloze" and card.ordinal > 0:
            ord_ = card.ordinal - 1
        groups.setdefault(base, []).append((ord_, card))
    notes: list[AnkiNote] = []
    for base, members in groups.items():
        notes.extend(_notes_of(base, members))
    return notes


def _notes_of(base: str, members: list[tuple[int, CardSpec]]) -> list[AnkiNote]:
    """One note for a group of sibling cards, plus a note of its own for each card that does
    not fit it."""
    first = members[0][1]
    by_ord: dict[int, CardSpec] = {}
    for ord_, card in members:
        by_ord.setdefault(ord_, card)
    if first.kind == "cloze":
        cloze = {o: c for o, c in by_ord.items() if c.kind == "cloze" and c.front == first.front}
        kept = {id(c) for c in cloze.values()}
        note = AnkiNote("cloze", [first.front, first.back], base, list(first.tags), cloze)
        return [note, *(_single(c) for _, c in members if id(c) not in kept)]
    zero, one = by_ord.get(0), by_ord.get(1)
    if (
        zero is not None
        and one is not None
        and zero.kind == one.kind == "basic"
        and one.front == zero.back
        and one.back == zero.front
    ):
        note = AnkiNote(
            "reversed", [zero.front, zero.back], base, list(zero.tags), {0: zero, 1: one}
        )
        return [note, *(_single(c) for _, c in members if c is not zero and c is not one)]
    if zero is not None:
        return [_single(zero, base), *(_single(c) for _, c in members if c is not zero)]
    return [_single(c) for _, c in members]


def _single(card: CardSpec, guid: str | None = None) -> AnkiNote:
    """A one-card note; a stray cloze card keeps its deletion number."""
    if card.kind == "cloze":
        return AnkiNote(
            "cloze",
            [card.front, card.back],
            guid or card.key,
            list(card.tags),
            {max(card.ordinal - 1, 0): card},
        )
    kind = "type" if card.kind == "type" else "basic"
    return AnkiNote(kind, [card.front, card.back], guid or card.key, list(card.tags), {0: card})
