"""migrate-to: a whole collection copied into an empty one, ids, sums and counts intact.

SQLite to SQLite always; SQLite to PostgreSQL and back when a server is available. Under
FLASHCARDS_TEST_BACKEND=postgresql the source (`col`) is itself on the server.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from peewee import Database, SqliteDatabase
from playhouse.db_url import connect

from flashcards.cli import main
from flashcards.clock import FixedClock
from flashcards.decks.media_names import MediaFile
from flashcards.errors import UserError
from flashcards.services.collection import Collection, open_collection
from flashcards.services.media import store_media
from flashcards.services.study import StudySession
from flashcards.services.transfer import TABLES, migrate_to
from flashcards.storage import Card, Review
from tests.conftest import add_cards


def _history(col: Collection, clock: FixedClock) -> None:
    """Answers over three days, drills, an undo and a deleted card (its answers keep its deck)."""
    add_cards(col, "A", 5, prefix="a")
    add_cards(col, "A::B", 3, prefix="b")
    for day in range(3):
        s = StudySession(col)
        for q in (5, 2, 4, 1, 3):
            if s.current() is None:
                break
            s.answer(q, duration_ms=900)
        if day == 1:
            s.undo()
        clock.advance(days=1)
    Card.delete_by_id(Card.select(Card.id).order_by(Card.id).first().id)
    col.wait_for_workers()  # the daily backups' threads mark the day in the Meta table


def _plain(value: object) -> object:
    """One value as both drivers agree on it: booleans as 0/1, dates and times as text, blobs
    as bytes (psycopg2 returns a memoryview)."""
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.date):
        return str(value)
    return value


def _tables(db: Database) -> dict[str, list[tuple]]:
    """Every row of every table, in key order."""
    out = {}
    for model in TABLES:
        fields = model._meta.sorted_fields
        rows = db.execute(model.select(*fields).order_by(*fields[:2])).fetchall()
        out[model._meta.table_name] = [tuple(_plain(v) for v in r) for r in rows]
    return out


def _open_raw(target: str) -> Database:
    return connect(target) if "://" in target else SqliteDatabase(target)


def _copy_and_compare(col: Collection, target: str) -> dict[str, int]:
    report = migrate_to(col, target)
    copy = _open_raw(target)
    try:
        assert _tables(copy) == _tables(col.db)
    finally:
        copy.close()
    return report.counts


def test_sqlite_copy_is_row_for_row_the_same(
    col: Collection, clock: FixedClock, tmp_path: Path
) -> None:
    _history(col, clock)
    store_media(col, [MediaFile("a.png", b"\x89PNG bytes"), MediaFile("b.png", b"\x89PNG bytes")])
    counts = _copy_and_compare(col, str(tmp_path / "copy.db"))
    assert counts["review_log"] == Review.select().count() > 0
    assert counts["day_stats"] > 0 and counts["card"] == 7
    assert (counts["media_file"], counts["media"]) == (1, 2)  # media come along


def test_the_copy_goes_on_where_the_source_left_off(
    col: Collection, clock: FixedClock, tmp_path: Path
) -> None:
    _history(col, clock)
    target = str(tmp_path / "copy.db")
    migrate_to(col, target)
    top = Card.select(Card.id).order_by(Card.id.desc()).first().id
    copy = open_collection(target, clock=clock)
    try:
        (new,) = add_cards(copy, "A", 1, prefix="new")
        assert new == top + 1
        StudySession(copy).answer(4)  # the triggers still keep the copy's sums
    finally:
        copy.close()


def test_a_non_empty_target_or_the_collection_itself_is_refused(
    col: Collection, tmp_path: Path, db_target: str
) -> None:
    add_cards(col, "A", 2)
    target = str(tmp_path / "copy.db")
    migrate_to(col, target)
    with pytest.raises(UserError, match="not empty") as err:
        migrate_to(col, target)
    assert "\n" not in str(err.value)
    with pytest.raises(UserError, match="the collection itself"):
        migrate_to(col, db_target)


def test_sqlite_to_postgresql_and_back(
    col: Collection, clock: FixedClock, tmp_path: Path, postgres_db: str
) -> None:
    _history(col, clock)
    if "://" in col.target:  # the PostgreSQL backend: go offline first, then back
        offline = str(tmp_path / "offline.db")
        _copy_and_compare(col, offline)
        source = open_collection(offline, clock=clock)
    else:
        source = col
    try:
        _copy_and_compare(source, postgres_db)
        server = open_collection(postgres_db, clock=clock)
        try:
            top = Card.select(Card.id).order_by(Card.id.desc()).first().id
            (new,) = add_cards(server, "A", 1, prefix="new")
            assert new == top + 1  # the sequences follow the copied ids
            _copy_and_compare(server, str(tmp_path / "back.db"))
        finally:
            server.close()
    finally:
        if source is not col:
            source.close()


def test_the_command_prints_the_counts(
    col: Collection, db_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_cards(col, "A", 3)
    col.close()
    target = str(tmp_path / "copy.db")
    assert main(["--db", db_target, "migrate-to", target]) == 0
    out = capsys.readouterr().out
    assert f"Copied the collection to {target}" in out
    assert [line.split() for line in out.splitlines()[1:]][1:3] == [["deck", "1"], ["card", "3"]]
    assert main(["--db", db_target, "migrate-to", target]) == 1
    assert "not empty" in capsys.readouterr().err
