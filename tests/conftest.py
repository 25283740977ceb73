"""Fixtures shared by every test folder.

Every test gets its own config and data dirs (so no test ever reads or writes the real home), and
collections are real SQLite files in `tmp_path` opened through the same `open_database()` the app
uses: an in-memory database would hide WAL, pragma and thread behaviour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from flashcards.clock import FixedClock
from flashcards.services.collection import Collection, open_collection
from flashcards.services.decks import ensure_deck
from flashcards.settings import Settings
from flashcards.storage import Card

START = dt.datetime(2026, 3, 2, 10, 0)  # a Monday, 10:00 local


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point config and data dirs at a temporary home so a test can never touch the user's."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("FLASHCARDS_CONFIG", str(home / "config" / "flashcards" / "config.toml"))
    monkeypatch.delenv("FLASHCARDS_DB", raising=False)


@pytest.fixture
def clock() -> FixedClock:
    """A clock pinned at START (rollover hour 4), moved by the test with `advance`/`set`."""
    return FixedClock(START)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "collection.db"


@pytest.fixture
def col(db_path: Path, clock: FixedClock) -> Iterator[Collection]:
    """A fresh collection file with default settings and the fixed clock."""
    collection = open_collection(db_path, clock=clock, settings=Settings())
    yield collection
    collection.close()


def add_cards(col: Collection, deck: str, count: int, prefix: str = "q") -> list[int]:
    """Add `count` basic new cards to `deck` (created if missing); returns their ids in order."""
    d = ensure_deck(col, deck)
    now = col.clock.now().replace(tzinfo=None)
    ids = []
    with col.db.atomic():
        for i in range(count):
            card = Card.create(
                deck=d,
                key=f"{prefix}{i}",
                front=f"{prefix} front {i}",
                back=f"{prefix} back {i}",
                created_at=now,
                modified_at=now,
            )
            ids.append(card.id)
    return ids
