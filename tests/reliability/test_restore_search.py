"""A restored backup's search index is not trusted (issue 17): a text search after a restore
finds every card whose text matches, even when the backup's index was tampered to hide one."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from flashcards.clock import FixedClock
from flashcards.search.parser import parse_query
from flashcards.services.backup import make_backup
from flashcards.services.cards import count_matches, search_cards
from flashcards.services.collection import Collection, open_collection
from flashcards.storage import search_index
from flashcards.storage.binding import bound
from flashcards.storage.restore import restore_backup
from flashcards.storage.search_text_tables import PENDING, STATE, TABLE
from flashcards.storage.search_trigrams import trigram_query
from tests.conftest import add_cards
from tests.reliability.dbtools import table_checksum

pytestmark = pytest.mark.sqlite_only


NEEDLE = trigram_query(parse_query("needle"))  # what the search asks the index


def _hide(backup: Path, card_id: int) -> None:
    """Tamper the backup's index as a hostile file would: the card's entry gone, and the state
    claiming every card is indexed and none waits."""
    conn = sqlite3.connect(backup)
    with conn:
        conn.execute(f'DELETE FROM "{TABLE}" WHERE rowid = ?', (card_id,))
        conn.execute(f'DELETE FROM "{PENDING}"')
        conn.execute(f'UPDATE "{STATE}" SET "upto" = 1000000000')
    conn.close()


def _found(col: Collection, query: str) -> tuple[list[int], int]:
    with bound(col.db):
        return [c.id for c in search_cards(col, query).cards], count_matches(col, query)


def test_a_tampered_index_in_a_backup_hides_no_card_after_restore(
    col: Collection, tmp_path: Path, clock: FixedClock
) -> None:
    add_cards(col, "Spanish", 20, prefix="plain")
    needles = add_cards(col, "Spanish", 3, prefix="needle")
    search_index.refresh(col.db)  # every card indexed, the index in use
    assert search_index.candidates(col.db, NEEDLE) is not None
    assert _found(col, "needle") == (needles, 3)
    backup = make_backup(col, "manual")
    _hide(backup, needles[1])
    rows = table_checksum(backup, search_index=False)

    opened = tmp_path / "opened" / "collection.db"  # the tampered index does hide the card
    opened.parent.mkdir()
    shutil.copyfile(backup, opened)
    as_is = open_collection(opened, clock=clock)
    assert _found(as_is, "needle") == ([needles[0], needles[2]], 2)
    as_is.close()

    col.close()
    restore_backup(col.target, backup, clock=clock)
    assert table_checksum(col.target, search_index=False) == rows  # the rows as backed up
    restored = open_collection(col.target, clock=clock)
    try:
        assert search_index.candidates(restored.db, NEEDLE) is None  # not used yet
        assert _found(restored, "needle") == (needles, 3)  # every card read; the upkeep starts
        restored.wait_for_workers()  # services/search_upkeep.py: the index made again
        assert search_index.candidates(restored.db, NEEDLE) is not None  # used again
        assert _found(restored, "needle") == (needles, 3)
        assert _found(restored, "plain front 19") == ([needles[0] - 1], 1)
    finally:
        restored.close()
