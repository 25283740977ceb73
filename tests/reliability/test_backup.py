"""Backups: online-API copies, the rotation rule, the automatic backups, backup and restore CLI."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from pathlib import Path

import pytest

from flashcards.clock import FixedClock
from flashcards.errors import UserError
from flashcards.services import backup as bk
from flashcards.services.bundled import install_bundled_decks_once
from flashcards.services.collection import open_collection
from flashcards.storage import Card, database, migrations, restore
from flashcards.storage import backups as store
from flashcards.storage.database import open_database
from tests.conftest import START, add_cards
from tests.reliability.damage import execute, flip_index_page
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
    assert [b.path for b in store.list_backups(col.target)] == [first, second]
    third = bk.make_backup(col, "daily")  # rotated: only the newest daily backup of a day stays
    fourth = bk.make_backup(col, "daily")
    assert fourth.exists() and not third.exists()


def test_backups_of_the_default_collection_go_to_the_data_dir(cli, tmp_path) -> None:
    result = cli("backup")
    assert result.code == 0, result.err
    made = Path(result.out.strip())
    assert made.parent.name == "backups"
    assert made.parent.parent.name == "flashcards"  # platformdirs' data dir, under XDG_DATA_HOME
    assert integrity(made) == "ok"


def _fake(day: dt.date, hour: int = 12, reason: str = "daily") -> store.BackupFile:
    taken = dt.datetime.combine(day, dt.time(hour))
    return store.BackupFile(Path(f"c-{taken:%Y%m%dT%H%M%S}Z-{reason}.db"), taken, reason)


def test_rotation_keeps_7_daily_and_4_weekly() -> None:
    first = dt.date(2026, 1, 1)  # a Thursday
    backups = [_fake(first + dt.timedelta(days=i), h) for i in range(60) for h in (9, 18)]
    kept = sorted(p.name for p in store.backups_to_keep(backups))
    daily = [f"c-{first + dt.timedelta(days=i):%Y%m%d}T180000Z-daily.db" for i in range(53, 60)]
    # Days 53..59 are Feb 23 (Mon) .. Mar 1 (Sun): ISO week 9. Weekly adds the last backup
    # of weeks 6, 7 and 8 (Sundays Feb 8, 15, 22); week 9's newest is Mar 1, kept already.
    weekly = [f"c-202602{d:02d}T180000Z-daily.db" for d in (8, 15, 22)]
    assert kept == sorted(daily + weekly)


def test_rotation_counts_days_with_a_backup_not_calendar_days() -> None:
    days = [dt.date(2025, 6, 1), dt.date(2025, 9, 1), dt.date(2026, 1, 5)]
    backups = [_fake(d) for d in days]
    assert store.backups_to_keep(backups) == {b.path for b in backups}


def test_rotation_never_deletes_protected_or_foreign_files(col, clock: FixedClock) -> None:
    pre = bk.make_backup(col, "pre-migration")
    folder = pre.parent
    mine = folder / "my-copy.db"
    mine.write_bytes(b"x")
    for _ in range(40):
        clock.advance(days=1)
        bk.make_backup(col, "daily")
    left = {b.path for b in store.list_backups(col.target)}
    assert pre in left and mine.exists()
    assert len(left) <= 1 + 7 + 4
    days = sorted(b.taken_at.date() for b in store.list_backups(col.target) if b.reason == "daily")
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
        restore.restore_backup("postgresql://user@localhost/flashcards", "x.db")


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
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", next_version)
    monkeypatch.setitem(database.MIGRATIONS, next_version, add_column)
    db = open_database(db_path, before_migration=store.pre_migration_backup(db_path, clock))
    db.close()
    [made] = store.list_backups(db_path)
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
    good = table_checksum(db_path, search_index=False)
    with open_collection(db_path, clock=clock):
        Card.delete().where(Card.id > 1).execute()
    changed = table_checksum(db_path)
    result = cli("--db", str(db_path), "restore", str(saved))
    assert result.code == 0, result.err
    assert table_checksum(db_path, search_index=False) == good  # the index: test_restore_search
    assert integrity(db_path) == "ok"
    pre = [b for b in store.list_backups(db_path) if b.reason == "pre-restore"]
    assert len(pre) == 1 and table_checksum(pre[0].path) == changed
    assert str(pre[0].path) in result.out


def test_restore_over_a_damaged_collection_moves_it_aside(cli, db_path, clock) -> None:
    _one_deck(db_path, clock)
    saved = bk.make_backup(db_path, clock=clock)
    good = table_checksum(db_path, search_index=False)
    db_path.write_bytes(b"garbage " * 1000)
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    result = cli("--db", str(db_path), "restore", str(saved))
    assert result.code == 0, result.err
    assert table_checksum(db_path, search_index=False) == good
    assert list(db_path.parent.glob("collection.db.damaged-*"))


def _not_ours(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.commit()
    conn.close()


def _newer(path: Path, db_path: Path) -> None:
    bk.make_backup(db_path)  # any healthy copy, then claim a future schema
    [made] = store.list_backups(db_path)
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
    assert not [b for b in store.list_backups(db_path) if b.reason == "pre-restore"]


def test_restore_while_another_process_writes_is_busy(
    cli, db_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    _one_deck(db_path, clock)
    saved = bk.make_backup(db_path, clock=clock)
    before = table_checksum(db_path)
    monkeypatch.setattr(store, "BUSY_TIMEOUT", 0.1)
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
    assert str(made) in listed.out and "manual (kept)" in listed.out


def test_start_is_the_fixture_date() -> None:
    assert START.date() == dt.date(2026, 3, 2)


# -- backups you can trust --------------------------------------------------------------------


def test_a_manual_backup_disappeared_when_the_automatic_backup_ran_the_same_day(
    col, clock: FixedClock
) -> None:
    add_cards(col, "Spanish", 3)
    manual = bk.make_backup(col, "manual")  # `flashcards backup` at 10:00
    clock.advance(hours=2)
    daily = bk.backup_before_first_write_today(col)  # the state before the day's first answer
    clock.advance(hours=2)
    pre_import = bk.backup_before_import(col)
    clock.advance(hours=2)
    later_import = bk.backup_before_import(col)
    assert daily is not None and pre_import is not None and later_import is not None
    assert manual.exists() and daily.exists() and later_import.exists()
    for _ in range(40):  # weeks of automatic backups rotate only their own kind
        clock.advance(days=1)
        bk.make_backup(col, "daily")
        bk.make_backup(col, "pre-import")
    assert manual.exists()
    left = store.list_backups(col.target)
    assert len([b for b in left if b.reason == "daily"]) <= 11
    assert len([b for b in left if b.reason == "pre-import"]) <= 11


def test_only_the_automatic_kinds_are_ever_rotated() -> None:
    day = dt.date(2026, 1, 5)
    kept_kinds = ("manual", "pre-migration", "pre-restore", "pre-delete", "something-new")
    backups = [_fake(day + dt.timedelta(days=i), 12, k) for i in range(60) for k in kept_kinds]
    backups += [_fake(day + dt.timedelta(days=i), 13, "daily") for i in range(60)]
    kept = store.backups_to_keep(sorted(backups, key=lambda b: b.taken_at))
    assert {b.path for b in backups if b.reason in kept_kinds} <= kept
    assert len([p for p in kept if p.name.endswith("-daily.db")]) <= 11


def _damaged_collection(db_path: Path, clock: FixedClock) -> list[Path]:
    """A collection with 2,000 cards and two good backups, then one index page damaged.

    The bundled decks are installed first, as any command's first run does, so a later command
    goes straight to what it was asked to do."""
    col = open_collection(db_path, clock=clock)
    install_bundled_decks_once(col)
    add_cards(col, "Spanish", 2000)
    good = [bk.make_backup(col, "manual")]
    clock.advance(hours=1)
    good.append(bk.make_backup(col, "daily"))
    col.close()
    flip_index_page(db_path)
    return good


def test_a_damaged_index_page_is_reported_and_never_backed_up(
    cli, db_path: Path, clock: FixedClock, tmp_path: Path
) -> None:
    good = _damaged_collection(db_path, clock)
    saved = {p: table_checksum(p) for p in good}
    damaged = db_path.read_bytes()

    result = cli("--db", str(db_path), "check")
    assert result.code == 1
    line = result.error_line
    assert str(db_path) in line and "damaged" in line and "page" in line

    result = cli("--db", str(db_path), "backup")
    assert result.code == 1
    assert "the collection is damaged" in result.error_line
    assert "not backed up" in result.error_line

    deck = tmp_path / "more.toml"
    deck.write_text('[deck]\nname = "More"\n[[cards]]\nfront = "a"\nback = "b"\n')
    result = cli("--db", str(db_path), "import", str(deck))
    assert result.code == 1
    assert "the collection is damaged" in result.error_line

    with open_collection(db_path, clock=clock) as col:
        for _ in range(12):  # days of automatic backups: each one refused, nothing rotated
            clock.advance(days=1)
            with pytest.raises(store.DamagedCollection):
                bk.backup_before_first_write_today(col)
            with pytest.raises(store.DamagedCollection):
                bk.make_backup(col, "daily")
    assert [b.path for b in store.list_backups(db_path)] == good
    assert {p: table_checksum(p) for p in good} == saved
    assert not list((db_path.parent / "backups").glob("*.partial"))
    assert db_path.read_bytes() == damaged  # reported, not "repaired" behind the user's back


def test_a_damaged_collection_can_be_restored_from_its_last_good_backup(
    cli, db_path: Path, clock: FixedClock
) -> None:
    good = _damaged_collection(db_path, clock)
    result = cli("--db", str(db_path), "restore", str(good[-1]))
    assert result.code == 0, result.err
    assert cli("--db", str(db_path), "check").code == 0
    assert list(db_path.parent.glob("collection.db.damaged-*"))  # the damaged file kept aside


def test_check_says_ok_on_a_good_collection(cli, db_path: Path, clock: FixedClock) -> None:
    _one_deck(db_path, clock)
    result = cli("--db", str(db_path), "check")
    assert result.code == 0, result.err
    assert result.out.strip() == (
        f"ok: {db_path}: integrity ok, schema version {database.SCHEMA_VERSION} as expected, "
        "4 cards, 0 reviews"
    )
    result = cli("--db", str(db_path), "check", "--json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["ok"] is True and report["integrity"] == "ok" and report["problems"] == []


def test_check_writes_nothing_and_creates_nothing(cli, db_path: Path, clock) -> None:
    result = cli("--db", str(db_path), "check")
    assert result.code == 1 and "no collection there to check" in result.error_line
    assert not db_path.exists()
    _one_deck(db_path, clock)
    before = table_checksum(db_path)
    assert cli("--db", str(db_path), "check").code == 0
    assert table_checksum(db_path) == before and not (db_path.parent / "backups").exists()


def test_check_json_names_the_problem_and_exits_1(cli, db_path: Path, clock) -> None:
    _one_deck(db_path, clock)
    execute(db_path, "CREATE VIEW v AS SELECT * FROM card")
    result = cli("--db", str(db_path), "check", "--json")
    assert result.code == 1
    assert json.loads(result.out)["problems"] == ["a foreign view v"]
    assert result.error_line.endswith(": a foreign view v")


def test_a_backup_that_fails_before_its_rename_leaves_nothing_under_a_backup_name(
    col, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_cards(col, "Spanish", 3)
    first = bk.make_backup(col, "daily")

    def crash(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.os, "replace", crash)
    with pytest.raises(UserError, match="cannot write the backup"):
        bk.make_backup(col, "daily")
    assert [b.path for b in store.list_backups(col.target)] == [first]
    assert sorted(p.name for p in first.parent.iterdir()) == [first.name]
