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
from tests.conftest import add_cards, run_cli


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


def test_cards_written_without_a_front_key_are_still_duplicates(col: Collection) -> None:
    """A bulk import (or any writer) may leave `front_key` unset; the test reads those cards'
    fronts, and stores their keys so the next add finds them by the index."""
    add_cards(col, "D", 3, prefix="Old")  # written without front keys, as the importer does
    assert Card.select().where(Card.front_key.is_null()).count() == 3
    assert is_duplicate(col, "D", note_table("basic", "old FRONT 1", "x"))
    report = add_notes(col, "D", [("1", note_table("basic", "  old front 1", "hi"))])
    assert (report.notes, report.duplicates) == (0, ("1: old front 1",))
    assert Card.select().where(Card.front_key.is_null()).count() == 0
    assert add_notes(col, "D", [("2", note_table("basic", "Old front 2", "x"))]).notes == 0


def test_a_front_rewritten_without_its_key_is_compared_again(col: Collection) -> None:
    """A writer that changes a front but not its key: the trigger clears the stale key, so the
    old front is no longer a duplicate and the new one is."""
    add_notes(col, "D", [("1", note_table("basic", "hola", "hello"))])
    col.db.execute_sql("UPDATE card SET front = 'adiós'")
    assert Card.get().front_key is None
    assert not is_duplicate(col, "D", note_table("basic", "hola", "x"))
    assert is_duplicate(col, "D", note_table("basic", "ADIÓS", "x"))


@pytest.mark.sqlite_only  # EXPLAIN QUERY PLAN is SQLite's
def test_the_duplicate_test_probes_the_front_key_index(col: Collection) -> None:
    add_notes(col, "D", [("1", note_table("basic", "hola", "hello"))])
    statements: list[tuple[str, tuple]] = []
    execute = col.db.execute_sql

    def recorded(sql: str, params=None, *rest):  # noqa: ANN001, ANN202
        statements.append((sql, tuple(params or ())))
        return execute(sql, params, *rest)

    col.db.execute_sql = recorded
    try:
        assert is_duplicate(col, "D", note_table("basic", "Hola", "x"))
    finally:
        col.db.execute_sql = execute
    lookups = [(s, p) for s, p in statements if '"front_key"' in s and s.startswith("SELECT")]
    assert len(lookups) == 2  # the keys, then the cards with no key yet
    for sql, params in lookups:
        plan = col.db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
        assert any("INDEX card_deck_id_front_key" in row[-1] for row in plan), plan
