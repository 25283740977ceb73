"""Schema step 3 links the siblings already stored, and changes nothing else.

The committed v1 fixture (no siblings) and a version-2 collection holding a reverse pair, a cloze
text's deletions and an Anki note open under the current code with every card's schedule, the
counts and the log as they were, and the siblings share a note.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from flashcards.clock import FixedClock
from flashcards.services.collection import open_collection
from flashcards.services.decks import deck_counts
from flashcards.storage import SCHEMA_VERSION, Card, Meta, schema_v1, schema_v2
from flashcards.storage.schema_check import check_file
from tests.reliability.damage import execute

pytestmark = pytest.mark.sqlite_only

FIXTURES = Path(__file__).parent / "fixtures"
SCHEDULE = ("repetitions", "interval", "easiness", "due", "lapses", "suspended", "buried_until")

# key, kind, front, back, ordinal, repetitions, interval, due
V2_CARDS = (
    ("cat", "basic", "cat", "gato", 0, 3, 9, "2026-04-02"),
    ("cat::reverse", "basic", "gato", "cat", 0, 1, 1, "2026-03-31"),
    ("bc::c1", "cloze", "{{c1::Paris}} is in {{c2::France}}", "", 1, 2, 6, "2026-04-01"),
    ("bc::c2", "cloze", "{{c1::Paris}} is in {{c2::France}}", "", 2, 0, 0, None),
    ("GUID::0", "basic", "dog", "perro", 0, 0, 0, None),
    ("GUID::1", "basic", "perro", "dog", 0, 0, 0, None),
    ("alone", "type", "uno", "one", 0, 0, 0, None),
)


def _version_2_file(path: Path) -> Path:
    db = SqliteDatabase(str(path))
    schema_v1.create(db)
    schema_v2.migrate(db)
    db.close()
    rows = [
        "INSERT INTO card (deck_id, key, kind, front, back, tags, ordinal, repetitions, interval,"
        f" easiness, due, lapses, suspended, created_at, modified_at) VALUES (1, '{k}', '{kind}',"
        f" '{f}', '{b}', 't', {o}, {r}, {i}, 250, {repr(d) if d else 'NULL'}, 0, 0,"
        " '2026-01-01', '2026-01-01')"
        for k, kind, f, b, o, r, i, d in V2_CARDS
    ]
    execute(
        path,
        "INSERT INTO meta (key, value) VALUES ('schema_version', '2')",
        "INSERT INTO deck (name, description, created_at) VALUES ('Words', '', '2026-01-01')",
        *rows,
    )
    return path


def _schedules(path: Path) -> dict[str, tuple]:
    conn = sqlite3.connect(path)
    try:
        cols = ", ".join(f'"{c}"' for c in SCHEDULE)
        return {row[0]: row[1:] for row in conn.execute(f"SELECT key, {cols} FROM card")}
    finally:
        conn.close()


def test_a_v2_collection_links_its_siblings_and_keeps_every_schedule(tmp_path: Path) -> None:
    path = _version_2_file(tmp_path / "v2.db")
    before = _schedules(path)
    clock = FixedClock(dt.datetime(2026, 4, 1, 10, 0))
    counts_before = None
    with open_collection(path, clock=clock) as col:
        assert Meta.get_by_id("schema_version").value == str(SCHEMA_VERSION)  # 3 and later
        notes = dict(Card.select(Card.key, Card.note).tuples())
        counts_before = [(c.name, c.cards, c.new, c.due) for c in deck_counts(col)]
    assert notes == {
        "cat": "cat",
        "cat::reverse": "cat",
        "bc::c1": "bc",
        "bc::c2": "bc",
        "GUID::0": "GUID",
        "GUID::1": "GUID",
        "alone": "alone",
    }
    assert _schedules(path) == before
    assert counts_before == [("Words", 7, 4, 2)]  # due by 1 April: cat::reverse, bc::c1
    assert check_file(path).ok


def test_the_v1_fixture_opens_with_each_card_its_own_note(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    shutil.copy(FIXTURES / "v1_collection.db", path)
    before = _schedules(path)
    with open_collection(path, clock=FixedClock(dt.datetime(2026, 3, 30, 10, 0))):
        assert all(key == note for key, note in Card.select(Card.key, Card.note).tuples())
    assert _schedules(path) == before
    report = check_file(path)
    assert report.ok and report.version == SCHEMA_VERSION


def test_a_version_2_backup_passes_its_check_and_restores(cli, tmp_path: Path) -> None:
    backup = _version_2_file(tmp_path / "old.db")
    assert check_file(backup).ok and check_file(backup).version == 2
    target = tmp_path / "collection.db"
    open_collection(target, clock=FixedClock(dt.datetime(2026, 4, 1, 10, 0))).close()
    result = cli("--db", str(target), "restore", str(backup))
    assert result.code == 0, result.err
    assert cli("--db", str(target), "check").code == 0
    with open_collection(target):
        assert Card.select().where(Card.note == "bc").count() == 2
