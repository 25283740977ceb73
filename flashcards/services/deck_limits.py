"""Per-deck daily limits, and what a review of a deck would offer today under them.

A deck's limit is its own (`flashcards decks set`), else its nearest parent's, else the
settings'. Each deck's limit caps its whole subtree: reviewing `Spanish` with `Spanish` at 10
new a day and `Spanish::Verbs` at 5 shows at most 5 verbs and 10 new cards in all. The caps form
a tree, so taking cards in any order while every cap above a card has room reaches the largest
total there is, and that total is the same figure the home screen shows: min(cap, own cards +
what each child would offer). The same arithmetic serves the queue and the counts, so they agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from flashcards.decks.names import SEPARATOR
from flashcards.settings import Settings


class DeckLimits(NamedTuple):
    """A deck's own overrides (None: inherited) as stored. (A NamedTuple rather than a dataclass:
    it is defined before the first paint of the review and the home screen, a cold-start target,
    and costs a seventh as much to define.)"""

    deck_id: int
    name: str
    new_per_day: int | None
    reviews_per_day: int | None


def effective(decks: Iterable[DeckLimits], settings: Settings) -> dict[int, tuple[int, int]]:
    """Each deck's (new, reviews) limit: its own, else its nearest stored parent's, else the
    settings'. Parents are looked up by name, so a missing middle level is skipped."""
    by_name = {d.name: d for d in decks}
    found: dict[str, tuple[int, int]] = {}
    for name in sorted(by_name, key=lambda n: n.count(SEPARATOR)):
        deck = by_name[name]
        parts = name.split(SEPARATOR)[:-1]
        inherited = (settings.new_per_day, settings.reviews_per_day)
        while parts:
            parent = SEPARATOR.join(parts)
            if parent in found:
                inherited = found[parent]
                break
            parts.pop()
        found[name] = (
            inherited[0] if deck.new_per_day is None else deck.new_per_day,
            inherited[1] if deck.reviews_per_day is None else deck.reviews_per_day,
        )
    return {by_name[name].deck_id: limits for name, limits in found.items()}


def tree_parents(names: dict[int, str]) -> dict[int, int | None]:
    """Each deck's nearest ancestor among `names` (None for a root of this set of decks)."""
    ids = {name: deck_id for deck_id, name in names.items()}
    parents: dict[int, int | None] = {}
    for deck_id, name in names.items():
        parts = name.split(SEPARATOR)[:-1]
        parents[deck_id] = None
        while parts:
            parent = ids.get(SEPARATOR.join(parts))
            if parent is not None:
                parents[deck_id] = parent
                break
            parts.pop()
    return parents


class Caps:
    """Room left under every cap of a set of decks; a card is taken while all caps above it
    (its deck's, its ancestors' in the set, and an optional overall one) have room. `spare` is
    a budget beyond every cap (today's "more new cards"), shared by the whole tree: a card taken
    where the caps have no room left comes out of it."""

    def __init__(
        self,
        room: dict[int, int],
        parents: dict[int, int | None],
        overall: int | None = None,
        spare: int = 0,
    ) -> None:
        self.room = dict(room)
        self.parents = parents
        self.overall = None if overall is None else max(0, overall)
        self.spare = max(0, spare)

    def _chain(self, deck_id: int) -> list[int]:
        chain: list[int] = []
        current: int | None = deck_id
        while current is not None:
            chain.append(current)
            current = self.parents.get(current)
        return chain

    def _within(self, deck_id: int) -> int:
        rooms = [self.room.get(d, 0) for d in self._chain(deck_id)]
        if self.overall is not None:
            rooms.append(self.overall)
        return max(0, min(rooms))

    def ceiling(self) -> int:
        """The most cards all the caps together may still let through: the room of the top
        decks of the set (and the overall cap), plus the spare budget. Once it is 0, no card of
        any deck can be taken, so a caller walking a long list of candidates can stop."""
        tops = sum(max(0, self.room.get(d, 0)) for d, up in self.parents.items() if up is None)
        if self.overall is not None:
            tops = min(tops, self.overall)
        return tops + self.spare

    def left(self, deck_id: int) -> int:
        """How many more cards of this deck may be taken now."""
        return self._within(deck_id) + self.spare

    def take(self, deck_id: int, count: int = 1) -> None:
        self.spare -= max(0, count - self._within(deck_id))
        for d in self._chain(deck_id):
            self.room[d] = self.room.get(d, 0) - count
        if self.overall is not None:
            self.overall -= count


def offered(
    own: dict[int, int], room: dict[int, int], parents: dict[int, int | None]
) -> dict[int, int]:
    """For every deck, how many cards a review of it would offer: min(its room, its own cards
    plus what each child offers), each child capped by its own room first."""
    children: dict[int, list[int]] = {}
    for deck_id, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(deck_id)
    result: dict[int, int] = {}

    def total(deck_id: int) -> int:
        if deck_id not in result:
            inside = own.get(deck_id, 0) + sum(total(c) for c in children.get(deck_id, []))
            result[deck_id] = max(0, min(room.get(deck_id, 0), inside))
        return result[deck_id]

    for deck_id in sorted(parents, key=lambda d: -_depth(d, parents)):  # leaves first
        total(deck_id)
    return result


def _depth(deck_id: int, parents: dict[int, int | None]) -> int:
    depth, current = 0, parents.get(deck_id)
    while current is not None:
        depth, current = depth + 1, parents.get(current)
    return depth


def subtree_sums(values: dict[int, int], parents: dict[int, int | None]) -> dict[int, int]:
    """Each deck's value plus those of every deck below it (within `parents`' decks)."""
    sums = dict.fromkeys(parents, 0)
    for deck_id, value in values.items():
        current: int | None = deck_id if deck_id in parents else None
        while current is not None:
            sums[current] += value
            current = parents.get(current)
    return sums


def rooms(
    col_limits: dict[int, tuple[int, int]],
    studied: dict[int, tuple[int, int]],
    parents: dict[int, int | None],
) -> tuple[dict[int, int], dict[int, int]]:
    """Per deck, the (new, review) room left today: its limit less what its subtree studied."""
    new_done = subtree_sums({d: s[0] for d, s in studied.items()}, parents)
    rev_done = subtree_sums({d: s[1] for d, s in studied.items()}, parents)
    new_room = {d: col_limits[d][0] - new_done[d] for d in parents}
    review_room = {d: col_limits[d][1] - rev_done[d] for d in parents}
    return new_room, review_room


def spare_new(
    extra: int, col_limits: dict[int, tuple[int, int]], studied: dict[int, tuple[int, int]]
) -> int:
    """What is left today of `extra` more new cards for a tree: the new cards its decks started
    beyond their own limits came out of it already."""
    beyond = sum(max(0, s[0] - col_limits[d][0]) for d, s in studied.items() if d in col_limits)
    return max(0, extra - beyond)
