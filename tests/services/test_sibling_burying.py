"""Sibling burying: once a card is answered, the other cards of its note wait until tomorrow."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from flashcards.clock import FixedClock
from flashcards.errors import UserError
from flashcards.services.collection import Collection
from flashcards.services.decks import deck_counts
from flashcards.services.study import StudySession
from flashcards.settings import Settings
from tests.conftest import import_toml

DECK = """\
[deck]
name = "Geo"

[[cards]]
type = "cloze"
text = "{{c1::Paris}} is in {{c2::France}}"

[[cards]]
front = "alone"
back = "one"
"""


@pytest.fixture
def geo(col: Collection, tmp_path: Path) -> Collection:
    return import_toml(col, tmp_path, DECK)


def _fronts(session: StudySession) -> list[str]:
    shown = []
    while (view := session.current()) is not None:
        shown.append(f"{view.front}#{view.ordinal}")
        session.answer(5)
    return shown


def test_answering_one_deletion_buries_the_other_until_tomorrow(
    geo: Collection, clock: FixedClock
) -> None:
    assert _fronts(StudySession(geo)) == ["{{c1::Paris}} is in {{c2::France}}#1", "alone#0"]
    assert _fronts(StudySession(geo)) == []  # not even in a new session today
    assert deck_counts(geo)[0].buried == 1
    clock.advance(days=1)
    counts = deck_counts(geo)[0]
    assert (counts.new, counts.buried) == (1, 0)  # c2 is back; c1 and "alone" are due again
    # ...but, as in Anki, a new card waits while a sibling is due: one card of a note a day.
    session = StudySession(geo).counts()
    assert (session.new, session.review) == (0, 2)
    assert deck_counts(geo)[0].new_today == 0


def test_undo_unburies_the_siblings(geo: Collection) -> None:
    session = StudySession(geo)
    assert session.counts().new == 2  # c1 and "alone": c2 waits for another day
    session.answer(5)
    assert session.counts().new == 1
    session.undo()
    assert session.counts().new == 2
    assert deck_counts(geo)[0].buried == 0


def test_burying_is_off_with_the_setting(geo: Collection) -> None:
    geo.settings = replace(geo.settings, bury_siblings=False)
    assert len(_fronts(StudySession(geo))) == 3


def test_the_setting_must_be_true_or_false() -> None:
    with pytest.raises(UserError, match="bury_siblings must be true or false"):
        Settings(bury_siblings="no").validated()  # type: ignore[arg-type]
