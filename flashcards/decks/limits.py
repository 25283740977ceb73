"""The bounds every deck parser enforces, in one place, so no file can make an import unbounded.

A deck file is written by someone else. A 12 KB package once made 2,000 cards of 200,000
characters each (a 397 MB collection), and an Anki value of 1e300 reached the database. So:

- sizes: characters per field, cards per note, and a budget (cards and characters of card text,
  tags included)
  for the whole import, checked while parsing so memory stops growing at the limit;
- names: deck-name length and depth, card-key length (both columns are 255 characters);
- numbers: every integer read from a file is range-checked here before it can be stored, so it
  fits a PostgreSQL INTEGER (32 bits) as well as SQLite's 64.

The budget's two figures are the only limits a user may raise (`--max-cards`, `--max-chars`);
the others are far above any real deck and protect the columns or the screen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Protocol

from flashcards.errors import DeckError

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
"""Any SQLite integer: for Anki values that are only ever read, never stored as they are."""
INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1
"""A PostgreSQL INTEGER column; SQLite takes 64 bits, so this is the bound for both."""

MAX_FIELD_CHARS = 100_000
"""Longest field we accept; anything longer is almost certainly a mistake (or an attack)."""
MAX_CARDS_PER_NOTE = 500
"""Cards one note (a TOML card, a CSV row, an Anki note) may make; Anki's cloze ceiling."""
MAX_DECK_NAME_CHARS = 255
"""The deck-name column's length (a PostgreSQL varchar(255))."""
MAX_DECK_DEPTH = 32
"""Levels in a `Parent::Child` name; real decks nest a handful, 2,000 froze the deck list."""
MAX_KEY_CHARS = 255
"""The card-key column's length: TOML ids, CSV guids and Anki guids (plus `::N`) must fit."""

DEFAULT_MAX_CARDS = 200_000
"""Cards one import may create: twice the 100,000-card benchmark deck (`--max-cards N`)."""
DEFAULT_MAX_CHARS = 50_000_000
"""Characters of card text (fronts and backs) one import may create (`--max-chars N`): the
benchmark's 100,000 cards hold 20 million."""

ANKI_RANGES: dict[str, tuple[int, int]] = {
    "ord": (0, MAX_CARDS_PER_NOTE - 1),
    "type": (-1, 3),
    "queue": (-3, 4),  # -3/-2 buried, -1 suspended, 0 new, 1/3 learning, 2 review, 4 preview
    # Days from the collection's creation: an absurd one falls back to today, never stored.
    "due": (INT64_MIN, INT64_MAX),
    "odue": (INT64_MIN, INT64_MAX),
    "ivl": (INT64_MIN, INT64_MAX),  # negative: seconds of a learning step; clamped to 1-36,500
    "factor": (0, 100_000),  # per mille: 2500 is an ease of 2.50
    "lapses": (0, 1_000_000),
    "reps": (0, 1_000_000),
}
"""What a value of an Anki `cards` column may be; outside it the card is reported, not stored."""


class OutOfRange(ValueError):
    """A number in a file outside what may be stored; the parsers report it per card."""


def shown(value: object, limit: int = 60) -> str:
    """A file's value quoted for a message, cut short: a 10 MB tag makes no one-line error.

    Containers are not repr'd at all (a list nested 900 deep would overflow the stack).
    """
    if not isinstance(value, str | int | float | bool):
        return f"a value of type {type(value).__name__}"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**30:
        return "a huge number"  # repr() refuses past 4,300 digits
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def checked_int(value: object, name: str, low: int, high: int) -> int:
    """`value` as an int within [low, high], or OutOfRange naming the value and the range.

    Accepts ints and integral floats (SQLite hands back 1e300 as a float), never bools, NaN,
    infinities or text, so nothing but a small integer reaches a column.
    """
    given = value
    if isinstance(value, bool):
        raise OutOfRange(f"{name} must be a number, not {value!r}")
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise OutOfRange(f"{name} {value!r} is not a whole number")
        value = int(value)
    if not isinstance(value, int):
        raise OutOfRange(f"{name} must be a number, not {type(value).__name__}")
    if not low <= value <= high:
        number = f"{value:,}" if abs(value) < 10**15 else shown(given)
        raise OutOfRange(f"{name} {number} is outside the allowed range {low:,} to {high:,}")
    return value


def anki_int(value: object, column: str) -> int:
    """An Anki `cards` column's value, range-checked against ANKI_RANGES."""
    low, high = ANKI_RANGES[column]
    return checked_int(value, column, low, high)


def check_key(key: str) -> str:
    """A card key that fits its column, or OutOfRange."""
    if len(key) > MAX_KEY_CHARS:
        raise OutOfRange(f"the card key is longer than {MAX_KEY_CHARS} characters")
    return key


class CardText(Protocol):
    """What the budget counts of a card (a CardSpec; spec.py imports this module)."""

    front: str
    back: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class ImportLimits:
    """The limits a user may raise for one import; the defaults suit any real collection."""

    max_cards: int = DEFAULT_MAX_CARDS
    max_chars: int = DEFAULT_MAX_CHARS


@dataclass
class Budget:
    """What one import has made so far, against its limits; shared by every file it reads.

    Parsers charge each card as they make it, so a hostile file is refused when it crosses the
    limit instead of after it has filled memory.
    """

    limits: ImportLimits = field(default_factory=ImportLimits)
    cards: int = 0
    chars: int = 0

    def charge(self, source: str, card: CardText) -> None:
        """Count one card (its front, back and tags); DeckError naming the limit, and how to
        raise it, once over it."""
        self.cards += 1
        tags = card.tags
        self.chars += len(card.front) + len(card.back) + sum(map(len, tags)) + len(tags)
        if self.cards > self.limits.max_cards or self.chars > self.limits.max_chars:
            self.check(source)

    def check(self, source: str) -> None:
        """DeckError naming the limit the cards counted so far are over, and how to raise it
        (for parsers that count in bulk, as `delimited_cards.plain_batch`)."""
        if self.cards > self.limits.max_cards:
            raise DeckError(
                source,
                f"makes more than {self.limits.max_cards:,} cards, the limit "
                "for one import (--max-cards N raises it)",
            )
        if self.chars > self.limits.max_chars:
            raise DeckError(
                source,
                f"makes more than {self.limits.max_chars:,} characters of "
                "card text, the limit for one import (--max-chars N raises it)",
            )


MAX_MEDIA_FILE_BYTES = 50 * 1024 * 1024
"""Largest image or sound one package may carry (uncompressed): Anki's own sync limit is 100 MB
for everything, and a card's picture or clip is far smaller."""
MAX_MEDIA_TOTAL_BYTES = 1024 * 1024 * 1024
"""Media bytes one package may carry in all."""
MAX_MEDIA_FILES = 50_000
"""Media files one package may list: a hostile map must not make a million entries."""
MAX_MEDIA_NAME_CHARS = 255
"""A media file name, as most file systems allow it."""
