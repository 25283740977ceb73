"""Issue 11 through the import service, on SQLite and (in CI) PostgreSQL: the files that once
raised DataError on PostgreSQL (SQLite took them) are refused the same way on both."""

from __future__ import annotations

from pathlib import Path

import pytest

from flashcards.decks.limits import ImportLimits
from flashcards.errors import UserError
from flashcards.services.collection import Collection
from flashcards.services.importer import import_paths
from flashcards.storage import Card, Deck
from tests.decks.anki_builders import BASIC, REVIEW_CARD, Note, build_apkg


def _package(tmp_path: Path, deck: str = "Default", **card: object) -> Path:
    values = {**REVIEW_CARD, **card}
    note = Note(1, "g", BASIC.id, ["q", "a"], "", [tuple(values.values())])
    return build_apkg(tmp_path / "p.apkg", "anki21", models=[BASIC], notes=[note], decks={1: deck})


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"deck": "n" * 300}, "255 characters"),
        ({"deck": "::".join(["d"] * 40)}, "40 levels deep"),
        ({"lapses": 2**40}, "lapses"),
        ({"factor": 1e300}, "factor"),
        ({"ivl": 2**40, "factor": 99_999, "lapses": 1_000_000}, None),  # the largest allowed
    ],
)
def test_values_the_columns_cannot_hold(col: Collection, tmp_path, options, message) -> None:
    path = _package(tmp_path, **options)
    decks = Deck.select().count()
    if message is None:
        report = import_paths(col, [path])
        assert report.added == 1
        card = Card.get()
        assert (card.interval, card.easiness, card.lapses) == (36_500, 9_999, 1_000_000)
        return
    with pytest.raises(UserError, match=message):
        import_paths(col, [path])
    assert Card.select().count() == 0 and Deck.select().count() == decks


def test_a_deck_option_too_deep_is_refused(col: Collection, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="levels deep"):
        import_paths(col, [_package(tmp_path)], deck="::".join(["d"] * 33))


def test_the_card_limit_spans_every_file_of_an_import(col: Collection, tmp_path: Path) -> None:
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    one.write_text("front,back\nq1,a1\nq2,a2\n")
    two.write_text("front,back\nq3,a3\nq4,a4\n")
    with pytest.raises(UserError, match="more than 3 cards"):
        import_paths(col, [one, two], limits=ImportLimits(max_cards=3))
    assert Card.select().count() == 0
    assert import_paths(col, [one, two], limits=ImportLimits(max_cards=4)).added == 4
