"""Schema step 7 on a collection of step 5 (through the counters' step 6): the trigram index is
built and filled on upgrade, and a collection of either version searches exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from peewee import SqliteDatabase

from flashcards.clock import FixedClock
from flashcards.services.cards import search_cards
from flashcards.services.collection import open_collection
from flashcards.storage import Card, database, schema_v6, search_index
from flashcards.storage.binding import bound
from flashcards.storage.schema_check import check_file
from flashcards.storage.schema_search_index import STEP, migrate
from tests.reliability.damage import execute

pytestmark = pytest.mark.sqlite_only

FRONTS = ("Crème brûlée", "Straße", "100% _pure_ C:\\path", "plain text")


def _collection_of_version(path: Path, version: int) -> Path:
    """Built by the schema steps up to `version`, then cards written by raw SQL."""
    db = SqliteDatabase(str(path))
    for step in range(1, version + 1):
        database.MIGRATIONS[step](db)
    db.close()
    cards = [
        "INSERT INTO card (deck_id, key, kind, front, back, tags, ordinal, repetitions, interval,"
        " easiness, due, lapses, suspended, created_at, modified_at, note) VALUES"
        f" (1, 'k{i}', 'basic', '{front.replace(chr(39), chr(39) * 2)}', 'b', 'tag', 0, 0, 0,"
        " 250, NULL, 0, 0, '2025-01-01', '2025-01-01', 'k{i}')"
        for i, front in enumerate(FRONTS)
    ]
    execute(
        path,
        f"INSERT INTO meta (key, value) VALUES ('schema_version', '{version}')",
        "INSERT INTO deck (name, description, created_at) VALUES ('Old', '', '2025-01-01')",
        *cards,
    )
    return path


def test_the_search_step_follows_the_counters_step() -> None:
    assert STEP == schema_v6.VERSION + 1
    assert database.MIGRATIONS[STEP] is migrate


@pytest.mark.parametrize("version", [5, STEP])
def test_an_older_or_current_collection_opens_with_its_text_indexed(
    tmp_path: Path, clock: FixedClock, version: int
) -> None:
    path = _collection_of_version(tmp_path / f"v{version}.db", version)
    assert check_file(path).ok, check_file(path).problems
    col = open_collection(path, clock=clock)
    with bound(col.db):
        if version == 5:  # the upgrade filled it
            assert search_index.behind(col.db) == 0
        else:  # written behind the index's back: not indexed yet, and searched all the same
            assert search_index.behind(col.db) == len(FRONTS)
        for query, front in (
            ("creme brulee", FRONTS[0]),
            ("STRASSE", FRONTS[1]),
            ("100\\%", FRONTS[2]),
            ("c\\:\\\\path", FRONTS[2]),
        ):
            assert [c.front for c in search_cards(col, query).cards] == [front], query
        search_index.refresh(col.db)
        assert search_index.behind(col.db) == 0
        assert [c.front for c in search_cards(col, "_pure_").cards] == [FRONTS[2]]
        assert search_cards(col, "zqxj").cards == ()
        assert Card.select().count() == len(FRONTS)
    col.close()
    assert check_file(path).ok
