"""Adding notes: each type, duplicates, a new deck, and notes from standard input."""

from __future__ import annotations

import io
import json
import sys

import pytest

from flashcards.decks.added_notes import note_table, parse_added_notes
from flashcards.errors import UserError
from flashcards.services.adding import add_notes, is_duplicate
from flashcards.services.collection import Collection
from flashcards.services.notes import load_note
from flashcards.storage import Card, Deck
from tests.conftest import run_cli


@pytest.mark.parametrize(
    ("kind", "front", "back", "cards"),
    [
        ("basic", "hola", "hello", [("hola", "hello", 0)]),
        ("reverse", "hola", "hello", [("hola", "hello", 0), ("hello", "hola", 0)]),
        ("type", "uno", "one", [("uno", "one", 0)]),
        (
            "cloze",
            "{{c1::Madrid}} is in {{c2::Spain}}",
            "",
            [
                ("{{c1::Madrid}} is in {{c2::Spain}}", "", 1),
                ("{{c1::Madrid}} is in {{c2::Spain}}", "", 2),
            ],
        ),
    ],
)
def test_each_type_makes_its_cards_in_a_new_deck(
    col: Collection, kind: str, front: str, back: str, cards: list[tuple]
) -> None:
    report = add_notes(col, "Spanish::Words", [("x", note_table(kind, front, back, ("es",)))])
    assert (report.deck, report.notes, report.cards) == ("Spanish::Words", 1, len(cards))
    stored = list(Card.select().order_by(Card.id))
    assert [(c.front, c.back, c.ordinal) for c in stored] == cards
    assert {c.tags for c in stored} == {"es"} and len({c.note for c in stored}) == 1
    assert {d.name for d in Deck.select()} == {"Spanish", "Spanish::Words"}
    assert all(c.due is None for c in stored)  # new cards
    assert load_note(col, stored[-1].id).kind == kind


def test_a_duplicate_front_is_reported_and_skipped_unless_allowed(col: Collection) -> None:
    add_notes(col, "D", [("1", note_table("basic", "Hola", "hello"))])
    assert is_duplicate(col, "D", note_table("basic", "  hola ", "x"))
    assert not is_duplicate(col, "Other", note_table("basic", "hola", "x"))
    report = add_notes(col, "D", [("2", note_table("basic", "  hola ", "hi"))])
    assert (report.notes, report.duplicates) == (0, ("2: hola",))
    report = add_notes(col, "D", [("3", note_table("reverse", "hola", "hi"))], allow_duplicate=True)
    assert report.cards == 2
    keys = sorted(Card.select(Card.key).tuples())
    assert len(keys) == len(set(keys)) == 3


def test_an_invalid_note_adds_nothing(col: Collection) -> None:
    notes = [
        ("1", note_table("basic", "ok", "fine")),
        ("2", note_table("cloze", "no deletion")),
        ("3", note_table("basic", "", "empty front")),
    ]
    with pytest.raises(UserError) as caught:
        add_notes(col, "D", notes)
    assert str(caught.value).splitlines()[0] == "2 invalid notes; nothing added"
    assert Card.select().count() == 0 and Deck.select().count() == 0


def test_stdin_text_is_toml_cards_or_tab_separated_lines() -> None:
    toml = '[[cards]]\ntype = "reverse"\nfront = "a"\nback = "b"\n'
    assert parse_added_notes(toml, "<stdin>", tags=("t",)) == [
        ("<stdin>: card 1", {"type": "reverse", "front": "a", "back": "b", "tags": ["t"]})
    ]
    lines = "# a comment\nuno\tone\tnum\n\ndos\ttwo\n"
    assert parse_added_notes(lines, "<stdin>", "type", ("t",)) == [
        ("<stdin>:2", {"type": "type", "front": "uno", "back": "one", "tags": ["t", "num"]}),
        ("<stdin>:4", {"type": "type", "front": "dos", "back": "two", "tags": ["t"]}),
    ]


def test_the_add_command_one_card_and_a_hundred_from_stdin(
    db_target: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = ("--db", db_target)
    code, out, _ = run_cli(
        capsys, *db, "add", "Words", "hola", "hello", "--type", "reverse", "--tags", "es,greet"
    )
    assert (code, out) == (0, "Added 1 note (2 cards) to Words\n")
    code, out, err = run_cli(capsys, *db, "add", "Words", "HOLA", "hi")
    assert code == 0 and "already in the deck" in err and out.startswith("Added 0 notes")
    lines = "".join(f"word {n}\tmeaning {n}\n" for n in range(100)) + "hola\thi\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines.encode())))
    code, out, err = run_cli(capsys, *db, "add", "Words", "-")
    assert code == 0, err
    assert out.startswith("Added 100 notes (100 cards) to Words; 1 duplicate(s) skipped")
    decks = json.loads(run_cli(capsys, *db, "decks", "--json")[1])
    words = next(d for d in decks if d["name"] == "Words")
    assert words["cards"] == 102
    code, _, err = run_cli(capsys, *db, "add", "Words", "{{c1::x", "--type", "cloze")
    assert code == 1 and "no deletion" in err
