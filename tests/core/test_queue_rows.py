"""The study queue's due cards, a page at a time (storage/queue_rows.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from flashcards.services.collection import Collection
from flashcards.storage import Card
from flashcards.storage.queue_rows import due_page, due_page_query, new_cards, new_cards_query
from tests.conftest import add_cards

TODAY = dt.date(2026, 3, 2)
DAY = dt.timedelta(days=1)


def test_due_pages_skip_suspended_buried_and_later_cards_most_overdue_first(
    col: Collection,
) -> None:
    a = add_cards(col, "A", 5, prefix="a")
    b = add_cards(col, "B", 3, prefix="b")
    c = add_cards(col, "C", 1, prefix="c")
    late = add_cards(col, "A", 1, prefix="late")[0]  # deck A, but an id after B's cards
    due = {
        a[0]: TODAY - 2 * DAY,
        a[1]: TODAY,
        a[2]: TODAY - 2 * DAY,  # suspended below
        a[3]: TODAY - DAY,  # buried until tomorrow below
        a[4]: TODAY + DAY,  # not yet due
        late: TODAY - 2 * DAY,
        b[0]: TODAY - DAY,
        b[1]: TODAY - 2 * DAY,
        b[2]: TODAY - DAY,  # its burial ended today: shown
        c[0]: TODAY - 5 * DAY,  # another deck than asked for
    }
    for card_id, day in due.items():
        Card.update(repetitions=1, interval=1, due=day).where(Card.id == card_id).execute()
    Card.update(suspended=True).where(Card.id == a[2]).execute()
    Card.update(buried_until=TODAY + DAY).where(Card.id == a[3]).execute()
    Card.update(buried_until=TODAY).where(Card.id == b[2]).execute()
    deck_a, deck_b = Card.get_by_id(a[0]).deck_id, Card.get_by_id(b[0]).deck_id
    decks = [deck_a, deck_b]
    # Two days over: A's a0 and late, then B's b1; one day over: b0, b2; today: a1.
    expected = [
        (a[0], deck_a),
        (late, deck_a),
        (b[1], deck_b),
        (b[0], deck_b),
        (b[2], deck_b),
        (a[1], deck_a),
    ]
    pages, after = [], None
    while page := due_page(decks, TODAY, 2, after):  # each page starts where the last ended
        pages.append([(card_id, deck_id) for card_id, deck_id, _ in page])
        card_id, deck_id, due_on = page[-1]
        after = (due_on, deck_id, card_id)
    assert pages == [expected[0:2], expected[2:4], expected[4:6]]
    assert [(card_id, deck_id) for card_id, deck_id, _ in due_page(decks, TODAY, 9)] == expected
    assert due_page([deck_b], TODAY, 9, (TODAY - 2 * DAY, deck_a, late))[0][0] == b[1]


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("after", "walk"),
    [(None, "due<?"), ((TODAY, 1, 7), "(due,deck_id)>(?,?) AND due<?")],
    ids=["first-page", "next-page"],
)
def test_due_pages_read_indexes_only(col: Collection, after, walk: str) -> None:  # noqa: ANN001
    """The walk in queue order is the (suspended, due, deck_id) index's own order, from where
    the last page ended: no sort, no card row read; buried cards from their partial index."""
    sql, params = due_page_query([1, 2, 3], TODAY, 200, after).sql()
    plan = [row[3] for row in col.db.execute_sql("EXPLAIN QUERY PLAN " + sql, params)]
    assert plan == [
        f"SEARCH t1 USING COVERING INDEX card_suspended_due_deck_id (suspended=? AND {walk})",
        "LIST SUBQUERY 1",
        "SEARCH t1 USING COVERING INDEX card_buried_until (buried_until>?)",
    ], plan


def test_new_cards_per_deck_by_id_up_to_the_cap(col: Collection) -> None:
    a = add_cards(col, "A", 6, prefix="a")
    b = add_cards(col, "B", 2, prefix="b")
    c = add_cards(col, "C", 2, prefix="c")
    Card.update(suspended=True).where(Card.id == a[0]).execute()
    Card.update(buried_until=TODAY + DAY).where(Card.id == a[1]).execute()
    Card.update(buried_until=TODAY).where(Card.id == a[2]).execute()  # the burial has ended
    Card.update(repetitions=1, interval=1, due=TODAY).where(Card.id == a[3]).execute()
    deck_a, deck_b, deck_c = (Card.get_by_id(i).deck_id for i in (a[0], b[0], c[0]))
    assert new_cards([deck_a, deck_b], TODAY, 2, False) == {deck_a: [a[2], a[4]], deck_b: b}
    assert new_cards([deck_a, deck_c], TODAY, 5, False) == {deck_a: [a[2], a[4], a[5]], deck_c: c}
    assert new_cards([deck_a], TODAY, 0, False) == {} == new_cards([], TODAY, 5, False)


@pytest.mark.sqlite_only
def test_new_cards_read_one_index_range_a_deck(col: Collection) -> None:
    sql, params = new_cards_query([1, 2, 3], TODAY, 20, False).sql()
    plan = [row[3] for row in col.db.execute_sql("EXPLAIN QUERY PLAN " + sql, params)]
    assert plan == [
        "SEARCH t1 USING INTEGER PRIMARY KEY (rowid=?)",
        "SEARCH picked USING INTEGER PRIMARY KEY (rowid=?)",
        "CORRELATED LIST SUBQUERY 2",
        "SEARCH t2 USING COVERING INDEX card_suspended_due_deck_id"
        " (suspended=? AND due=? AND deck_id=?)",
        "LIST SUBQUERY 1",
        "SEARCH t2 USING COVERING INDEX card_buried_until (buried_until>?)",
    ], plan


@pytest.mark.sqlite_only
def test_one_new_card_a_note_looks_siblings_up_by_note(col: Collection) -> None:
    """With siblings buried, each candidate's siblings are one range of the (deck, note) index:
    not every unsuspended card of its deck (the (deck, state) index SQLite took for
    `suspended = 0`), which would make a day's queue read a big deck once a card."""
    from flashcards.storage.deck_rows import capped_counts_query
    from flashcards.storage.first_queue import first_new_card_sql

    queries = [new_cards_query([1, 2, 3], TODAY, 20, True), capped_counts_query(TODAY, 20, 2, True)]
    for query in queries:
        sql, params = query.sql()
        plan = [row[3] for row in col.db.execute_sql("EXPLAIN QUERY PLAN " + sql, params)]
        siblings = [step for step in plan if " sibling " in step]
        assert siblings == ["SEARCH sibling USING INDEX card_deck_id_note (deck_id=? AND note=?)"]
    params = {"deck": 1, "today": TODAY.isoformat()}
    plan = [
        row[3]
        for row in col.db.execute_sql("EXPLAIN QUERY PLAN " + first_new_card_sql(True), params)
    ]
    assert "SEARCH sibling USING INDEX card_deck_id_note (deck_id=? AND note=?)" in plan
