"""Restore checks the schema: a backup is compared with a collection of its own schema version,
built by the frozen schema steps, and its key values are range-checked, before anything is
replaced. Every hostile file here was accepted before, and broke the collection it replaced."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from flashcards.clock import FixedClock
from flashcards.services import backup as bk
from flashcards.services.collection import open_collection
from flashcards.storage import backups, database, schema_v1
from flashcards.storage.schema_check import check_file, expected_schema
from tests.conftest import add_cards
from tests.reliability.damage import execute
from tests.reliability.dbtools import integrity, row_count, table_checksum

pytestmark = pytest.mark.sqlite_only

V2_ONLY = (
    'DROP TRIGGER "day_stats_after_answer"',
    'DROP TRIGGER "day_stats_after_undo"',
    'DROP TABLE "day_stats"',
)

# name -> the SQL that turns a good backup (of the current version) into the hostile one, and
# what the refusal must say.
NOW = database.SCHEMA_VERSION
HOSTILE: dict[str, tuple[tuple[str, ...], str]] = {
    "trigger on review_log": (
        ("CREATE TRIGGER wipe AFTER INSERT ON review_log BEGIN DELETE FROM card; END",),
        "a foreign trigger wipe",
    ),
    "one of our triggers rewritten": (
        (
            'DROP TRIGGER "day_stats_after_answer"',
            'CREATE TRIGGER "day_stats_after_answer" AFTER INSERT ON review_log '
            "BEGIN DELETE FROM card; END",
        ),
        f"the trigger day_stats_after_answer differs from schema version {NOW}'s",
    ),
    "missing day_stats": (('DROP TABLE "day_stats"',), "no table day_stats"),
    "a view": (("CREATE VIEW everything AS SELECT * FROM card",), "a foreign view everything"),
    "a foreign table": (("CREATE TABLE notes (body TEXT)",), "a foreign table notes"),
    "a table name that quotes itself": (
        ('CREATE TABLE "x"")" (body TEXT)',),
        'a foreign table x")',
    ),
    "an extra column": (
        ("ALTER TABLE card ADD COLUMN evil TEXT",),
        f"the table card differs from schema version {NOW}'s",
    ),
    "a missing index": (('DROP INDEX "card_leech"',), "no index card_leech"),
    "version 1 that holds version 2 tables": (
        ("UPDATE meta SET value = '1' WHERE key = 'schema_version'",),
        "a foreign table card_counts",  # the first of the later steps' tables
    ),
    "version 2 that holds version 1 tables": (V2_ONLY, "no table day_stats"),
    "no schema version": (("DELETE FROM meta WHERE key = 'schema_version'",), "no schema version"),
    "a schema version that is not a number": (
        ("UPDATE meta SET value = '2.0' WHERE key = 'schema_version'",),
        "the schema version '2.0' is not a whole number",
    ),
    "an unknown schema version": (
        ("UPDATE meta SET value = '0' WHERE key = 'schema_version'",),
        "unknown schema version 0",
    ),
    "a newer schema version": (
        ("UPDATE meta SET value = '99' WHERE key = 'schema_version'",),
        f"schema version 99; this version reads up to {database.SCHEMA_VERSION}",
    ),
    "a due date that is not a date": (
        ("UPDATE card SET due = 'soon' WHERE id = 1",),
        "1 card row with an invalid due date",
    ),
    "a due date that does not exist": (
        ("UPDATE card SET due = '2026-02-30' WHERE id <= 2",),
        "2 card rows with an invalid due date",
    ),
    "a due date stored as a number": (
        ("UPDATE card SET due = 20260302 WHERE id = 1",),
        "1 card row with an invalid due date",
    ),
    "a negative interval": (
        ("UPDATE card SET interval = -3 WHERE id = 1",),
        "1 card row with a state out of range",
    ),
    "an easiness below SM-2's floor": (
        ("UPDATE card SET easiness = 50 WHERE id = 1",),
        "1 card row with a state out of range",
    ),
    "a repetition count that is text": (
        ("UPDATE card SET repetitions = 'many' WHERE id = 1",),
        "1 card row with a state out of range",
    ),
    "day_stats that disagrees with review_log": (
        ("INSERT INTO day_stats (day, deck_id, answers) VALUES ('2026-03-01', 1, 5)",),
        "day_stats counts 5 answers but review_log holds 0",
    ),
    "card_counts that disagrees with the cards": (
        ("UPDATE card_counts SET cards = cards + 2",),
        "card_counts counts 8 cards but card holds 6",
    ),
    "due_counts that disagrees with the cards": (
        ("INSERT INTO due_counts (deck_id, due, cards) VALUES (1, '2026-03-01', 3)",),
        "due_counts counts 3 cards but card holds 0",
    ),
    "a card of a deck that does not exist": (
        ("PRAGMA foreign_keys = OFF", "UPDATE card SET deck_id = 999 WHERE id = 1"),
        "1 rows pointing at rows that do not exist",
    ),
}


@pytest.fixture
def collection(db_path: Path, clock: FixedClock) -> Path:
    col = open_collection(db_path, clock=clock)
    add_cards(col, "Spanish", 6)
    col.close()
    return db_path


@pytest.fixture
def good_backup(collection: Path, clock: FixedClock) -> Path:
    return bk.make_backup(collection, "manual", clock=clock)


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_hostile_backup_is_refused_and_nothing_is_changed(
    cli, collection: Path, good_backup: Path, tmp_path: Path, kind: str
) -> None:
    statements, message = HOSTILE[kind]
    hostile = tmp_path / "hostile.db"
    shutil.copyfile(good_backup, hostile)
    execute(hostile, *statements)
    assert integrity(hostile) == "ok"  # healthy as a file: only the schema check can tell
    before = table_checksum(collection)
    backups_before = backups.list_backups(collection)

    result = cli("--db", str(collection), "restore", str(hostile))

    assert result.code == 1
    line = result.error_line
    assert line.startswith(f"flashcards: {hostile}: refused, not a healthy flashcards collection")
    assert message in line, line
    assert line.endswith("nothing was changed")
    assert table_checksum(collection) == before
    assert backups.list_backups(collection) == backups_before  # not even a pre-restore backup
    assert not [p for p in collection.parent.iterdir() if p.name.startswith(".restore-")]


def test_the_trigger_would_have_deleted_every_card(good_backup: Path, tmp_path: Path) -> None:
    """Why the trigger case matters: the file is otherwise a perfectly good collection."""
    hostile = tmp_path / "hostile.db"
    shutil.copyfile(good_backup, hostile)
    execute(hostile, *HOSTILE["trigger on review_log"][0])
    execute(
        hostile,
        "INSERT INTO review_log (card_id, reviewed_at, review_day, quality, drill, duration_ms,"
        " scheduler, before_repetitions, before_interval, before_easiness, after_repetitions,"
        " after_interval, after_easiness) VALUES (1, '2026-03-02 10:00:00', '2026-03-02', 4, 0,"
        " 0, 'sm2', 0, 0, 250, 1, 1, 250)",
    )
    assert row_count(hostile, "card") == 0


def test_the_expected_schema_comes_from_the_schema_steps() -> None:
    v1, v2 = expected_schema(1), expected_schema(2)
    assert set(v1.tables) == {"meta", "deck", "card", "review_log"}
    assert set(v2.tables) == set(v1.tables) | {"day_stats"}
    assert set(v2.triggers) == {"day_stats_after_answer", "day_stats_after_undo"}
    assert "card_deck_id_suspended_due" in v1.indexes and "card_deck_state" in v2.indexes
    assert "card_deck_id_suspended_due" not in v2.indexes


def test_a_migrated_collection_matches_a_fresh_one(tmp_path: Path, clock: FixedClock) -> None:
    old = _version_1_file(tmp_path / "old.db")
    col = open_collection(old, clock=clock)  # migrates 1 -> current
    col.close()
    report = check_file(old)
    assert report.ok, report.problems
    assert report.version == database.SCHEMA_VERSION


def _version_1_file(path: Path) -> Path:
    """A collection as the first release wrote it: schema step 1 only, one deck and card."""
    db = SqliteDatabase(str(path))
    schema_v1.create(db)
    db.close()
    execute(
        path,
        "INSERT INTO meta (key, value) VALUES ('schema_version', '1')",
        "INSERT INTO deck (name, description, created_at) VALUES ('Old', '', '2025-01-01')",
        "INSERT INTO card (deck_id, key, kind, front, back, tags, ordinal, repetitions,"
        " interval, easiness, due, lapses, suspended, created_at, modified_at) VALUES"
        " (1, 'k', 'basic', 'f', 'b', '', 0, 1, 1, 250, '2025-01-02', 0, 0,"
        " '2025-01-01', '2025-01-01')",
    )
    return path


def test_a_version_1_backup_is_checked_against_version_1_and_restored(
    cli, collection: Path, tmp_path: Path
) -> None:
    old = _version_1_file(tmp_path / "v1-backup.db")
    assert check_file(old).ok
    result = cli("--db", str(collection), "restore", str(old))
    assert result.code == 0, result.err
    assert re.search(r"previous collection was saved to .*-pre-restore\.db", result.out)
    assert cli("--db", str(collection), "check").code == 0
    assert row_count(collection, "card") == 1


def test_restoring_the_collection_onto_itself_through_a_symlink_is_refused(
    cli, collection: Path, tmp_path: Path
) -> None:
    link = tmp_path / "backup-looking.db"
    link.symlink_to(collection)
    before = table_checksum(collection)
    result = cli("--db", str(collection), "restore", str(link))
    assert result.code == 1 and "that is the collection itself" in result.error_line
    assert table_checksum(collection) == before


def test_restore_says_where_the_pre_restore_backup_is(
    cli, collection: Path, good_backup: Path
) -> None:
    result = cli("--db", str(collection), "restore", str(good_backup))
    assert result.code == 0, result.err
    [pre] = [b for b in backups.list_backups(collection) if b.reason == "pre-restore"]
    assert f"The previous collection was saved to {pre.path}" in result.out
    conn = sqlite3.connect(pre.path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def _file_of_version(path: Path, version: int) -> Path:
    """A collection built by the schema steps up to `version`, with one deck and card."""
    db = SqliteDatabase(str(path))
    for step in range(1, version + 1):
        database.MIGRATIONS[step](db)
    db.close()
    execute(
        path,
        f"INSERT INTO meta (key, value) VALUES ('schema_version', '{version}')",
        "INSERT INTO deck (name, description, created_at) VALUES ('Old', '', '2025-01-01')",
        "INSERT INTO card (deck_id, key, kind, front, back, tags, ordinal, repetitions,"
        " interval, easiness, due, lapses, suspended, created_at, modified_at, note) VALUES"
        " (1, 'k', 'basic', 'Hola', 'b', '', 0, 1, 1, 250, '2025-01-02', 0, 0,"
        " '2025-01-01', '2025-01-01', 'k')",
    )
    return path


@pytest.mark.parametrize("version", [4, 5, 6])
def test_a_backup_of_version_4_5_or_6_is_checked_and_restored(
    cli, collection: Path, tmp_path: Path, version: int
) -> None:
    """Steps 5 (front keys, statistics indexes) and 6 (card counters) changed the schema: a
    backup from before each is checked against the version it has and upgraded once
    restored (the counters counted then: `check` compares them with the cards)."""
    old = _file_of_version(tmp_path / f"v{version}-backup.db", version)
    report = check_file(old)
    assert report.ok and report.version == version, report.problems
    result = cli("--db", str(collection), "restore", str(old))
    assert result.code == 0, result.err
    assert cli("--db", str(collection), "check").code == 0
    added = cli("--db", str(collection), "add", "Old", "hola", "x")
    assert "duplicate" in (added.out + added.err).lower()
    conn = sqlite3.connect(collection)
    in_old = "SELECT COUNT(*) FROM card JOIN deck ON deck.id = card.deck_id WHERE deck.name = 'Old'"
    assert conn.execute(in_old).fetchone() == (1,)
    conn.close()
