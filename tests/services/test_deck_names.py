"""Deck names typed on the command line: case does not matter when it is unambiguous, and a
name that matches nothing suggests the closest deck."""

from __future__ import annotations

import json

import pytest

from flashcards.cli import main
from flashcards.errors import UserError
from flashcards.services.decks import ensure_deck, resolve_deck_name
from flashcards.storage import Card, Deck
from tests.conftest import add_cards


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("Muscle spasms", "Muscle spasms"),
        ("muscle spasms", "Muscle spasms"),
        ("MUSCLE SPASMS", "Muscle spasms"),
        ("spanish :: verbs", "Spanish::Verbs"),
    ],
)
def test_case_insensitive_when_unique(col, typed: str, found: str) -> None:
    ensure_deck(col, "Muscle spasms")
    ensure_deck(col, "Spanish::Verbs")
    assert resolve_deck_name(col, typed) == found


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("Muscle spasm", "no deck named 'Muscle spasm'; did you mean 'Muscle spasms'?"),
        ("spansh", "did you mean 'Spanish'?"),
        ("Chemistry", "no deck named 'Chemistry' (see `flashcards decks`)"),
    ],
)
def test_unknown_names_suggest_the_closest(col, typed: str, words: str) -> None:
    ensure_deck(col, "Muscle spasms")
    ensure_deck(col, "Spanish::Verbs")
    with pytest.raises(UserError) as err:
        resolve_deck_name(col, typed)
    assert words in str(err.value)


@pytest.mark.sqlite_only  # PostgreSQL's unique index may treat case as SQLite does not
def test_names_that_differ_only_in_case_are_not_guessed(col) -> None:
    ensure_deck(col, "French")
    ensure_deck(col, "FRENCH")
    assert resolve_deck_name(col, "French") == "French"
    with pytest.raises(UserError, match="ambiguous: 'FRENCH' or 'French'"):
        resolve_deck_name(col, "french")


def test_every_command_taking_a_deck_resolves_it(col, db_target, tmp_path, capsys) -> None:
    add_cards(col, "Spanish verbs", 2)
    assert main(["--db", db_target, "stats", "spanish VERBS", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["deck"] == "Spanish verbs"
    out = tmp_path / "out.toml"
    assert main(["--db", db_target, "export", "spanish verbs", str(out)]) == 0
    assert "Exported 2 cards of Spanish verbs" in capsys.readouterr().out
    assert main(["--db", db_target, "review", "spanish verb"]) == 1
    assert "did you mean 'Spanish verbs'?" in capsys.readouterr().err


def test_move_uses_an_existing_deck_whatever_the_case(col, db_target, capsys) -> None:
    add_cards(col, "Spanish verbs", 1, prefix="s")
    add_cards(col, "Inbox", 2, prefix="i")
    assert main(["--db", db_target, "move", "deck:Inbox", "SPANISH VERBS"]) == 0
    assert "Moved 2 cards" in capsys.readouterr().out
    names = {n for (n,) in Deck.select(Deck.name).tuples()}
    assert "SPANISH VERBS" not in names
    assert Card.select().join(Deck).where(Deck.name == "Spanish verbs").count() == 3
    assert main(["--db", db_target, "move", "deck:Inbox OR deck:Spanish*", "Archive"]) == 0
    assert "Archive" in {n for (n,) in Deck.select(Deck.name).tuples()}  # created, as before
