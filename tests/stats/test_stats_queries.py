"""collection_stats issues a fixed number of queries, however long the history or big the deck."""

from __future__ import annotations

import datetime as dt

import pytest
from playhouse.test_utils import count_queries

from flashcards.stats import collection_stats
from flashcards.storage import Card
from tests.stats.history import card, log

TODAY = dt.date(2026, 3, 2)


def _history(col, days: int, cards: int) -> None:
    ids = [
        card(col, "Lang::Verbs" if i % 2 else "Lang", due=TODAY + dt.timedelta(days=i % 40),
             repetitions=1 + i % 5, interval=1 + i % 50, easiness=130 + i % 120, lapses=i % 7)
        for i in range(cards)
    ]  # fmt: skip
    with col.db.atomic():
        for d in range(days):
            day = TODAY - dt.timedelta(days=d * 2)  # every other day: many streak runs
            log(ids[d % len(ids)], day, 1 + d % 5, reps=d % 3, interval=d % 40)
            log(ids[d % len(ids)], day, 4, drill=True)


def _queries(col, deck):
    with count_queries() as counter:
        collection_stats(col, deck)
    return counter.count


@pytest.mark.parametrize("deck", [None, "Lang"])
def test_query_count_does_not_grow_with_history_or_cards(col, deck):
    _history(col, days=10, cards=10)
    small = _queries(col, deck)
    Card.delete().execute()
    _history(col, days=200, cards=500)
    large = _queries(col, deck)
    assert small == large
    assert large <= 8
