"""The native TOML format: good files, every error with its line, and write→parse round trips."""

from __future__ import annotations

import pytest

from flashcards.decks.keys import derive_key
from flashcards.decks.spec import MAX_FIELD_CHARS, CardSpec, DeckSpec
from flashcards.decks.toml_format import parse_toml, parse_toml_bytes, write_toml
from flashcards.errors import DeckError, UserError

GOOD = '''\
# a comment
[deck]
name = "Lang :: French"
description = "Words"

[[cards]]
front = "chat"
back = "cat"
tags = ["animal", "noun", "animal"]

[[cards]]
id = "house"
type = "reverse"
front = "maison"
back = "house"

[[cards]]
type = "cloze"
text = """
{{c1::Paris}} is the capital of {{c2::France::country}}.
[[cards]] inside a string is not a header
"""
extra = "Since 508."

[[cards]]
id = "rome"
type = "type"
front = "Capital of Italy?"
back = "Rome"
'''


def test_good_file_yields_every_kind_with_keys_and_lines() -> None:
    parsed = parse_toml(GOOD, "fr.toml")
    assert parsed.problems == ()
    (deck,) = parsed.decks
    assert (deck.name, deck.description) == ("Lang::French", "Words")
    cloze_key = derive_key(
        "{{c1::Paris}} is the capital of {{c2::France::country}}.\n"
        "[[cards]] inside a string is not a header"
    )
    got = [(c.key, c.kind, c.front, c.back, c.tags, c.ordinal, c.source) for c in deck.cards]
    assert got == [
        (derive_key("chat"), "basic", "chat", "cat", ("animal", "noun"), 0, "fr.toml:6"),
        ("house", "basic", "maison", "house", (), 0, "fr.toml:11"),
        ("house::reverse", "basic", "house", "maison", (), 0, "fr.toml:11"),
        (f"{cloze_key}::c1", "cloze", deck.cards[3].front, "Since 508.", (), 1, "fr.toml:17"),
        (f"{cloze_key}::c2", "cloze", deck.cards[3].front, "Since 508.", (), 2, "fr.toml:17"),
        ("rome", "type", "Capital of Italy?", "Rome", (), 0, "fr.toml:25"),
    ]


@pytest.mark.parametrize(
    ("front_a", "front_b", "same"),
    [
        ("Chat", "  chat ", True),
        ("le   chat", "Le chat", True),
        ("caf\u00e9", "cafe\u0301", True),  # NFC makes the two spellings one
        ("chat", "chien", False),
    ],
)
def test_derived_key_ignores_case_space_and_normalisation(
    front_a: str, front_b: str, same: bool
) -> None:
    assert (derive_key(front_a) == derive_key(front_b)) is same


def test_editing_only_the_back_keeps_the_key() -> None:
    before = parse_toml('[deck]\nname="d"\n[[cards]]\nfront="q"\nback="a"\n', "d.toml")
    after = parse_toml('[deck]\nname="d"\n[[cards]]\nfront="q"\nback="better a"\n', "d.toml")
    assert before.decks[0].cards[0].key == after.decks[0].cards[0].key


HEAD = '[deck]\nname = "d"\n\n'  # cards start on line 4


@pytest.mark.parametrize(
    ("card", "message"),
    [
        ('front = "q"', "missing 'back'"),
        ('back = "a"', "missing 'front'"),
        ('front = "  "\nback = "a"', "'front' is empty"),
        ('front = 3\nback = "a"', "'front' must be a string, not an integer"),
        ('front = "q"\nback = "a"\ntype = "flip"', "unknown type 'flip'"),
        ('front = "q"\nback = "a"\ntype = 1', "unknown type 1"),
        ('front = "q"\nback = "a"\ntags = "x"', "'tags' must be an array of strings"),
        ('front = "q"\nback = "a"\ntags = ["two words"]', "contain no spaces"),
        ('front = "q"\nback = "a"\nid = 7', "'id' must be a string"),
        ('front = "q"\nback = "a"\nid = " x"', "'id' must be non-empty"),
        ('front = "q"\nback = "a"\nfornt = "typo"', "unknown field 'fornt'"),
        ('type = "cloze"\ntext = "no deletion here"', "no deletion like {{c1::answer}}"),
        ('type = "cloze"\nfront = "{{c1::x}}"', "cloze cards use 'text'"),
        ('type = "cloze"\ntext = "{{c1::x}}"\nback = "a"\nextra = "b"', "either 'back' or 'extra'"),
        ('type = "cloze"\ntext = "{{c1::x}}"\ncloze = 2\nid = "k"', "has no {{c2::...}}"),
        ('type = "cloze"\ntext = "{{c1::x}}"\ncloze = 1', "needs an 'id'"),
        (f'front = "{"x" * (MAX_FIELD_CHARS + 1)}"\nback = "a"', "longer than 100,000"),
    ],
)
def test_bad_card_is_a_problem_at_its_header_line(card: str, message: str) -> None:
    text = HEAD + '[[cards]]\nfront = "ok"\nback = "fine"\n\n[[cards]]\n' + card + "\n"
    parsed = parse_toml(text, "d.toml")
    assert [c.front for c in parsed.decks[0].cards] == ["ok"]  # the good card survives
    (problem,) = parsed.problems
    assert problem.source == "d.toml:8"
    assert message in problem.message


def test_duplicate_keys_are_problems_and_the_first_card_wins() -> None:
    text = HEAD + (
        '[[cards]]\nfront = "Q"\nback = "1"\n[[cards]]\nfront = " q "\nback = "2"\n'
        '[[cards]]\nid = "x"\nfront = "a"\nback = "b"\n'
        '[[cards]]\nid = "x"\nfront = "c"\nback = "d"\n'
    )
    parsed = parse_toml(text, "d.toml")
    assert [c.back for c in parsed.decks[0].cards] == ["1", "b"]
    assert [p.source for p in parsed.problems] == ["d.toml:7", "d.toml:14"]
    assert all("duplicate card key" in p.message for p in parsed.problems)
    assert "first at d.toml:4" in parsed.problems[0].message


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('[deck]\nname = "d"\n[[cards]]\nfront = "q\nback = "a"\n', 4, "invalid TOML"),
        ('[deck]\nname = "d"\n[deck]\n', 3, "invalid TOML"),
        ('[[cards]]\nfront = "q"\nback = "a"\n', 1, "missing [deck]"),
        ('[deck]\ndescription = "x"\n', 1, "needs a non-empty string 'name'"),
        ("# c\n[deck]\nname = 5\n", 2, "needs a non-empty string 'name'"),
        ('[deck]\nname = "a::::b"\n', 1, "empty part"),
        ('[deck]\nname = "a"\ncolour = "red"\n', 1, "unknown key 'colour' in [deck]"),
        ('[deck]\nname = "a"\n\n[[card]]\nfront = "q"\n', 4, "unknown top-level key 'card'"),
        ('[deck]\nname = "a"\ndescription = 3\n', 1, "'description' must be a string"),
        ('[deck]\nname = "a"\ncards = []\n', 1, "must come before [deck]"),
        ('cards = 3\n[deck]\nname = "a"\n', 1, "must be an array of tables"),
        ('[deck]\nname = "d"\nx = """unterminated', 3, "invalid TOML"),
    ],
)
def test_file_level_errors_name_file_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(DeckError) as caught:
        parse_toml(text, "d.toml")
    assert caught.value.line == line
    assert message in caught.value.detail
    assert str(caught.value).startswith(f"d.toml:{line}: ")


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b'[deck]\nname = "d"\n[[cards]]\nfront = "\xff"\n', 4, "not valid UTF-8"),
        (b'[deck]\nname = "d\x00"\n', 2, "NUL bytes"),
    ],
)
def test_bytes_that_are_not_utf8_text_are_refused(data: bytes, line: int, message: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_toml_bytes(data, "d.toml")
    assert isinstance(caught.value, DeckError)
    assert (caught.value.line, message in caught.value.detail) == (line, True)


def test_bom_and_crlf_are_fine() -> None:
    data = b'\xef\xbb\xbf[deck]\r\nname = "d"\r\n[[cards]]\r\nfront = "q"\r\nback = "a"\r\n'
    parsed = parse_toml_bytes(data, "d.toml")
    assert parsed.decks[0].cards[0].source == "d.toml:3"


def test_inline_cards_array_is_accepted_without_per_card_lines() -> None:
    text = 'cards = [{front = "q", back = "a"}, {front = 1}]\n[deck]\nname = "d"\n'
    parsed = parse_toml(text, "d.toml")
    assert len(parsed.decks[0].cards) == 1
    assert parsed.problems[0].source == "d.toml: card 2"


def _comparable(deck: DeckSpec) -> list[tuple[object, ...]]:
    return [(c.key, c.kind, c.front, c.back, c.tags, c.ordinal) for c in deck.cards]


def test_write_then_parse_round_trips_every_kind() -> None:
    deck = parse_toml(GOOD, "fr.toml").decks[0]
    written = write_toml(deck)
    again = parse_toml(written, "out.toml").decks[0]
    assert (again.name, again.description) == (deck.name, deck.description)
    assert _comparable(again) == _comparable(deck)
    assert 'type = "reverse"' in written and 'type = "cloze"' in written


def test_round_trip_of_specs_toml_cannot_regroup() -> None:
    """Specs from elsewhere (Anki keys, a lone cloze card, an orphan reverse) keep their keys."""
    cards = (
        CardSpec("g1::0", "basic", "front\nline two", 'back with "quotes" and \\', ("t::x",)),
        CardSpec("g2::1", "cloze", "{{c1::a}} {{c2::b}}", "", (), 2),
        CardSpec("k::c1", "cloze", "{{c1::a}} {{c2::b}}", "x", (), 1),  # sibling c2 missing
        CardSpec("solo::reverse", "basic", "b", "a"),
        CardSpec("r", "basic", "a", "b", ("t",)),
        CardSpec("r::reverse", "basic", "b", "a", ("other",)),  # tags differ: not a pair
        CardSpec("typed", "type", "q", "a"),
    )
    deck = DeckSpec("Imported::Sub", "", cards)
    parsed = parse_toml(write_toml(deck), "out.toml")
    assert parsed.problems == ()
    assert _comparable(parsed.decks[0]) == _comparable(deck)
