"""Schema step 8 on a collection of step 7: `card_new` is built on upgrade, holds the new cards
only, and `is:new` reads it."""

from __future__ import annotations

from pathlib import Path

import pytest
from peewee import SqliteDatabase

from flashcards.clock import FixedClock
from flashcards.services.cards import search_cards, search_select
from flashcards.services.collection import open_collection
from flashcards.storage import database, schema_new_cards, schema_search_index
from flashcards.storage.binding import bound
from flashcards.storage.schema_check import check_file
from tests.reliability.damage import execute

pytestmark = pytest.mark.sqlite_only


def test_the_new_cards_step_follows_the_search_step() -> None:
    assert schema_new_cards.STEP == schema_search_index.STEP + 1
    assert database.MIGRATIONS[schema_new_cards.STEP] is schema_new_cards.migrate


def test_a_collection_of_step_7_opens_with_its_new_cards_indexed(
    tmp_path: Path, clock: FixedClock
) -> None:
    path = tmp_path / "v7.db"
    db = SqliteDatabase(str(path))
    for step in range(1, schema_new_cards.STEP):
        database.MIGRATIONS[step](db)
    db.close()
    cards = [
        "INSERT INTO card (deck_id, key, kind, front, back, tags, ordinal, repetitions, interval,"
        f" easiness, due, lapses, suspended, created_at, modified_at, note) VALUES (1, 'k{i}',"
        f" 'basic', 'front {i}', 'b', '', 0, 0, 0, 250, {due}, 0, 0, '2025-01-01', '2025-01-01',"
        f" 'k{i}')"
        for i, due in enumerate(("NULL", "'2025-01-02'", "NULL", "'2025-01-03'"))
    ]
    execute(
        path,
        f"INSERT INTO meta (key, value) VALUES ('schema_version', '{schema_new_cards.STEP - 1}')",
        "INSERT INTO deck (name, description, created_at) VALUES ('Old', '', '2025-01-01')",
        *cards,
    )
    col = open_collection(path, clock=clock)
    with bound(col.db):
        entries = col.db.execute_sql(
            'SELECT count(*) FROM card INDEXED BY "card_new" WHERE due IS NULL'
        )
        assert entries.fetchone()[0] == 2
        assert [c.question for c in search_cards(col, "is:new", limit=100).cards] == [
            "front 0",
            "front 2",
        ]
        sql, params = search_select(col, "is:new", limit=100).sql()
        plan = " ".join(row[3] for row in col.db.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
        assert "USING INDEX card_new" in plan and "TEMP B-TREE" not in plan
    col.close()
    assert check_file(path).ok, check_file(path).problems
