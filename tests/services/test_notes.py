"""Notes: editing one changes every card it made and keeps each card's progress."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from flashcards.errors import UserError
from flashcards.services.collection import Collection
from flashcards.services.exporter import export_deck
from flashcards.services.notes import edit_note, load_note
from flashcards.services.study import StudySession
from flashcards.storage import Card
from tests.conftest import import_toml

DECK = """\
[deck]
name = "Words"

[[cards]]
type = "reverse"
front = "cat"
back = "gato"

[[cards]]
type = "cloze"
text = "{{c1::Paris}} is in {{c2::France}}"

[[cards]]
front = "uno"
back = "one"
"""


@pytest.fixture
def words(col: Collection, tmp_path: Path) -> Collection:
    return import_toml(col, tmp_path, DECK)


def _card(front: str) -> Card:
    return Card.get(Card.front == front)


def _progress(card_id: int) -> tuple:
    c = Card.get_by_id(card_id)
    return (c.repetitions, c.interval, c.easiness, c.due, c.lapses)


def test_an_import_puts_siblings_into_one_note(words: Collection) -> None:
    forward, backward = _card("cat"), _card("gato")
    assert forward.note == backward.note == forward.key
    clozes = list(Card.select().where(Card.kind == "cloze"))
    assert len(clozes) == 2 and len({c.note for c in clozes}) == 1
    assert _card("uno").note == _card("uno").key
    note = load_note(words, backward.id)
    assert (note.kind, note.front, note.back) == ("reverse", "cat", "gato")
    assert set(note.card_ids) == {forward.id, backward.id}


def test_editing_a_reverse_note_changes_both_directions_and_keeps_progress(
    words: Collection,
) -> None:
    session = StudySession(words)
    while session.current() is not None:  # answer everything once
        session.answer(4)
    forward, backward = _card("cat").id, _card("gato").id
    before = (_progress(forward), _progress(backward))
    edit_note(words, backward, "cat", "el gato", ("animals",))
    assert (Card.get_by_id(forward).front, Card.get_by_id(forward).back) == ("cat", "el gato")
    assert (Card.get_by_id(backward).front, Card.get_by_id(backward).back) == ("el gato", "cat")
    assert Card.get_by_id(backward).tags == "animals"
    assert (_progress(forward), _progress(backward)) == before


def test_the_review_edit_of_the_reverse_direction_edits_the_note(words: Collection) -> None:
    words.settings = replace(words.settings, bury_siblings=False)  # to reach the reverse today
    session = StudySession(words)
    while (view := session.current()) is not None and view.front != "gato":
        session.answer(4)
    assert view is not None
    shown = session.edit_current("el gato", "cat")  # as the card shows it
    assert (shown.front, shown.back) == ("el gato", "cat")
    assert _card("cat").back == "el gato"


def test_editing_a_cloze_note_changes_every_deletion_and_adds_a_new_one(
    words: Collection,
) -> None:
    first = Card.get(Card.kind == "cloze", Card.ordinal == 1)
    edit_note(words, first.id, "{{c1::Paris}} is in {{c2::France}}, {{c3::Europe}}", "capital")
    cards = list(Card.select().where(Card.kind == "cloze").order_by(Card.ordinal))
    assert [c.ordinal for c in cards] == [1, 2, 3]
    assert {c.front for c in cards} == {"{{c1::Paris}} is in {{c2::France}}, {{c3::Europe}}"}
    assert {c.back for c in cards} == {"capital"}
    assert len({c.note for c in cards}) == 1
    assert cards[0].id == first.id


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("{{c1::Paris}} is in France", "no longer has deletion c2"),
        ("no deletion at all", "no deletion"),
        ("   ", "empty"),
    ],
)
def test_an_invalid_edit_changes_nothing(words: Collection, front: str, message: str) -> None:
    first = Card.get(Card.kind == "cloze", Card.ordinal == 1)
    before = sorted(Card.select(Card.id, Card.front, Card.back).tuples())
    with pytest.raises(UserError, match=message):
        edit_note(words, first.id, front, "")
    assert sorted(Card.select(Card.id, Card.front, Card.back).tuples()) == before


def test_an_edited_note_exports_as_one_note(words: Collection, tmp_path: Path) -> None:
    edit_note(words, _card("gato").id, "cat", "el gato")
    out = tmp_path / "out.toml"
    export_deck(words, "Words", out, None)
    cards = tomllib.loads(out.read_text(encoding="utf-8"))["cards"]
    assert len(cards) == 3
    assert {k: v for k, v in cards[0].items() if k != "id"} == {
        "type": "reverse",
        "front": "cat",
        "back": "el gato",
    }


def test_an_anki_export_writes_one_note_per_sibling_group(
    words: Collection, tmp_path: Path
) -> None:
    import sqlite3
    import zipfile

    out = tmp_path / "words.apkg"
    export_deck(words, "Words", out, None)
    with zipfile.ZipFile(out) as package:
        (tmp_path / "x.anki2").write_bytes(package.read("collection.anki2"))
    conn = sqlite3.connect(tmp_path / "x.anki2")
    try:
        notes, cards = (
            conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("notes", "cards")
        )
    finally:
        conn.close()
    assert (notes, cards) == (3, 5)  # reverse (2 cards), cloze (2 cards), basic
