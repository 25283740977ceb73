"""Schema steps 9 and 10 are PostgreSQL's alone (its statement triggers, its planner's
statistics): a SQLite file upgraded through them keeps its schema and rows as they were."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from flashcards.clock import FixedClock
from flashcards.services.collection import open_collection
from flashcards.storage import migrations, schema_search_statistics, schema_statement_counts
from flashcards.storage.binding import bound
from flashcards.storage.database import open_database
from flashcards.storage.schema_check import schema_problems
from tests.conftest import add_cards
from tests.reliability.dbtools import table_checksum


def test_a_file_at_step_8_keeps_its_schema_and_rows(db_path: Path, clock: FixedClock) -> None:
    first = schema_statement_counts.STEP
    assert schema_search_statistics.STEP == first + 1 <= migrations.SCHEMA_VERSION
    col = open_collection(db_path, clock=clock)
    add_cards(col, "Spanish", 4)
    col.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(first - 1),))
    conn.close()
    before = table_checksum(db_path)
    db = open_database(db_path)
    with bound(db):
        assert migrations.schema_version(db) == migrations.SCHEMA_VERSION
        assert schema_problems(db, migrations.SCHEMA_VERSION) == []
    db.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(first - 1),))
    conn.close()
    assert table_checksum(db_path) == before
