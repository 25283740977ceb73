"""Backups: online-API copies, the rotation rule, the automatic backups, backup and restore CLI."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path

import pytest

from flashcards.clock import FixedClock
from flashcards.errors import UserError
from flashcards.services import backup as bk
from flashcards.services.collection import open_collection
from flashcards.storage import Card, database
from flashcards.storage.database import open_database
from tests.conftest import START, add_cards
from tests.reliability.dbtools import integrity, table_checksum


def test_a_backup_is_a_healthy_copy_named_by_the_clock(col, db_path: Path) -> None:
    add_cards(col, "Spanish", 5)  # committed to the WAL, not yet checkpointed into the file
    path = bk.make_backup(col, "manual")
    assert path.parent == db_path.parent / "backups"
    assert path.name == "collection-20260302T100000Z-manual.db"
    assert integrity(path) == "ok"
    assert table_checksum(path) == table_checksum(db_path)
    assert not Path(str(path) + "-wal").exists()  # self-contained: journal mode delete
    assert not list(path.parent.glob("*.partial"))


def test_two_backups_in_one_second_get_distinct_names(col) -> None:
    first, second = bk.make_backup(col, "pre-restore"), bk.make_backup(col, "pre-restore")
    assert first != second and first.exists() and second.exists()
    assert [b.path for b in bk.list_backups(col.target)] == [first, second]
    third = bk.make_backup(col)  # rotated: only the newest ordinary backup of a day stays
    fourth = bk.make_backup(col)
    assert fourth.exists() and not third.exists()


def test_backups_of_the_default_collection_go_to_the_data_dir(cli, tmp_path) -> None:
    result = cli("backup")
    assert result.code == 0, result.err
    made = Path(result.out.strip())
    assert made.parent.name == "backups"
    assert made.parent.parent.name == "flashcards"  # platformdirs' data dir, under XDG_DATA_HOME
    assert integrity(made) == "ok"


def _fake(day: dt.date, hour: int = 12, reason: str = "daily") -> bk.BackupFile:
    taken = dt.datetime.combine(day, dt.time(hour))
    return bk.BackupFile(Path(f"c-{taken:%Y%m%dT%H%M%S}Z-{reason}.db"), taken, reason)


def test_rotation_keeps_7_daily_and_4_weekly() -> None:
    first = dt.date(2026, 1, 1)  # a Thursday
    backups = [_fake(first + dt.timedelta(days=i), h) for i in range(60) for h in (9, 18)]
    kept = sorted(p.name for p in bk.backups_to_keep(backups))
    daily = [f"c-{first + dt.timedelta(days=i):%Y%m%d}T180000Z-daily.db" for i in range(53, 60)]
    # Days 53..59 are Feb 23 (Mon) .. Mar 1 (Sun): ISO week 9. Weekly adds the last backup
    # of weeks 6, 7 and 8 (Sundays Feb 8, 15, 22); week 9's newest is Mar 1, kept already.
    weekly = [f"c-202602{d:02d}T180000Z-daily.db" for d in (8, 15, 22)]
    assert kept == sorted(daily + weekly)


def test_rotation_counts_days_with_a_backup_not_calendar_days() -> None:
    days = [dt.date(2025, 6, 1), dt.date(2025, 9, 1), dt.date(2026, 1, 5)]
    backups = [_fake(d) for d in days]
    assert bk.backups_to_keep(backups) == {b.path for b in backups}


def test_rotation_never_deletes_protected_or_foreign_files(col, clock: FixedClock) -> None:
    pre = bk.make_backup(col, "pre-migration")
    folder = pre.parent
    mine = folder / "my-copy.db"
    mine.write_bytes(b"x")
    for _ in range(40):
        clock.advance(days=1)
        bk.make_backup(col, "daily")
    left = {b.path for b in bk.list_backups(col.target)}
    assert pre in left and mine.exists()
    assert len(left) <= 1 + 7 + 4
    days = sorted(b.taken_at.date() for b in bk.list_backups(col.target) if b.reason == "daily")
    assert days[-7:] == [clock.today() - dt.timedelta(days=i) for i in range(6, -1, -1)]


def test_the_first_write_of_a_study_day_backs_up_once(col, clock: FixedClock) -> None:
    assert bk.backup_before_first_write_today(col) is None  # empty: nothing to lose
    add_cards(col, "Spanish", 3)
    assert bk.backup_before_first_write_today(col) is None  # already marked today
    clock.advance(days=1)
    made = bk.backup_before_first_write_today(col)
    assert made is not None and made.name.endswith("-daily.db")
    assert bk.backup_before_first_write_today(col) is None
    clock.advance(hours=20)  # 06:00 the day after: a new study day (rollover at 4)
    assert bk.backup_before_first_write_today(col) is not None


def test_backup_before_import(col) -> None:
    assert bk.backup_before_import(col) is None
    add_cards(col, "Spanish", 3)
    made = bk.backup_before_import(col)
    assert made is not None and made.name.endswith("-pre-import.db")


def test_server_collections_are_refused() -> None:
    with pytest.raises(UserError, match="backups are for SQLite collections"):
        bk.make_backup("postgresql://user@localhost/flashcards")
    with pytest.raises(UserError, match="backups are for SQLite collections"):
        bk.restore_backup("postgresql://user@localhost/flashcards", "x.db")


def test_cli_refuses_server_urls(cli) -> None:
    for args in (("backup",), ("restore", "x.db")):
        result = cli("--db", "postgresql://u@localhost/f", *args)
        assert result.code == 1
        assert "backups are for SQLite collections" in result.error_line


def test_a_migration_is_preceded_by_a_backup(
    db_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    col = open_collection(db_path, clock=clock)
    add_cards(col, "Spanish", 4)
    before = table_checksum(db_path)
    col.close()

    def add_column(db) -> None:
        db.execute_sql("ALTER TABLE card ADD COLUMN flag INTEGER DEFAULT 0")

    next_version = database.SCHEMA_VERSION + 1
    monkeypatch.setattr(database, "SCHEMA_VERSION", next_version)
    monkeypatch.setitem(database.MIGRATIONS, next_version, add_column)
    db = open_database(db_path, before_migration=bk.pre_migration_backup(db_path, clock))
    db.close()
    [made] = bk.list_backups(db_path)
    assert made.reason == "pre-migration"
    assert table_checksum(made.path) == before  # the file as it was before the step
    assert table_checksum(db_path) != before


# -- restore ----------------------------------------------------------------------------------


def _one_deck(db_path: Path, clock: FixedClock, cards: int = 4) -> None:
    col = open_collection(db_path, clock=clock)
    add_cards(col, "Spanish", cards)
    col.close()


def test_restore_round_trip(cli, db_path: Path, clock: FixedClock) -> None:
    _one_deck(db_path, clock)
    saved = bk.make_backup(db_path, clock=clock)
    good = table_checksum(db_path)
    col = open_collection(db_path, clock=clock)
    Card.delete().where(Card.id > 1).execute()
    col.close()
    changed = table_checksum(db_path)
    result = cli("--db", str(db_path), "restore", str(saved))
    assert result.code == 0, result.err
    assert table_checksum(db_path) == good
    assert integrity(db_path) == "ok"
    pre = [b for b in bk.list_backups(db_path) if b.reason == "pre-restore"]
    assert len(pre) == 1 and table_checksum(pre[0].path) == changed
    assert str(pre[0].path) in result.out


def test_restore_over_a_damaged_collection_moves_it_aside(cli, db_path, clock) -> None:
    _one_deck(db_path, clock)
    saved = bk.make_backup(db_path, clock=clock)
    good = table_checksum(db_path)
    db_path.write_bytes(b"garbage " * 1000)
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    result = cli("--db", str(db_path), "restore", str(saved))
    assert result.code == 0, result.err
    assert table_checksum(db_path) == good
    assert list(db_path.parent.glob("collection.db.damaged-*"))


def _not_ours(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.commit()
    conn.close()


def _newer(path: Path, db_path: Path) -> None:
    bk.make_backup(db_path)  # any healthy copy, then claim a future schema
    [made] = bk.list_backups(db_path)
    made.path.rename(path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()


def _damaged(path: Path, db_path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x TEXT)")
    conn.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 400)
    conn.execute("CREATE INDEX tx ON t (x)")
    conn.commit()
    conn.close()
    data = bytearray(path.read_bytes())
    data[4096 * 3 : 4096 * 3 + 200] = b"\xff" * 200  # smash a page
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("text", "not a SQLite database"),
        ("missing", "no such file"),
        ("directory", "is a directory"),
        ("not ours", "not a flashcards collection"),
        ("newer", f"schema version 99; this version reads up to {database.SCHEMA_VERSION}"),
        ("damaged", "damaged|not a valid database"),
    ],
)
def test_restore_refuses_a_bad_file_and_changes_nothing(
    cli, db_path: Path, clock: FixedClock, tmp_path: Path, kind: str, message: str
) -> None:
    _one_deck(db_path, clock)
    before = table_checksum(db_path)
    bad = tmp_path / "bad.db"
    if kind == "text":
        bad.write_text("hello")
    elif kind == "directory":
        bad.mkdir()
    elif kind == "not ours":
        _not_ours(bad)
    elif kind == "newer":
        _newer(bad, db_path)
    elif kind == "damaged":
        _damaged(bad, db_path)
    result = cli("--db", str(db_path), "restore", str(bad))
    assert result.code == 1
    line = result.error_line
    assert line.startswith("flashcards: ")
    assert re.search(message, line), line
    assert table_checksum(db_path) == before
    assert not [b for b in bk.list_backups(db_path) if b.reason == "pre-restore"]


def test_restore_while_another_process_writes_is_busy(
    cli, db_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    _one_deck(db_path, clock)
    saved = bk.make_backup(db_path, clock=clock)
    before = table_checksum(db_path)
    monkeypatch.setattr(bk, "BUSY_TIMEOUT", 0.1)
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        result = cli("--db", str(db_path), "restore", str(saved))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.code == 1
    assert "the collection is busy" in result.error_line
    assert table_checksum(db_path) == before


def test_backup_cli_prints_the_path_and_lists(cli, db_path: Path, clock: FixedClock) -> None:
    _one_deck(db_path, clock)
    result = cli("--db", str(db_path), "backup")
    assert result.code == 0, result.err
    made = Path(result.out.strip())
    assert made.exists() and made.parent == db_path.parent / "backups"
    listed = cli("--db", str(db_path), "backup", "--list")
    assert str(made) in listed.out and "manual" in listed.out


def test_start_is_the_fixture_date() -> None:
    assert START.date() == dt.date(2026, 3, 2)
