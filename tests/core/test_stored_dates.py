"""The one reading of a stored date (storage/stored_dates.py): what each driver hands back, and
a damaged value, which reads as no date rather than stopping whatever shows the row."""

from __future__ import annotations

import datetime as dt

import pytest

from flashcards.services.cards import card_details, search_cards
from flashcards.services.collection import Collection
from flashcards.services.study import StudySession
from flashcards.stats import collection_stats
from flashcards.storage.stored_dates import stored_date
from tests.conftest import add_cards


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (dt.date(2026, 3, 2), dt.date(2026, 3, 2)),  # a typed column (Peewee, PostgreSQL)
        (dt.datetime(2026, 3, 2, 23, 59), dt.date(2026, 3, 2)),  # a hand-made datetime
        ("2026-03-02", dt.date(2026, 3, 2)),  # SQLite's text: prepared SQL, aggregates
        ("2026-03-02 00:00:00", dt.date(2026, 3, 2)),  # text written as a timestamp
        ("", None),  # damaged values from here on
        ("soon", None),
        ("2026-02-30", None),
        ("2026-3-2", None),
        (45, None),  # a number (a day count?) is no date
        (b"2026-03-02\xff", None),
    ],
)
def test_a_stored_date_reads_one_way(value: object, expected: dt.date | None) -> None:
    assert stored_date(value) == expected


@pytest.mark.sqlite_only
def test_a_damaged_due_date_still_studies_lists_and_counts(col: Collection) -> None:
    """One card due on '2026-02-30' (no such day; written by hand into the file), one good new
    card. SQL compares the text, so the queue offers the damaged card as due; the session shows
    it without a due date and grades it, which writes a real date; search and details show no
    due date; the forecast leaves it out."""
    damaged, _ = add_cards(col, "D", 2)
    col.db.execute_sql(
        "UPDATE card SET due = '2026-02-30', repetitions = 3 WHERE id = ?", (damaged,)
    )
    assert search_cards(col, f"id:{damaged}").cards[0].due is None
    assert card_details(col, damaged).due is None
    assert sum(day.due for day in collection_stats(col).forecast) == 0
    session = StudySession(col, "D")
    view = session.current()
    assert view is not None and view.id == damaged and view.due is None
    result = session.answer(5)
    assert result.due == col.clock.today() + dt.timedelta(days=result.after.interval)
    assert card_details(col, damaged).due == result.due
