"""Anki packages: both schemas built in the test, genanki round trips, and hostile files."""

from __future__ import annotations

import datetime
import sqlite3
import tempfile
from pathlib import Path

import pytest
import zstandard

from flashcards.decks import apkg
from flashcards.decks.apkg import parse_apkg
from flashcards.decks.apkg_write import write_apkg
from flashcards.decks.detect import parse_file
from flashcards.decks.spec import ImportedScheduling
from flashcards.decks.toml_format import parse_toml
from flashcards.errors import DeckError
from tests.decks.anki_builders import (
    BASIC,
    CRT_DAY,
    REVIEW,
    Note,
    build_apkg,
    build_collection,
    zip_members,
    zstd_stream,
)

TODAY = datetime.date(2030, 1, 1)
SQLITE_JUNK = b"SQLite format 3\x00" + b"\x07" * 5000
KINDS = ["anki2", "anki21", "anki21b"]


def _days(n: int) -> datetime.date:
    return CRT_DAY + datetime.timedelta(days=n)


@pytest.mark.parametrize("kind", KINDS)
def test_both_schemas_give_the_same_cards(tmp_path: Path, kind: str) -> None:
    path = build_apkg(tmp_path / "sample.apkg", kind)
    parsed = parse_apkg(path, "sample.apkg", today=TODAY)
    decks = {d.name: d for d in parsed.decks}
    assert list(decks) == ["Lang::French", "Default"]
    got = [
        (c.key, c.kind, c.front, c.back, c.tags, c.ordinal, c.media, c.scheduling)
        for d in parsed.decks
        for c in d.cards
    ]
    cloze = "{{c1::Paris}} is in {{c2::France::country}}"
    assert got == [
        (
            "gBasic::0",
            "basic",
            "Hello\nworld",
            "Bonjour & salut",
            ("greet", "fr"),
            0,
            False,
            ImportedScheduling(2, 10, 250, _days(30), 1),
        ),
        ("gRev::0", "basic", "cat", "chat", ("animal",), 0, False, None),
        (
            "gRev::1",
            "basic",
            "chat",
            "cat",
            ("animal",),
            0,
            False,
            ImportedScheduling(1, 3, 130, _days(3), 0),
        ),  # factor 1200 -> floor 130
        ("gCloze::0", "cloze", cloze, "extra info", (), 1, False, None),
        ("gCloze::1", "cloze", cloze, "extra info", (), 2, False, None),
        # filtered deck: home deck from odid, due from odue
        (
            "gVocab::0",
            "basic",
            "maison",
            "house\nla maison",
            (),
            0,
            False,
            ImportedScheduling(2, 20, 230, _days(5), 2),
        ),
        # a question that is only an image: named, not dropped
        ("gMedia::0", "basic", "[image: a.png]", "back", (), 0, True, None),
        # learning: due today, nothing else carried; the sound stays as a marker
        (
            "gSound::0",
            "basic",
            "Listen\n[sound: x.mp3]",
            "Ecoute",
            (),
            0,
            True,
            ImportedScheduling(0, 0, 250, TODAY, 0),
        ),
        ("gTyped::0", "type", "Capital of Italy?", "Rome", (), 0, False, None),
    ]
    assert parsed.problems == ()
    assert parsed.decks[0].cards[0].source == "sample.apkg: note 11"


def test_scheduling_can_be_left_out(tmp_path: Path) -> None:
    path = build_apkg(tmp_path / "s.apkg", "anki21b")
    parsed = parse_apkg(path, "s.apkg", with_scheduling=False)
    assert all(c.scheduling is None for d in parsed.decks for c in d.cards)


@pytest.mark.parametrize(
    ("due", "ivl", "factor", "expected"),
    [
        (0, 1, 2500, ImportedScheduling(1, 1, 250, CRT_DAY, 0)),
        (6, 6, 1300, ImportedScheduling(2, 6, 130, _days(6), 0)),
        (1, 400, 3100, ImportedScheduling(2, 400, 310, _days(1), 0)),
        (1, 99_999, 0, ImportedScheduling(2, 36_500, 250, _days(1), 0)),  # capped, default EF
        (10**12, 5, 2500, ImportedScheduling(1, 5, 250, TODAY, 0)),  # absurd due -> today
    ],
)
def test_review_card_scheduling_mapping(
    tmp_path: Path, due: int, ivl: int, factor: int, expected: ImportedScheduling
) -> None:
    note = Note(1, "g", BASIC.id, ["q", "a"], "", [(0, 1, 0, REVIEW, due, 0, ivl, factor, 0)])
    path = build_apkg(
        tmp_path / "one.apkg", "anki21", models=[BASIC], notes=[note], decks={1: "Default"}
    )
    (deck,) = parse_apkg(path, "one.apkg", today=TODAY).decks
    assert deck.cards[0].scheduling == expected


def test_cards_with_broken_notes_are_problems(tmp_path: Path) -> None:
    notes = [
        Note(1, "g1", 999, ["q", "a"], "", [(0, 1, 0, 0, 0, 0, 0, 0, 0)]),  # unknown note type
        Note(2, "g2", 1003, ["no deletions", ""], "", [(0, 1, 0, 0, 0, 0, 0, 0, 0)]),
        Note(3, "g3", 1001, ["ok", "fine"], "", [(0, 1, 0, 0, 0, 0, 0, 0, 0)]),
    ]
    from tests.decks.anki_builders import CLOZE

    path = build_apkg(
        tmp_path / "b.apkg", "anki2", models=[BASIC, CLOZE], notes=notes, decks={1: "Default"}
    )
    parsed = parse_apkg(path, "b.apkg")
    assert [c.key for c in parsed.decks[0].cards] == ["g3::0"]
    assert [
        (p.source, "missing" in p.message or "empty cloze" in p.message) for p in parsed.problems
    ] == [("b.apkg: note 1", True), ("b.apkg: note 2", True)]


def test_wal_mode_collection_is_readable(tmp_path: Path) -> None:
    data = build_collection(tmp_path / "wal.db", modern=False, wal=True)
    assert data[18:20] == b"\x02\x02"
    path = zip_members(tmp_path / "wal.apkg", {"collection.anki21": data})
    assert len(parse_apkg(path, "wal.apkg").decks) == 2


def test_genanki_round_trip(tmp_path: Path) -> None:
    deck = parse_toml(
        '[deck]\nname = "Round::Trip"\ndescription = "d"\n'
        '[[cards]]\nid = "r"\ntype = "reverse"\nfront = "cat & <dog>"\nback = "two\\nlines"\n'
        'tags = ["a", "b::c"]\n'
        '[[cards]]\nid = "z"\ntype = "cloze"\ntext = "{{c1::a}} and {{c2::b::hint}}"\n'
        'extra = "more"\n'
        '[[cards]]\nid = "t"\ntype = "type"\nfront = "q"\nback = "Answer"\n',
        "rt.toml",
    ).decks[0]
    path = tmp_path / "out.apkg"
    write_apkg(deck, path)
    write_apkg(deck, tmp_path / "again.apkg")
    (back,) = parse_apkg(path, "out.apkg").decks
    assert (back.name, back.description) == ("Round::Trip", "d")
    assert [(c.key, c.kind, c.front, c.back, c.tags, c.ordinal) for c in back.cards] == [
        ("r::0", "basic", "cat & <dog>", "two\nlines", ("a", "b::c"), 0),
        # the pair is one "Basic (and reversed card)" note again, guid r
        ("r::1", "basic", "two\nlines", "cat & <dog>", ("a", "b::c"), 0),
        ("z::0", "cloze", "{{c1::a}} and {{c2::b::hint}}", "more", (), 1),
        ("z::1", "cloze", "{{c1::a}} and {{c2::b::hint}}", "more", (), 2),
        ("t::0", "type", "q", "Answer", (), 0),
    ]
    assert [c.key for c in parse_file(path).decks[0].cards] == [c.key for c in back.cards]
    # Stable ids: a second export describes the same note types and deck.
    a = parse_apkg(tmp_path / "again.apkg", "out.apkg").decks[0]
    assert [c.key for c in a.cards] == [c.key for c in back.cards]


# --- hostile and damaged packages ----------------------------------------------------------


def _valid_db(tmp_path: Path) -> bytes:
    return build_collection(tmp_path / "v.db", modern=False)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p, db: p.write_bytes(b"just text, not a zip"), "not a valid zip"),
        (lambda p, db: p.write_bytes(b""), "not a valid zip"),
        (
            lambda p, db: zip_members(p, {"media": b"{}", "collection.txt": db}),
            "contains no Anki collection",
        ),
        (
            lambda p, db: zip_members(p, {"collection.anki2": b"SQLite? no"}),
            "not an SQLite database",
        ),
        (lambda p, db: zip_members(p, {"collection.anki2": SQLITE_JUNK}), "is damaged"),
        (lambda p, db: zip_members(p, {"collection.anki21b": b"not zstd"}), "not valid zstd"),
        (
            lambda p, db: zip_members(
                p, {"collection.anki21b": zstandard.ZstdCompressor().compress(b"plain text")}
            ),
            "not an SQLite database",
        ),
    ],
)
def test_unreadable_packages_are_one_line_deck_errors(tmp_path: Path, make, message: str) -> None:
    path = tmp_path / "bad.apkg"
    make(path, _valid_db(tmp_path))
    with pytest.raises(DeckError) as caught:
        parse_apkg(path, "bad.apkg")
    assert message in str(caught.value)
    assert str(caught.value).startswith("bad.apkg: ")
    assert "\n" not in str(caught.value)


def test_truncated_zip(tmp_path: Path) -> None:
    whole = build_apkg(tmp_path / "whole.apkg", "anki21").read_bytes()
    for cut in (len(whole) // 2, len(whole) - 10, 30):
        path = tmp_path / "cut.apkg"
        path.write_bytes(whole[:cut])
        with pytest.raises(DeckError):
            parse_apkg(path, "cut.apkg")


def test_corrupted_member_fails_its_crc(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "crc.apkg"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("collection.anki2", _valid_db(tmp_path))
    raw = bytearray(path.read_bytes())
    raw[200] ^= 0xFF  # inside the stored member's data
    path.write_bytes(bytes(raw))
    with pytest.raises(DeckError, match="damaged"):
        parse_apkg(path, "crc.apkg")


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("CREATE TABLE foo (x)", "table 'col' is missing"),
        (
            "CREATE TABLE col (crt, models, decks); CREATE TABLE notes (id, guid, mid, tags);"
            "CREATE TABLE cards (id)",
            "table 'notes' lacks column 'flds'",
        ),
        (
            "CREATE TABLE col (crt, models, decks); INSERT INTO col VALUES (0, 'nope', '{}');"
            "CREATE TABLE notes (id, guid, mid, tags, flds); CREATE TABLE cards (id, nid, did, ord,"
            " type, due, ivl, factor, lapses, odue, odid)",
            "col.models is not a JSON object",
        ),
    ],
)
def test_unexpected_schema(tmp_path: Path, sql: str, message: str) -> None:
    db = tmp_path / "odd.db"
    with sqlite3.connect(db) as conn:
        conn.executescript(sql)
    conn.close()
    path = zip_members(tmp_path / "odd.apkg", {"collection.anki2": db.read_bytes()})
    with pytest.raises(DeckError, match="not a collection flashcards can read") as caught:
        parse_apkg(path, "odd.apkg")
    assert message in str(caught.value)


def test_member_names_are_never_used_as_paths(tmp_path: Path, monkeypatch) -> None:
    """A `../evil` member is ignored, and the only file written lives in a removed temp dir."""
    work, scratch = tmp_path / "work" / "inner", tmp_path / "scratch"
    work.mkdir(parents=True)
    scratch.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    path = zip_members(
        tmp_path / "evil.apkg",
        {
            "../evil": b"owned",
            "/tmp/evil-abs": b"owned",
            "collection.anki2": _valid_db(tmp_path),
            "../collection.anki2": b"not this one",
        },
    )
    assert len(parse_apkg(path, "evil.apkg").decks) == 2
    assert [p.name for p in tmp_path.rglob("*evil*")] == ["evil.apkg"]
    assert not Path("/tmp/evil-abs").exists()
    assert list(scratch.iterdir()) == []  # the temporary copy is gone


def test_oversized_member_is_refused(tmp_path: Path, monkeypatch) -> None:
    path = build_apkg(tmp_path / "big.apkg", "anki21")
    monkeypatch.setattr(apkg, "MAX_MEMBER_BYTES", 1000)
    with pytest.raises(DeckError, match="larger than the 1,000-byte limit"):
        parse_apkg(path, "big.apkg")


def test_zstd_bomb_is_refused_while_decompressing(tmp_path: Path, monkeypatch) -> None:
    bomb = zstd_stream(b"\x00" * 200_000)
    assert len(bomb) < 1000
    path = zip_members(tmp_path / "bomb.apkg", {"collection.anki21b": bomb})
    monkeypatch.setattr(apkg, "MAX_MEMBER_BYTES", 10_000)
    with pytest.raises(DeckError, match="decompressed.*larger than"):
        parse_apkg(path, "bomb.apkg")


def test_total_uncompressed_size_is_capped(tmp_path: Path, monkeypatch) -> None:
    path = zip_members(
        tmp_path / "many.apkg", {"collection.anki2": _valid_db(tmp_path), "0": b"\x00" * 50_000}
    )
    monkeypatch.setattr(apkg, "MAX_TOTAL_BYTES", 40_000)
    with pytest.raises(DeckError, match="unpacks to more than 40,000 bytes"):
        parse_apkg(path, "many.apkg")


def test_limits_are_documented_constants() -> None:
    assert apkg.MAX_MEMBER_BYTES == 512 * 1024**2
    assert apkg.MAX_TOTAL_BYTES == 2 * 1024**3
