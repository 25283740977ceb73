"""Schema steps of PostgreSQL's alone (`migrations.SERVER_ONLY`: its statement triggers, its
planner statistics) change nothing in a SQLite file but the version number."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from flashcards.clock import FixedClock
from flashcards.services.collection import open_collection
from flashcards.storage import backups as store
from flashcards.storage import migrations, schema_search_statistics, schema_statement_counts
from flashcards.storage.binding import bound
from flashcards.storage.database import open_database
from flashcards.storage.schema_check import schema_problems
from tests.conftest import add_cards


def test_a_file_behind_only_by_them_is_not_backed_up_first(
    db_path: Path, clock: FixedClock
) -> None:
    """A file at step 8 only has its version number moved, so no copy of it is made first."""
    first = schema_statement_counts.STEP
    assert {first, schema_search_statistics.STEP} <= migrations.SERVER_ONLY
    col = open_collection(db_path, clock=clock)
    add_cards(col, "Spanish", 4)
    col.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(first - 1),))
    conn.close()
    db = open_database(db_path, before_migration=store.pre_migration_backup(db_path, clock))
    with bound(db):
        assert migrations.schema_version(db) == migrations.SCHEMA_VERSION
        assert schema_problems(db, migrations.SCHEMA_VERSION) == []
    db.close()
    assert store.list_backups(db_path) == []
