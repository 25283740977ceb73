"""The home screen's fast deck list (`services.first_home`, plain sqlite3) is `deck_counts`'.

`flashcards` paints the deck list from it before the collection is opened, so wherever the fast
path answers, it must give exactly what `deck_counts(col, today, totals=False)` gives: limits
(per deck, inherited from a parent, the settings'), buried, suspended and learning cards, cards
studied today (also in a deck the card has left since), extra new cards allowed today for a
tree or for every deck, subdecks under a missing middle level, empty decks and descriptions.
Where it does not apply it answers None.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from flashcards.services.bundled import INSTALLED_FLAG
from flashcards.services.collection import Collection
from flashcards.services.daily_limits import raise_new_limit_today
from flashcards.services.decks import deck_counts, ensure_deck
from flashcards.services.first_home import BUNDLED_FLAG, first_home
from flashcards.services.study import StudySession
from flashcards.settings import Settings
from flashcards.storage import SCHEMA_VERSION, Card, Deck, Meta
from tests.conftest import add_cards
from tests.services.test_first_card import SCENARIOS as FIRST_CARD_SCENARIOS
from tests.services.test_first_card import _cloze, _due, _limits, reviews_first


def over_the_caps(col: Collection) -> None:
    """More new and due cards than any limit: the counts stop at the caps."""
    add_cards(col, "Big", 30, "bn")
    _due(col, add_cards(col, "Big", 40, "bd"), 2)
    _due(col, add_cards(col, "Big::Sub", 15, "sd"), 1)
    _limits("Big::Sub", 3, 4)


def missing_middle_level(col: Collection) -> None:
    """`X::Y::Z` whose `X::Y` was deleted: Z's limits and counts go to X."""
    add_cards(col, "X::Y::Z", 4, "z")
    _due(col, add_cards(col, "X::Y::Z", 3, "zd"), 1)
    add_cards(col, "X", 2, "x")
    Deck.delete().where(Deck.name == "X::Y").execute()
    _limits("X", 3, 2)


def empty_decks_and_descriptions(col: Collection) -> None:
    reviews_first(col)
    ensure_deck(col, "Empty::Child", "nothing here yet")
    Deck.update(description="Verbs, \x1b[31mred\x1b[0m").where(Deck.name == "A::B").execute()


def every_deck_raised(col: Collection) -> None:
    """More new cards today for a review of every deck (`*`) and for one tree."""
    add_cards(col, "A", 5, "a")
    add_cards(col, "A::B", 5, "b")
    _limits("A", 1, None)
    raise_new_limit_today(col, None, 4)
    raise_new_limit_today(col, "A::B", 2)
    session = StudySession(col, "A")
    session.answer(4)


def damaged_extra_count(col: Collection) -> None:
    add_cards(col, "A", 5, "a")
    _limits("A", 0, None)
    Meta.put(f"extra_new:{col.clock.today().isoformat()}:A", "-3 or so")


def many_notes_over_the_cap(col: Collection) -> None:
    """More notes than the new-card cap, some of them blocked by a due or buried sibling."""
    for n in range(14):
        ids = _cloze(col, "N", f"note{n}", 2 + n % 2)
        if n % 4 == 0:
            _due(col, ids[-1:], 0)  # a due sibling keeps the note's new cards out today
        if n % 5 == 0:  # the note's first card buried: the next deletion opens the note
            tomorrow = col.clock.today() + dt.timedelta(days=1)
            Card.update(buried_until=tomorrow).where(Card.id == ids[0]).execute()
    _limits("N", 9, None)


SCENARIOS: list[Callable[[Collection], None]] = [
    *FIRST_CARD_SCENARIOS,
    many_notes_over_the_cap,
    over_the_caps,
    missing_middle_level,
    empty_decks_and_descriptions,
    every_deck_raised,
    damaged_extra_count,
]
SETTINGS = {
    "default": Settings(),
    "tight": Settings(new_per_day=1, reviews_per_day=2),
    "none_new": Settings(new_per_day=0, reviews_per_day=1000),
    "siblings_not_buried": Settings(bury_siblings=False),
}


@pytest.fixture
def sqlite_col(col: Collection, db_target: str) -> Collection:
    if "://" in db_target:
        pytest.skip("the fast deck list is read from SQLite files only")
    Meta.put(INSTALLED_FLAG, "2026-03-01")
    return col


@pytest.mark.parametrize("build", SCENARIOS, ids=[s.__name__ for s in SCENARIOS])
@pytest.mark.parametrize("settings", SETTINGS.values(), ids=list(SETTINGS))
def test_the_fast_deck_list_is_the_services(
    sqlite_col: Collection, build: Callable[[Collection], None], settings: Settings
) -> None:
    col = dataclasses.replace(sqlite_col, settings=settings)
    build(col)  # may change the settings (cloze_siblings_not_buried)
    today = col.clock.today()
    fast = first_home(col.target, col.settings, today)
    assert fast is not None
    assert fast.counts == deck_counts(col, today, totals=False)
    assert fast.has_media is False


def test_the_fast_deck_list_on_another_day(sqlite_col: Collection) -> None:
    """Tomorrow: the burials and today's studied counts are over, later cards are due."""
    col = sqlite_col
    reviews_first(col)
    Card.update(buried_until=col.clock.today() + dt.timedelta(days=1)).where(
        Card.key == "bd0"
    ).execute()
    StudySession(col).answer(4)
    col.clock.advance(days=1)
    today = col.clock.today()
    fast = first_home(col.target, col.settings, today)
    assert fast is not None and fast.counts == deck_counts(col, today, totals=False)


def test_the_fast_deck_list_knows_the_collection_has_media(sqlite_col: Collection) -> None:
    from flashcards.decks.media_names import MediaFile
    from flashcards.services.media import store_media

    add_cards(sqlite_col, "A", 1)
    store_media(sqlite_col, [MediaFile("map.png", b"\x89PNG not really")])
    fast = first_home(sqlite_col.target, sqlite_col.settings, sqlite_col.clock.today())
    assert fast is not None and fast.has_media is True


def test_nothing_fast_before_the_bundled_decks_are_installed(col: Collection) -> None:
    add_cards(col, "A", 2)
    assert first_home(col.target, col.settings, col.clock.today()) is None


@pytest.mark.parametrize("target", ["postgresql://user:pw@host/db", "/no/such/collection.db"])
def test_nothing_fast_for_a_server_or_a_missing_file(target: str, clock) -> None:
    assert first_home(target, Settings(), clock.today()) is None


def test_nothing_fast_for_a_foreign_or_damaged_file(tmp_path: Path, clock) -> None:
    foreign = tmp_path / "foreign.db"
    foreign.write_bytes(b"this is not a database at all" * 100)
    assert first_home(foreign, Settings(), clock.today()) is None


def test_nothing_fast_for_another_schema(sqlite_col: Collection) -> None:
    add_cards(sqlite_col, "A", 2)
    Meta.put("schema_version", str(SCHEMA_VERSION - 1))
    col = sqlite_col
    assert first_home(col.target, col.settings, col.clock.today()) is None


def test_the_fast_deck_list_knows_the_bundled_flag() -> None:
    assert BUNDLED_FLAG == INSTALLED_FLAG
