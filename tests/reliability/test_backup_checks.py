"""Which check a backup's copy passes: in full for the kinds a person asks for, quick for the
automatic ones (storage/backups.py, `QUICK_CHECKED`).

The two checks differ in one pass: integrity_check also compares every index entry with its
row (O(N log N), 89 s at 1,000,000 cards where quick_check took 9.7 s). Damage to a page is
found by both (tests/reliability/test_backup.py refuses a daily backup of a damaged page). Here
an index whose entries no longer match its rows (its definition changed under it, the pages
intact) tells the two apart.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flashcards.clock import FixedClock
from flashcards.services import backup as bk
from flashcards.services.collection import open_collection
from flashcards.storage import backups as store
from tests.conftest import add_cards
from tests.reliability.damage import execute
from tests.reliability.dbtools import integrity

STALE_INDEX = (
    "PRAGMA writable_schema=ON",
    'UPDATE sqlite_master SET sql = \'CREATE INDEX "card_deck_id_note" ON "card" '
    '("note", "deck_id")\' WHERE name = \'card_deck_id_note\'',
)


@pytest.fixture
def stale_index(db_path: Path, clock: FixedClock) -> Path:
    """A collection of 300 cards whose `card_deck_id_note` entries no longer match its rows."""
    col = open_collection(db_path, clock=clock)
    add_cards(col, "Spanish", 300)
    col.close()
    execute(db_path, *STALE_INDEX)
    assert "missing from index card_deck_id_note" in integrity(db_path)
    return db_path


@pytest.mark.parametrize("reason", ["manual", "pre-migration", "pre-restore", "pre-delete"])
def test_a_backup_a_person_relies_on_checks_every_index_entry(
    stale_index: Path, clock: FixedClock, reason: str
) -> None:
    with pytest.raises(store.DamagedCollection, match="missing from index"):
        store.make_backup(stale_index, reason, clock=clock)
    assert store.list_backups(stale_index) == []


@pytest.mark.parametrize("reason", ["daily", "pre-import"])
def test_an_automatic_backup_checks_pages_and_records_only(
    stale_index: Path, clock: FixedClock, reason: str
) -> None:
    path = store.make_backup(stale_index, reason, clock=clock)
    assert [b.path for b in store.list_backups(stale_index)] == [path]
    assert "missing from index" in integrity(path)  # copied as it was, and `check` still finds it


def test_the_cli_backup_command_checks_in_full(cli, stale_index: Path) -> None:
    result = cli("--db", str(stale_index), "backup")
    assert result.code == 1
    assert "the collection is damaged" in result.error_line


def test_the_study_day_backup_is_checked_quickly(stale_index: Path, clock: FixedClock) -> None:
    with open_collection(stale_index, clock=clock) as col:
        path = bk.backup_before_first_write_today(col)
    assert path is not None and path.name.endswith("-daily.db")
