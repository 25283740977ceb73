"""CSV/TSV decks: sniffing, header rows, BOM, ragged rows, HTML, and Anki's plain-text export."""

from __future__ import annotations

from pathlib import Path

import pytest

from flashcards.decks.delimited import parse_delimited, write_csv
from flashcards.decks.detect import parse_file
from flashcards.decks.keys import derive_key
from flashcards.errors import DeckError

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    ("data", "delimiter"),
    [
        (b"chat\tcat\nchien\tdog, a pet\n", "\t"),
        (b'chat,cat\nchien,"dog, a pet"\n', ","),
        (b"chat;cat\nchien;dog, a pet\n", ";"),
        (b"chat|cat\nchien|dog, a pet\n", "|"),
    ],
)
def test_delimiter_is_sniffed(data: bytes, delimiter: str) -> None:
    parsed = parse_delimited(data, "words.txt")
    assert parsed.problems == ()
    cards = parsed.decks[0].cards
    assert [(c.front, c.back) for c in cards] == [("chat", "cat"), ("chien", "dog, a pet")]
    assert parsed.decks[0].name == "words"


@pytest.mark.parametrize(
    "data",
    [
        b"front,back,tags\nchat,cat,animal noun\n",
        b"\xef\xbb\xbfFront,Back,Tags\r\nchat,cat,animal noun\r\n",
        b"FRONT;BACK;TAGS\nchat;cat;animal  noun animal\n",
    ],
)
def test_header_row_bom_and_tags(data: bytes) -> None:
    parsed = parse_delimited(data, "w.csv", deck_name="Words")
    (card,) = parsed.decks[0].cards
    assert (card.front, card.back, card.tags, card.source) == (
        "chat",
        "cat",
        ("animal", "noun"),
        "w.csv:2",
    )
    assert card.key == derive_key("chat")
    assert parsed.decks[0].name == "Words"


def test_explicit_delimiter_wins_over_sniffing() -> None:
    parsed = parse_delimited(b"a,b;c,d\n", "x.csv", delimiter=";")
    assert [(c.front, c.back) for c in parsed.decks[0].cards] == [("a,b", "c,d")]


def test_ragged_rows_and_empty_backs_are_problems_with_their_lines() -> None:
    data = b'front,back\nok,fine\nlonely\n"multi\nline",x\n\nno back,\nlast,one\n'
    parsed = parse_delimited(data, "r.csv")
    assert [c.front for c in parsed.decks[0].cards] == ["ok", "multi\nline", "last"]
    assert [(p.source, p.message.split(";")[0]) for p in parsed.problems] == [
        ("r.csv:3", "expected front and back, found 1 field"),
        ("r.csv:7", "empty back"),
    ]
    assert parsed.decks[0].cards[2].source == "r.csv:8"


def test_html_fields_become_text_and_media_is_flagged() -> None:
    data = b'Hello<br>world,<div>a</div><div>b &amp; c</div>\n"x < y",<img src="p.png">pic\n'
    parsed = parse_delimited(data, "h.csv")
    cards = parsed.decks[0].cards
    assert [(c.front, c.back, c.media) for c in cards] == [
        ("Hello\nworld", "a\nb & c", False),
        ("x < y", "pic", True),
    ]


def test_cloze_rows_and_duplicates() -> None:
    data = b"{{c1::Paris}} is in {{c2::France}},extra\nq,a\nQ ,again\n"
    parsed = parse_delimited(data, "c.csv")
    cards = parsed.decks[0].cards
    key = derive_key("{{c1::Paris}} is in {{c2::France}}")
    assert [(c.key, c.kind, c.ordinal) for c in cards] == [
        (f"{key}::c1", "cloze", 1),
        (f"{key}::c2", "cloze", 2),
        (derive_key("q"), "basic", 0),
    ]
    assert [p.source for p in parsed.problems] == ["c.csv:3"]


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"a,b\n\xff,c\n", 2, "not valid UTF-8"),
        (b"a,b\nc\x00,d\n", 2, "NUL bytes"),
        (b"#separator:Tab Tab\na\tb\n", 1, "unsupported #separator"),
        (b"#separator:tab\n#html:maybe\na\tb\n", 2, "#html must be true or false"),
        (b"#separator:tab\n#deck column:0\na\tb\n", 2, "column number from 1"),
    ],
)
def test_file_level_errors(data: bytes, line: int, message: str) -> None:
    with pytest.raises(DeckError) as caught:
        parse_delimited(data, "bad.csv")
    assert (caught.value.line, message in caught.value.detail) == (line, True)


def test_anki_notes_in_plain_text_export_fixture() -> None:
    """A hand-made export as Anki writes it: guid, note type and deck columns, HTML, quoting."""
    path = FIXTURES / "anki-notes-export.txt"
    parsed = parse_file(path)
    decks = {d.name: d for d in parsed.decks}
    assert list(decks) == ["Lang::French", "Geography"]
    french = [(c.key, c.kind, c.front, c.back, c.tags) for c in decks["Lang::French"].cards]
    assert french == [
        ("b4Xy%2Fq::0", "basic", "Hello\nworld", "Bonjour & salut", ("greet", "fr")),
        ("Rv9.kz::0", "basic", "cat", "chat", ("animal",)),
        ("Rv9.kz::1", "basic", "chat", "cat", ("animal",)),
    ]
    geo = decks["Geography"].cards
    assert [(c.key, c.kind, c.ordinal, c.back) for c in geo[:2]] == [
        ("Cz!1aa::0", "cloze", 1, "extra"),
        ("Cz!1aa::1", "cloze", 2, "extra"),
    ]
    assert (geo[2].key, geo[2].front, geo[2].back, geo[2].media) == (
        'Ml"2::0',
        'multi\nline "quoted"',
        "map",
        True,
    )
    # a question that is only an image is named, not refused
    assert (geo[3].front, geo[3].back, geo[3].media) == ("[image: only.png]", "no front", True)
    assert parsed.problems == ()


def test_anki_headers_with_fixed_deck_notetype_and_tags() -> None:
    data = (
        b"#separator:semicolon\n#html:false\n#deck:Fixed\n#notetype:Basic (type in the answer)"
        b"\n#tags:imported\n#columns:Front;Back;Tags\nq <b>;a;t1\n"
    )
    parsed = parse_delimited(data, "x.txt")
    (card,) = parsed.decks[0].cards
    assert parsed.decks[0].name == "Fixed"
    assert (card.kind, card.front, card.back, card.tags) == (
        "type",
        "q <b>",
        "a",
        ("imported", "t1"),
    )


def test_write_csv_writes_anki_notes_and_parses_back_to_the_same_text() -> None:
    from flashcards.decks.spec import DeckSpec
    from flashcards.decks.toml_format import parse_toml

    text = (
        '[deck]\nname = "d"\n[[cards]]\nfront = "a, \\"b\\" <i>"\nback = "line\\nbreak"\n'
        'tags = ["x", "y"]\n[[cards]]\nid = "z"\ntype = "cloze"\ntext = "{{c1::p}} {{c2::q}}"\n'
        '[[cards]]\nid = "r"\ntype = "reverse"\nfront = "f"\nback = "b"\n'
        '[[cards]]\nid = "t"\ntype = "type"\nfront = "q"\nback = "a"\n'
    )
    deck = parse_toml(text, "d.toml").decks[0]
    written = write_csv(deck)
    key = deck.cards[0].key
    assert written.splitlines() == [
        "#separator:comma",
        "#html:true",
        "#columns:Guid,Notetype,Deck,Front,Back,Tags",
        "#guid column:1",
        "#notetype column:2",
        "#deck column:3",
        "#tags column:6",
        f'{key},Basic,d,"a, ""b"" &lt;i&gt;",line<br>break,x y',
        "z,Cloze,d,{{c1::p}} {{c2::q}},,",  # one note for both deletions
        "r,Basic (and reversed card),d,f,b,",  # one note for the pair
        "t,Basic (type in the answer),d,q,a,",
    ]
    again = parse_delimited(written.encode("utf-8"), "d.csv").decks[0]
    assert [(c.kind, c.front, c.back, c.tags, c.ordinal) for c in again.cards] == [
        (c.kind, c.front, c.back, c.tags, c.ordinal) for c in deck.cards
    ]
    assert [c.key for c in again.cards] == [f"{key}::0", "z::0", "z::1", "r::0", "r::1", "t::0"]
    assert isinstance(again, DeckSpec)


def test_every_field_of_anki_26_notes_in_plain_text() -> None:
    """Anki 26's own "Notes in Plain Text" export (guid, note type, deck and tags columns;
    rows as long as the widest note type), plus a three-field custom type and an optional
    reversed note: every field is kept, a custom cloze type's cloze field found wherever it is."""
    parsed = parse_file(FIXTURES / "anki-26-notes-in-plain-text.txt")
    assert parsed.problems == ()
    cards = {c.key: (c.kind, c.front, c.back, c.ordinal) for d in parsed.decks for c in d.cards}
    nested = "{{c1::Canberra was {{c2::founded}} in 1913}}"
    assert cards["LCcefgdEI$::0"] == ("type", "Capital of Spain?", "Madrid", 0)
    assert cards["qYtuX;ipbF::1"] == ("basic", "Japan", "Tokyo", 0)
    assert cards["I@Livjso7z::1"] == ("cloze", nested, "Australia", 2)
    assert cards["ywMdifU*Kp::0"] == (
        "cloze",
        "{{c1::Nairobi}} is in {{c2::Kenya}}",
        "Africa\nEast",
        1,
    )
    assert cards["GHCb{TFT09::0"] == ("basic", "[image: map.png]", "a map", 0)
    assert cards["vOc4b::0"] == ("basic", "maison", "house\nla maison", 0)
    assert cards["opT1::1"] == ("basic", "dog", "chien", 0)  # "y" is the flag, not a field
    assert len(cards) == 16
    assert [d.name for d in parsed.decks] == ["Geo", "Geo::Cities"]
