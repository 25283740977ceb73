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


def _plans(col, run) -> dict[str, list[str]]:
    """EXPLAIN QUERY PLAN of every card statement `run` issues, by the statement's text."""
    statements: list[tuple[str, tuple]] = []
    execute = col.db.execute_sql

    def recorded(sql, params=None, *rest):
        statements.append((sql, tuple(params or ())))
        return execute(sql, params, *rest)

    col.db.execute_sql = recorded
    try:
        run()
    finally:
        col.db.execute_sql = execute
    return {
        sql: [row[-1] for row in execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()]
        for sql, params in statements
        if '"card"' in sql
    }


@pytest.mark.sqlite_only
@pytest.mark.parametrize("deck", [None, "Lang"])
def test_no_card_is_grouped_and_the_hardest_cards_read_their_partial_index(col, deck):
    """Counts by state, the easiness spread and the forecast come from the counters the
    triggers keep (schema_v6.py): no statement groups the cards. The hardest cards are the
    first entries of `card_reviewed_hardest` (schema_v5.py); for one deck tree SQLite may
    prefer the deck's range of `card_deck_state`, which is covering too."""
    _history(col, days=10, cards=10)
    plans = _plans(col, lambda: collection_stats(col, deck))
    assert not [sql for sql in plans if "GROUP BY" in sql]
    [hardest] = [p for sql, p in plans.items() if "ORDER BY" in sql and "lapses" in sql]
    if deck is None:
        assert "SCAN t1 USING COVERING INDEX card_reviewed_hardest" in hardest
    else:
        assert any("COVERING INDEX" in step for step in hardest), hardest
