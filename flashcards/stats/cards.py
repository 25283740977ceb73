"""Figures read from the cards: the due forecast, counts by state, easiness, the hardest cards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import SQL, Database, fn

from flashcards.decks.cloze import render_cloze
from flashcards.storage import Card, CardCount, Deck, DueCount, card_states
from flashcards.storage.binding import runs_on_collection
from flashcards.storage.card_states import MATURE_INTERVAL, is_leech
from flashcards.storage.stored_dates import stored_date

__all__ = ["MATURE_INTERVAL", "counts_and_easiness", "forecast", "hardest_cards"]
FORECAST_DAYS = 30
HARDEST_LIMIT = 10


@dataclass(frozen=True)
class ForecastDay:
    date: dt.date
    due: int  # unsuspended reviewed cards due that day (today: overdue ones too)


@dataclass(frozen=True)
class CardCounts:
    """Cards by state. new/learning/young/mature/suspended split the deck; leech overlaps them."""

    new: int  # never reviewed, not suspended; buried ones included (card_states.new_by_state)
    learning: int  # reviewed, repetitions <= 1 (just learned, or relearning after a lapse)
    young: int  # repetitions >= 2, interval < 21 days
    mature: int  # repetitions >= 2, interval >= 21 days
    suspended: int
    leech: int  # tagged leech (most are suspended too)

    @property
    def total(self) -> int:
        return self.new + self.learning + self.young + self.mature + self.suspended


@dataclass(frozen=True)
class EaseCount:
    easiness: int  # hundredths: 250 = 2.50
    cards: int  # reviewed cards (suspended included) with that easiness


@dataclass(frozen=True)
class HardCard:
    id: int
    deck: str
    front: str
    lapses: int
    easiness: int
    kind: str = "basic"
    ordinal: int = 0

    @property
    def shown_front(self) -> str:
        """The front as a reader sees it once answered: a cloze with its deletions filled in
        (raw `{{c1::arteries}}` markup means nothing in a list), on one line."""
        text = self.front
        if self.kind == "cloze":
            text = "".join(part for part, _ in render_cloze(text, self.ordinal, True))
        return " ".join(text.split())


def _scoped(db: Database, query, deck_ids: list[int] | None):
    """The query on `db`, limited to the decks (every deck when None)."""
    query = query.bind(db)
    return query if deck_ids is None else query.where(Card.deck.in_(deck_ids))


@runs_on_collection
def forecast(
    db: Database, today: dt.date, deck_ids: list[int] | None = None, days: int = FORECAST_DAYS
):
    """Cards due on each of the next `days` days, today first; overdue cards count for today.

    Read from `due_counts` (schema_v6.py), the unsuspended reviewed cards per deck and due
    date, kept by triggers: a row per date that has cards, not a row per card.
    """
    last = today + dt.timedelta(days=days - 1)
    query = (
        DueCount.select(DueCount.due, fn.SUM(DueCount.cards))
        .where(DueCount.due <= last)
        .group_by(DueCount.due)
        .bind(db)
    )
    if deck_ids is not None:
        query = query.where(DueCount.deck_id.in_(deck_ids))
    counts = [0] * days
    for stored, n in query.tuples():
        due = stored_date(stored)
        if due is not None:  # a damaged date is no day to count it on
            counts[max(0, (due - today).days)] += int(n)
    return tuple(ForecastDay(today + dt.timedelta(days=i), n) for i, n in enumerate(counts))


@runs_on_collection
def counts_and_easiness(db: Database, deck_ids: list[int] | None = None):
    """Card counts by state and the easiness distribution of reviewed cards.

    Read from `card_counts` (schema_v6.py), the cards per deck, suspended or not, state and
    easiness, kept by triggers: a few hundred rows however many cards. Leeches are a range
    count of the partial index `card_leech` (tags are no key of the counters).
    """
    query = (
        CardCount.select(
            CardCount.suspended, CardCount.state, CardCount.easiness, fn.SUM(CardCount.cards)
        )
        .group_by(CardCount.suspended, CardCount.state, CardCount.easiness)
        .bind(db)
    )
    if deck_ids is not None:
        query = query.where(CardCount.deck_id.in_(deck_ids))
    by_state = dict.fromkeys(card_states.STATES, 0)
    suspended = 0
    ease: dict[int, int] = {}
    for is_suspended, state, easiness, n in query.tuples():
        n = int(n)
        if is_suspended:
            suspended += n
        else:
            by_state[state] += n
        if state != "new" and n:
            ease[int(easiness)] = ease.get(int(easiness), 0) + n
    counts = CardCounts(
        by_state["new"],
        by_state["learning"],
        by_state["young"],
        by_state["mature"],
        suspended,
        leech=_leech_count(db, deck_ids),
    )
    return counts, tuple(EaseCount(e, n) for e, n in sorted(ease.items()) if n)


def _leech_count(db: Database, deck_ids: list[int] | None) -> int:
    """Cards tagged leech: a range count of the partial index `card_leech` (schema_v2.py),
    whose WHERE clause `card_states.is_leech` reads exactly as."""
    query = _scoped(db, Card.select(fn.COUNT(SQL("*"))).where(is_leech(db)), deck_ids)
    return int(query.scalar())


@runs_on_collection
def hardest_cards(db: Database, deck_ids: list[int] | None = None, limit: int = HARDEST_LIMIT):
    """The reviewed cards with the most lapses, then the lowest easiness.

    The ids come from the card_deck_state index alone (lapses and easiness are in it), then
    only those rows are read: sorting every row with its text cost twice as much. Deck names
    come from a second query: joining `deck` first makes SQLite walk the (deck, due) index and
    fetch every card row at random, several times slower than one table scan.
    """
    order = (Card.lapses.desc(), Card.easiness, Card.id)
    chosen = Card.select(Card.id).where(card_states.is_reviewed()).order_by(*order).limit(limit)
    query = (
        Card.select(
            Card.id, Card.deck, Card.front, Card.lapses, Card.easiness, Card.kind, Card.ordinal
        )
        .where(Card.id.in_(_scoped(db, chosen, deck_ids)))
        .order_by(*order)
    )
    rows = list(query.bind(db).tuples())
    names = dict(
        Deck.select(Deck.id, Deck.name).where(Deck.id.in_({r[1] for r in rows})).bind(db).tuples()
    )
    return tuple(
        HardCard(card_id, names.get(deck_id, ""), front, lapses, easiness, kind, ordinal)
        for card_id, deck_id, front, lapses, easiness, kind, ordinal in rows
    )
