"""The tree a search query parses into: small frozen dataclasses, one per kind of term.

Text patterns are kept as `parts`: the pieces between `*` wildcards, so `d*g` is ("d", "g") and a
literal star (written `\\*`) stays inside its piece. Every compiler reads the same tree.
"""

from __future__ import annotations

from dataclasses import dataclass

TEXT_FIELDS = ("front", "back")
STATES = ("new", "due", "review", "suspended", "buried", "leech")
KINDS = ("basic", "reverse", "cloze", "type")
PROPS = ("ivl", "due", "ease", "lapses", "reps")
OPERATORS = ("<=", ">=", "!=", "<", ">", "=")


@dataclass(frozen=True)
class Everything:
    """The empty query: every card."""


@dataclass(frozen=True)
class Text:
    """Words or a phrase. `field` None means front, back or tags; `whole` means the field must
    match entirely (as `front:dog` in Anki), otherwise the pattern may match anywhere in it."""

    field: str | None
    parts: tuple[str, ...]
    whole: bool


@dataclass(frozen=True)
class Regex:
    """`re:PATTERN` (or `front:re:…`): a case-insensitive regular expression, checked at parse."""

    field: str | None
    pattern: str


@dataclass(frozen=True)
class DeckName:
    """`deck:NAME`: the deck and its subdecks; `parts` split at wildcards."""

    parts: tuple[str, ...]


@dataclass(frozen=True)
class Tag:
    """`tag:NAME`: cards with that tag or a tag below it (`NAME::child`)."""

    parts: tuple[str, ...]


@dataclass(frozen=True)
class State:
    """`is:new|due|review|suspended|buried|leech`."""

    name: str


@dataclass(frozen=True)
class Kind:
    """`type:basic|reverse|cloze|type`."""

    name: str


@dataclass(frozen=True)
class Prop:
    """`prop:ivl>=N` and friends; `value` is whole days, a count, or (ease) hundredths."""

    name: str
    op: str
    value: int


@dataclass(frozen=True)
class Added:
    """`added:N`: created in the last N days."""

    days: int


@dataclass(frozen=True)
class Rated:
    """`rated:N[:GRADE]`: answered on one of the last N study days (with that grade)."""

    days: int
    grade: int | None


@dataclass(frozen=True)
class Ids:
    """`id:N,M,…`."""

    ids: tuple[int, ...]


@dataclass(frozen=True)
class Not:
    item: Node


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


Node = (
    Everything
    | Text
    | Regex
    | DeckName
    | Tag
    | State
    | Kind
    | Prop
    | Added
    | Rated
    | Ids
    | Not
    | And
    | Or
)
