"""Deck names: the one home of the `Parent::Child` rule and of what a storable name is.

A deck's place in the tree is spelt in its name (as in Anki), so every layer that lists, nests,
creates or looks up decks needs the same rule. It lives here, in the pure core, and the parsers,
services, statistics and screens import it instead of splitting on "::" themselves.
"""

from __future__ import annotations

from collections.abc import Iterable

SEPARATOR = "::"


class InvalidDeckName(ValueError):
    """A deck name that cannot be stored; callers wrap it as a UserError or a DeckError.

    `name` is the name as far as it was normalised, `reason` a phrase that follows it
    ("has an empty part between '::'"), so each caller can word its own message.
    """

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"deck name {name!r} {reason}")
        self.name = name
        self.reason = reason


def split(name: str) -> list[str]:
    """`A :: B` → [`A`, `B`]: the levels of a name, each stripped of surrounding blanks."""
    return [part.strip() for part in name.split(SEPARATOR)]


def join(parts: Iterable[str]) -> str:
    """[`A`, `B`] → `A::B`."""
    return SEPARATOR.join(parts)


def normalise(name: str) -> str:
    """`A :: B` → `A::B` without checking it; for looking a name up, not for storing one."""
    return join(split(name))


def problem(name: str) -> str | None:
    """Why a normalised name cannot be stored (too deep or too long for its column), or None."""
    # The bounds are read here, not at import: `flashcards review` splits names before its first
    # paint, and the limits module (the parsers' dataclasses) is not needed for that.
    from flashcards.decks.limits import MAX_DECK_DEPTH, MAX_DECK_NAME_CHARS

    levels = depth(name) + 1
    if levels > MAX_DECK_DEPTH:
        return f"is nested {levels:,} levels deep; at most {MAX_DECK_DEPTH} are allowed"
    if len(name) > MAX_DECK_NAME_CHARS:
        return f"is longer than {MAX_DECK_NAME_CHARS} characters"
    return None


def validate(name: str) -> str:
    """The normalised name, or InvalidDeckName: no empty level, within the column's bounds."""
    parts = split(name)
    if not all(parts):
        raise InvalidDeckName(name, f"has an empty part between {SEPARATOR!r}")
    normal = join(parts)
    why = problem(normal)
    if why:
        raise InvalidDeckName(normal, why)
    return normal


def depth(name: str) -> int:
    """How deep a normalised name sits: 0 for a top-level deck, 1 for `A::B`."""
    return name.count(SEPARATOR)


def leaf(name: str) -> str:
    """`A::B::C` → `C`: what a tree view shows on the deck's own line."""
    return name.rsplit(SEPARATOR, 1)[-1]


def parent(name: str) -> str | None:
    """`A::B::C` → `A::B`; None for a top-level deck."""
    head, sep, _ = name.rpartition(SEPARATOR)
    return head if sep else None


def ancestors(name: str) -> list[str]:
    """`A::B::C` → [`A`, `A::B`]: every deck above this one, outermost first."""
    parts = name.split(SEPARATOR)
    return [join(parts[:i]) for i in range(1, len(parts))]


def in_tree(name: str, root: str) -> bool:
    """Whether `name` is `root` or one of its subdecks (`Lang::French` is in `Lang`, `Language`
    is not)."""
    return name == root or name.startswith(root + SEPARATOR)
