"""Schema steps 9 and 10 are PostgreSQL's alone (its statement triggers, its planner's
statistics): a SQLite file upgraded through them keeps its schema and rows as they were."""

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
from flashcards.storage.upgrade_progress import UpgradeReporter
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


def _at_step_8(db_path: Path, clock: FixedClock) -> None:
    col = open_collection(db_path, clock=clock)
    add_cards(col, "Spanish", 4)
    col.close()
    with sqlite3.connect(db_path) as conn:
        step = str(schema_statement_counts.STEP - 1)
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (step,))
    conn.close()


def test_a_file_at_step_8_is_not_backed_up_nor_shown_an_upgrade(
    db_path: Path, clock: FixedClock
) -> None:
    """Only its version number moves: no copy of it first, no upgrade screen, no progress."""
    _at_step_8(db_path, clock)
    assert migrations.upgrade_pending(str(db_path)) is None
    heard: list[object] = []
    reporter = UpgradeReporter(heard.append)
    db = open_database(
        db_path, before_migration=store.pre_migration_backup(db_path, clock), progress=reporter
    )
    with bound(db):
        assert migrations.schema_version(db) == migrations.SCHEMA_VERSION
    db.close()
    assert store.list_backups(db_path) == []
    assert heard == []


def test_an_older_file_hears_only_the_steps_that_change_it(
    db_path: Path, clock: FixedClock
) -> None:
    """From step 7, a file's upgrade is backed up and names step 8, not the server's 9 and 10."""
    _at_step_8(db_path, clock)
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
        conn.execute("DROP INDEX card_new")  # what step 8 builds
    conn.close()
    assert migrations.upgrade_pending(str(db_path)) == 7
    reporter = UpgradeReporter(lambda event: None, before=store.UPGRADE_STAGES)
    db = open_database(
        db_path,
        before_migration=store.pre_migration_backup(db_path, clock, reporter),
        progress=reporter,
    )
    with bound(db):
        assert migrations.schema_version(db) == migrations.SCHEMA_VERSION
        assert schema_problems(db, migrations.SCHEMA_VERSION) == []
    db.close()
    assert reporter.stage_labels == (*store.UPGRADE_STAGES, migrations.step_label(8))
    assert [b.reason for b in store.list_backups(db_path)] == ["pre-migration"]
    assert migrations.changing_steps(7, sqlite=False) == list(
        range(8, migrations.SCHEMA_VERSION + 1)
    )
