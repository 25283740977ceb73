"""Stable card keys and the per-deck uniqueness rule shared by every parser.

A key derived from the front alone survives edits of the back (and of whitespace or letter case
in the front), so re-importing a corrected file updates cards instead of duplicating them.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable

from flashcards.decks.spec import CardSpec, DeckSpec, Problem

KEY_HEX_CHARS = 16
"""64 bits of sha1: collisions within one deck are not a practical concern."""


def normalise_front(text: str) -> str:
    """NFC, case-folded, whitespace collapsed and stripped: what "the same question" means."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    elif text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        # Most fronts of a big import: ASCII is NFC already and case-folds as it lowers, and
        # printable ASCII holds no whitespace but the space, so without a space doubled or at
        # either end it is collapsed already (a fifth of `derive_key`'s time at 200,000 rows).
        return text.lower()
    return " ".join(text.casefold().split())


def derive_key(front: str) -> str:
    """A key for a card without an explicit id: a short hash of its normalised front."""
    digest = hashlib.sha1(normalise_front(front).encode("utf-8")).hexdigest()
    return digest[:KEY_HEX_CHARS]


def drop_duplicate_keys(cards: Iterable[CardSpec]) -> tuple[list[CardSpec], list[Problem]]:
    """Keep the first card of each key; every later one becomes a Problem naming the first."""
    seen: dict[str, CardSpec] = {}
    kept: list[CardSpec] = []
    problems: list[Problem] = []
    for card in cards:
        first = seen.get(card.key)
        if first is not None:
            where = f" (first at {first.source})" if first.source else ""
            problems.append(Problem(card.source, f"duplicate card key {card.key!r}{where}"))
            continue
        seen[card.key] = card
        kept.append(card)
    return kept, problems


def group_decks(
    cards_by_deck: dict[str, list[CardSpec]], descriptions: dict[str, str] | None = None
) -> tuple[tuple[DeckSpec, ...], list[Problem]]:
    """Build DeckSpecs in first-seen order, enforcing unique keys within each deck."""
    descriptions = descriptions or {}
    decks: list[DeckSpec] = []
    problems: list[Problem] = []
    for name, cards in cards_by_deck.items():
        kept, dupes = drop_duplicate_keys(cards)
        problems.extend(dupes)
        decks.append(DeckSpec(name, descriptions.get(name, ""), tuple(kept)))
    return tuple(decks), problems


def note_key(key: str, kind: str) -> str:
    """The note a card belongs to, from its key: what its siblings share.

    The parsers key the cards of one note alike: a reverse pair `K` and `K::reverse`, a cloze
    text's deletions `K::c1`, `K::c2`, …, an Anki note's cards `GUID::0`, `GUID::1`, …. So the
    note is the key without that suffix (a lone card is a note of its own, keyed by itself).
    Schema step 3 (`storage/schema_v3.py`) holds a frozen copy of this rule for old collections.
    """
    base, sep, last = key.rpartition("::")
    if not sep or not base:
        return key
    if last == "reverse":
        return base
    if kind == "cloze" and (last.isdigit() or (last[:1] == "c" and last[1:].isdigit())):
        return base
    if kind != "cloze" and last in ("0", "1"):
        return base
    return key


def key_aliases(spec: CardSpec) -> tuple[str, ...]:
    """Keys the same card had before a trip through Anki.

    An exported TOML card `K` comes back from Anki as `K::0`, the reverse card `K::reverse` as
    `K::1`, a cloze card `K::c2` as `K::1`: the importer matches these to the stored card, so
    flashcards → Anki → flashcards updates cards instead of adding them twice.
    """
    return aliases_of(spec.key, spec.kind)


def aliases_of(key: str, kind: str) -> tuple[str, ...]:
    """`key_aliases` of a card's key and kind."""
    base, sep, tail = key.rpartition("::")
    if not sep or not tail.isdecimal() or len(tail) > 3:
        return ()
    if kind == "cloze":
        return (f"{base}::c{int(tail) + 1}",)
    return (base,) if tail == "0" else (f"{base}::reverse",) if tail == "1" else ()
