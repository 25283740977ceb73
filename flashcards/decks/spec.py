"""Plain dataclasses that every deck format parses into and writes from.

They hold no database ids and no behaviour, so the parsers stay pure and the import service can
compare a file with what is stored by `CardSpec.key` alone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from flashcards.decks.limits import MAX_FIELD_CHARS
from flashcards.decks.media_names import MediaFile

__all__ = [
    "KINDS",
    "MAX_FIELD_CHARS",
    "CardKind",
    "CardSpec",
    "DeckSpec",
    "ImportedScheduling",
    "ParsedFile",
    "Problem",
]


class CardKind(StrEnum):
    """What a stored card is; a TOML `reverse` card becomes two `basic` cards."""

    BASIC = "basic"
    CLOZE = "cloze"  # one deletion of a cloze note, `ordinal` its number
    TYPE = "type"  # the answer is typed and compared


KINDS = tuple(CardKind)
"""Card kinds a `CardSpec` can have."""


def card_kind(stored: str) -> CardKind:
    """The kind of a stored card; one this build does not know (a row another program wrote)
    is shown as a basic card, front and back, which is what every screen did with it before."""
    return _KIND_OF.get(stored, CardKind.BASIC)  # a dict: the session asks once a card shown


_KIND_OF = {kind.value: kind for kind in CardKind}


@dataclass(frozen=True)
class ImportedScheduling:
    """Progress carried over from Anki, already translated to SM-2 terms.

    `easiness` is in hundredths (250 = 2.50), as the scheduler stores it, so no float ever enters.
    `due` None: the card is still new (it may still be suspended or buried). `buried_until` is
    the study day the card shows again (hidden while today < buried_until).
    """

    repetitions: int
    interval: int
    easiness: int
    due: datetime.date | None
    lapses: int
    suspended: bool = False
    buried_until: datetime.date | None = None


@dataclass(frozen=True)
class CardSpec:
    """One reviewable card as a file describes it; `key` is stable across edits of the back."""

    key: str
    kind: CardKind | str  # parsers pass the kind's text; it compares equal to the member
    front: str
    back: str
    tags: tuple[str, ...] = ()
    ordinal: int = 0
    source: str = ""
    media: bool = False
    scheduling: ImportedScheduling | None = None


@dataclass(frozen=True)
class DeckSpec:
    """A named deck and its cards; `name` may be nested as "Parent::Child"."""

    name: str
    description: str
    cards: tuple[CardSpec, ...]


@dataclass(frozen=True)
class Problem:
    """One invalid card: the importer lists them all, and skips them only with --skip-invalid."""

    source: str
    message: str


@dataclass(frozen=True)
class ParsedFile:
    """Everything one file yielded: its decks (valid cards only) and the per-card problems."""

    decks: tuple[DeckSpec, ...]
    problems: tuple[Problem, ...]
    media: tuple[MediaFile, ...] = ()  # images and sounds an Anki package carried
