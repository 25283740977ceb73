"""Round trips, card by card: TOML → flashcards → TOML, flashcards → .apkg → flashcards, and
(with the official Anki library, the optional `anki-tests` extra) Anki → flashcards → Anki and
flashcards → Anki → flashcards."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from flashcards.clock import FixedClock
from flashcards.decks.apkg import parse_apkg
from flashcards.decks.toml_format import parse_toml, write_toml
from flashcards.services.collection import Collection, open_collection
from flashcards.services.exporter import export_deck
from flashcards.services.importer import import_paths
from flashcards.settings import Settings
from flashcards.storage import Card, Deck
from flashcards.storage.binding import bound, runs_on_collection

TOML = """[deck]
name = "Trip"
description = "there and back"

[[cards]]
id = "plain"
front = "Capital of Italy?"
back = "Rome"
tags = ["geo"]

[[cards]]
id = "empty"
front = "A card whose answer is empty"
back = ""

[[cards]]
id = "pair"
type = "reverse"
front = "chat"
back = "cat"

[[cards]]
id = "nested"
type = "cloze"
text = "{{c1::Canberra was {{c2::founded}} in 1913}}"
back = "Australia"

[[cards]]
id = "typed"
type = "type"
front = "Capital of Spain?"
back = "Madrid"
"""
TODAY = dt.date(2026, 3, 10)


def _clock() -> FixedClock:
    return FixedClock(dt.datetime(TODAY.year, TODAY.month, TODAY.day, 12, 0))


@runs_on_collection
def _state(col: Collection, deck: str = "Trip") -> dict[str, tuple]:
    """Every card's text and schedule, by key."""
    query = Card.select().join(Deck).where(Deck.name == deck)
    return {
        c.key: (
            c.kind,
            c.front,
            c.back,
            c.tags,
            c.ordinal,
            c.repetitions,
            c.interval,
            c.easiness,
            c.due,
            c.lapses,
            c.suspended,
            c.buried_until,
        )
        for c in query
    }


def _import_trip(col: Collection, tmp_path: Path) -> None:
    """Import the TOML deck above into `col`."""
    source = tmp_path / "trip.toml"
    source.write_text(TOML, encoding="utf-8")
    import_paths(col, [source])


def _studied(tmp_path: Path) -> tuple[Collection, dict[str, tuple]]:
    """A collection on TODAY holding the TOML deck, studied; and its cards' state."""
    col = open_collection(tmp_path / "a.db", clock=_clock(), settings=Settings())
    _import_trip(col, tmp_path)
    _study(col)
    return col, _state(col)


def _fresh_state(tmp_path: Path, package: Path) -> dict[str, tuple]:
    """The state of the cards `package` gives a fresh collection on TODAY."""
    fresh = open_collection(tmp_path / "fresh.db", clock=_clock(), settings=Settings())
    try:
        import_paths(fresh, [package])
        return _state(fresh)
    finally:
        fresh.close()


@runs_on_collection
def _study(col: Collection) -> None:
    """Give the cards every kind of state: review, suspended, buried, lapsed."""
    Card.update(
        repetitions=3, interval=15, easiness=240, due=TODAY + dt.timedelta(days=4), lapses=1
    ).where(Card.key == "plain").execute()
    Card.update(repetitions=1, interval=1, easiness=250, due=TODAY, suspended=True).where(
        Card.key == "pair"
    ).execute()
    Card.update(buried_until=TODAY + dt.timedelta(days=1)).where(Card.key == "nested::c2").execute()


def test_toml_flashcards_toml_keeps_every_card(col: Collection, tmp_path: Path) -> None:
    _import_trip(col, tmp_path)
    out = tmp_path / "out.toml"
    assert export_deck(col, "Trip", out, None) == 7
    original, again = parse_toml(TOML, "a.toml"), parse_toml(out.read_text(), "b.toml")
    assert again.problems == ()
    (first,), (second,) = original.decks, again.decks
    assert (second.name, second.description) == (first.name, first.description)
    assert [(c.key, c.kind, c.front, c.back, c.tags, c.ordinal) for c in second.cards] == [
        (c.key, c.kind, c.front, c.back, c.tags, c.ordinal) for c in first.cards
    ]
    assert ("empty", "basic", "A card whose answer is empty", "") in [
        (c.key, c.kind, c.front, c.back) for c in second.cards
    ]
    assert write_toml(again.decks[0]) == out.read_text()


def test_flashcards_apkg_flashcards_keeps_notes_and_schedule(tmp_path: Path) -> None:
    col, before = _studied(tmp_path)
    out = tmp_path / "trip.apkg"
    export_deck(col, "Trip", out, None)
    # the package: one note per note, each card's schedule as stored
    parsed = parse_apkg(out, "trip.apkg", today=TODAY)
    (deck,) = parsed.decks
    assert deck.description == "there and back"
    by_key = {c.key: c for c in deck.cards}
    assert sorted(by_key) == sorted(
        ["plain::0", "empty::0", "pair::0", "pair::1", "nested::0", "nested::1", "typed::0"]
    )
    plain = by_key["plain::0"].scheduling
    assert (plain.interval, plain.easiness, plain.due, plain.lapses) == (
        15,
        240,
        TODAY + dt.timedelta(days=4),
        1,
    )
    assert by_key["pair::0"].scheduling.suspended
    assert by_key["nested::1"].scheduling.buried_until == TODAY + dt.timedelta(days=1)
    assert by_key["empty::0"].back == ""
    # back into the collection it came from: every card matched, nothing added or changed
    report = import_paths(col, [out])
    assert (report.added, report.updated, report.unchanged) == (0, 0, 7)
    assert _state(col) == before
    col.close()
    # into a fresh one: the same text and schedule under Anki's keys
    after = _fresh_state(tmp_path, out)
    keys = {
        "plain::0": "plain",
        "empty::0": "empty",
        "pair::0": "pair",
        "pair::1": "pair::reverse",
        "nested::0": "nested::c1",
        "nested::1": "nested::c2",
        "typed::0": "typed",
    }
    for new_key, old_key in keys.items():
        kind, front, back, tags, ordinal, _, ivl, ease, due, lapses, susp, buried = before[old_key]
        got = after[new_key]
        assert got[:5] == (kind, front, back, tags, ordinal), new_key
        assert got[6:] == (ivl, ease, due, lapses, susp, buried), new_key


def test_no_scheduling_exports_every_card_new(col: Collection, tmp_path: Path) -> None:
    _import_trip(col, tmp_path)
    _study(col)
    out = tmp_path / "new.apkg"
    export_deck(col, "Trip", out, None, with_scheduling=False)
    cards = parse_apkg(out, "new.apkg", today=TODAY).decks[0].cards
    assert all(c.scheduling is None for c in cards)


# -- with the official Anki library ------------------------------------------------------------


@pytest.fixture(scope="module")
def anki_official():
    pytest.importorskip("anki", reason="the official Anki library (extra 'anki-tests') is missing")
    from tests.decks import anki_official

    return anki_official


def _anki_date(export: dict, card: dict) -> dt.date:
    return dt.date.fromisoformat(export["anki_day"]) + dt.timedelta(
        days=card["due"] - export["today"]
    )


def test_anki_flashcards_anki(anki_official, tmp_path: Path) -> None:
    """Made in Sydney, imported here (another zone), exported, imported into a fresh Anki and
    into the collection it came from: the same notes (guids), the same schedule."""
    made = anki_official.make_anki_package(tmp_path / "anki")
    anki_day = dt.date.fromisoformat(made["anki_day"])
    clock = FixedClock(dt.datetime(anki_day.year, anki_day.month, anki_day.day, 12, 0))
    col = open_collection(tmp_path / "fc.db", clock=clock, settings=Settings())
    import_paths(col, [tmp_path / "anki" / "anki.apkg"])
    for deck in ("Geo", "Geo::Cities"):
        export_deck(col, deck, tmp_path / f"{deck.replace('::', '-')}.apkg", None)
    col.close()
    fresh_col = tmp_path / "fresh.anki2"
    anki_official.import_into_anki(fresh_col, tmp_path / "Geo.apkg")
    fresh = anki_official.import_into_anki(fresh_col, tmp_path / "Geo-Cities.apkg")
    got = {(c["guid"], c["ord"]): c for c in fresh["cards"]}
    assert len(got) == len(made["cards"]) == 13
    for card in made["cards"]:
        back = got[(card["guid"], card["ord"])]
        where = (card["note"], card["ord"])
        assert back["deck"] == card["deck"], where
        assert (back["lapses"], back["queue"] == -1) == (card["lapses"], card["queue"] == -1)
        if card["type"] == 0:
            assert back["type"] == 0, where
            assert (back["queue"] == -2) == (card["queue"] in (-2, -3)), where
            continue
        assert back["type"] == 2 and back["factor"] == card["factor"], where
        if card["type"] == 2:  # review: the same day, interval and ease
            assert _anki_date(fresh, back) == _anki_date(made, card), where
            assert back["ivl"] == card["ivl"], where
        else:  # learning and relearning: due the day of the import, the interval kept
            assert _anki_date(fresh, back) == anki_day, where
            assert back["ivl"] == max(card["ivl"], 1), where
    # note types as Anki's stock ones: a reversed pair and a nested cloze are one note each
    kinds = {c["guid"]: c["notetype"] for c in fresh["cards"]}
    nested = next(c["guid"] for c in made["cards"] if c["note"] == "nested")
    tokyo = next(c["guid"] for c in made["cards"] if c["note"] == "overdue")
    assert kinds[nested] == "flashcards Cloze"
    assert kinds[tokyo] == "flashcards Basic (and reversed card)"
    assert fresh["notes"] == 10
    # back into the collection it came from: no duplicates
    original = anki_official.import_into_anki(
        tmp_path / "anki" / "collection.anki2", tmp_path / "Geo.apkg"
    )
    assert (original["notes"], len(original["cards"])) == (10, 13)


def test_flashcards_anki_flashcards(anki_official, tmp_path: Path) -> None:
    col, before = _studied(tmp_path)
    out = tmp_path / "trip.apkg"
    export_deck(col, "Trip", out, None)
    from_anki = tmp_path / "from-anki.apkg"
    anki_official.import_into_anki(tmp_path / "anki.anki2", out, export=from_anki)
    report = import_paths(col, [from_anki])
    assert (report.added, report.missing) == (0, 0)  # every card matched again
    assert _state(col) == before
    col.close()
    after = _fresh_state(tmp_path, from_anki)
    assert sorted((v[1], v[2], v[6], v[7], v[8], v[10]) for v in after.values()) == sorted(
        (v[1], v[2], v[6], v[7], v[8], v[10]) for v in before.values()
    )


def test_a_deck_with_only_subdecks_exports_them_or_says_why_not(
    col: Collection, tmp_path: Path
) -> None:
    from flashcards.errors import UserError
    from tests.conftest import add_cards

    add_cards(col, "Lang::French", 2, prefix="fr")
    add_cards(col, "Lang::German", 1, prefix="de")
    assert export_deck(col, "Lang", tmp_path / "lang.apkg", None) == 3
    decks = parse_apkg(tmp_path / "lang.apkg", "lang.apkg").decks
    assert {d.name: len(d.cards) for d in decks} == {"Lang::French": 2, "Lang::German": 1}
    assert export_deck(col, "Lang", tmp_path / "lang.csv", None) == 3
    with pytest.raises(UserError, match=r"no cards of its own.*Lang::French, Lang::German"):
        export_deck(col, "Lang", tmp_path / "lang.toml", None)
    Deck.create(name="Empty", created_at=dt.datetime(2026, 1, 1))
    with pytest.raises(UserError, match="has no cards.*nothing written"):
        export_deck(col, "Empty", tmp_path / "empty.apkg", None)
    assert not (tmp_path / "lang.toml").exists() and not (tmp_path / "empty.apkg").exists()


def test_anki_reads_the_csv_export_as_notes(anki_official, col: Collection, tmp_path: Path) -> None:
    """Anki's own importer takes the separator, HTML, note types, decks, tags and guids from
    the header lines: one note per note, the cloze with both deletions."""
    _import_trip(col, tmp_path)
    export_deck(col, "Trip", tmp_path / "trip.csv", None)
    notes = anki_official.csv_into_anki(tmp_path / "csv.anki2", tmp_path / "trip.csv")
    assert sorted(notes) == sorted(
        [
            ["plain", "Basic", ["Capital of Italy?", "Rome"], ["geo"], 1, "Trip"],
            ["empty", "Basic", ["A card whose answer is empty", ""], [], 1, "Trip"],
            ["pair", "Basic (and reversed card)", ["chat", "cat"], [], 2, "Trip"],
            [
                "nested",
                "Cloze",
                ["{{c1::Canberra was {{c2::founded}} in 1913}}", "Australia"],
                [],
                2,
                "Trip",
            ],
            ["typed", "Basic (type in the answer)", ["Capital of Spain?", "Madrid"], [], 1, "Trip"],
        ]
    )


def test_export_command_options_and_messages(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from flashcards.cli import main

    db = str(tmp_path / "c.db")
    source = tmp_path / "lang.csv"
    source.write_text("front,back\nchat,cat\n", encoding="utf-8")
    assert main(["--db", db, "import", str(source), "--deck", "Lang::French"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "export", "Lang", str(tmp_path / "l.apkg"), "--no-scheduling"]) == 0
    out, _ = capsys.readouterr()
    assert out == f"Exported 1 card of the subdecks of Lang (Lang::French) to {tmp_path}/l.apkg\n"
    assert main(["--db", db, "export", "Lang", str(tmp_path / "l.toml")]) == 1
    _, err = capsys.readouterr()
    assert (
        err.startswith("flashcards: deck 'Lang' has no cards of its own") and err.count("\n") == 1
    )
    assert not (tmp_path / "l.toml").exists()


def test_the_review_log_goes_into_the_package(tmp_path: Path) -> None:
    import sqlite3
    import zipfile

    from flashcards.storage import Review

    col, _ = _studied(tmp_path)
    with bound(col.db):  # the test writes its log rows directly
        plain = Card.get(Card.key == "plain")
        # (day of March, q, button, drill, interval before, due before, repetitions after)
        answers = [
            (1, 4, "good", False, 0, None, 1),
            (2, 2, None, False, 1, 2, 0),
            (3, 5, None, True, 1, 3, 0),
        ]  # the drill is not in Anki's log
        for day, quality, button, drill, before, due, reps in answers:
            Review.create(
                card=plain,
                reviewed_at=dt.datetime(2026, 3, day, 9, 0),
                review_day=dt.date(2026, 3, day),
                quality=quality,
                button=button,
                drill=drill,
                duration_ms=4200,
                before_repetitions=1 - reps,
                before_interval=before,
                before_easiness=250,
                before_due=due and dt.date(2026, 3, due),
                after_repetitions=reps,
                after_interval=1,
                after_easiness=240,
                after_due=dt.date(2026, 3, day + 1),
            )
        out = tmp_path / "log.apkg"
        export_deck(col, "Trip", out, None)
    col.close()
    with zipfile.ZipFile(out) as archive:
        (tmp_path / "c.anki2").write_bytes(archive.read("collection.anki2"))
    conn = sqlite3.connect(tmp_path / "c.anki2")
    rows = conn.execute(
        "SELECT r.id, r.ease, r.ivl, r.lastIvl, r.factor, r.time, r.type, n.guid, c.reps "
        "FROM revlog r JOIN cards c ON c.id = r.cid JOIN notes n ON n.id = c.nid ORDER BY r.id"
    ).fetchall()
    conn.close()
    stamp = int(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC).timestamp() * 1000)
    assert rows == [
        (stamp, 3, 1, 0, 2400, 4200, 0, "plain", 2),  # good, a new card's first answer
        (stamp + 86_400_000, 1, 1, 1, 2400, 4200, 1, "plain", 2),  # q 2: "again"
    ]
