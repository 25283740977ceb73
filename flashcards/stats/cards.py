"""Figures read from the cards: the due forecast, counts by state, easiness, the hardest cards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import SQL, Case, Database, fn

from flashcards.decks.cloze import render_cloze
from flashcards.stats._common import as_date
from flashcards.storage import Card, Deck, card_states
from flashcards.storage.card_states import MATURE_INTERVAL, is_leech

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

    new: int  # never reviewed, not suspended
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


def _count(condition) -> fn:
    return fn.COUNT(Case(None, [(condition, 1)]))


def _scoped(db: Database, query, deck_ids: list[int] | None):
    """The query on `db`, limited to the decks (every deck when None)."""
    query = query.bind(db)
    return query if deck_ids is None else query.where(Card.deck.in_(deck_ids))


def forecast(
    db: Database, today: dt.date, deck_ids: list[int] | None = None, days: int = FORECAST_DAYS
):
    """Cards due on each of the next `days` days, today first; overdue cards count for today."""
    last = today + dt.timedelta(days=days - 1)
    query = (
        Card.select(Card.due, fn.COUNT(SQL("*")))
        .where(card_states.is_active(), card_states.is_reviewed(), Card.due <= last)
        .group_by(Card.due)
    )
    counts = [0] * days
    for due, n in _scoped(db, query, deck_ids).tuples():
        counts[max(0, (as_date(due) - today).days)] += n
    return tuple(ForecastDay(today + dt.timedelta(days=i), n) for i, n in enumerate(counts))


def counts_and_easiness(db: Database, deck_ids: list[int] | None = None):
    """Card counts by state and the easiness distribution of reviewed cards, in one pass.

    Every column here is in the card_deck_state index, so SQLite reads the index alone.
    """
    active = card_states.is_active()
    query = Card.select(
        Card.easiness,
        _count(active & card_states.is_new()),
        _count(active & card_states.is_learning()),
        _count(active & card_states.is_young()),
        _count(active & card_states.is_mature()),
        _count(card_states.is_suspended()),
        _count(card_states.is_reviewed()),
    ).group_by(Card.easiness)
    totals = [0] * 5
    ease = []
    for easiness, *figures, reviewed_n in _scoped(db, query, deck_ids).tuples():
        for i, value in enumerate(figures):
            totals[i] += value
        if reviewed_n:
            ease.append(EaseCount(int(easiness), int(reviewed_n)))
    ease.sort(key=lambda e: e.easiness)
    return CardCounts(*totals, leech=_leeches(db, deck_ids)), tuple(ease)


def _leeches(db: Database, deck_ids: list[int] | None) -> int:
    """Cards tagged leech, through the partial index `card_leech` (schema_v2.py), whose WHERE
    clause `card_states.is_leech` reads exactly as."""
    query = Card.select(fn.COUNT(SQL("*"))).where(is_leech(db))
    return int(_scoped(db, query, deck_ids).scalar())


def hardest_cards(db: Database, deck_ids: list[int] | None = None, limit: int = HARDEST_LIMIT):
    """The reviewed cards with the most lapses, then the lowest easiness.

    Deck names come from a second query: joining `deck` first makes SQLite walk the (deck, due)
    index and fetch every card row at random, several times slower than one table scan.
    """
    query = (
        Card.select(
            Card.id, Card.deck, Card.front, Card.lapses, Card.easiness, Card.kind, Card.ordinal
        )
        .where(card_states.is_reviewed())
        .order_by(Card.lapses.desc(), Card.easiness, Card.id)
        .limit(limit)
    )
    rows = list(_scoped(db, query, deck_ids).tuples())
    names = dict(
        Deck.select(Deck.id, Deck.name).where(Deck.id.in_({r[1] for r in rows})).bind(db).tuples()
    )
    return tuple(
        HardCard(card_id, names.get(deck_id, ""), front, lapses, easiness, kind, ordinal)
        for card_id, deck_id, front, lapses, easiness, kind, ordinal in rows
    )
