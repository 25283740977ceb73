"""A whole Anki schedule comes through: every card state, due days counted from the collection's
own creation day and cut-off, so a package made in one time zone is right in any other.

Packages are built by hand here (`anki_builders`), so this runs everywhere; the same checks on
packages the official Anki library made are in `test_anki_official.py`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flashcards.clock import FixedClock
from flashcards.decks.apkg import parse_apkg
from flashcards.decks.spec import ImportedScheduling
from flashcards.services.collection import Collection
from flashcards.services.importer import import_paths
from flashcards.storage import Card, Deck
from tests.decks.anki_builders import (
    BASIC,
    CLOZE,
    REVERSED,
    Model,
    Note,
    build_apkg,
)

# Made in UTC+10 (Sydney, no DST in this test): the collection's day starts at 04:00 there,
# which is 18:00 UTC the day before. Read as a UTC (or US) date it was a day early.
CREATED = dt.date(2024, 1, 1)
CRT = int(dt.datetime(2024, 1, 1, 4, 0, tzinfo=dt.timezone(dt.timedelta(hours=10))).timestamp())
TODAY = dt.date(2024, 2, 1)  # the import's study day
NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3
HEADER_CLOZE = Model(
    1010,
    "Cloze with header",
    ["Header", "Text", "Extra"],
    [("{{Header}}<br>{{cloze:Text}}", "{{cloze:Text}}<br>{{Extra}}")],
    cloze=True,
)
# (ord, did, odid, type, due, odue, ivl, factor, lapses, queue)
NOTES = [
    Note(1, "new", BASIC.id, ["new q", "a"], "", [(0, 1, 0, NEW, 1, 0, 0, 0, 0, 0)]),
    Note(2, "review", BASIC.id, ["review q", "a"], "", [(0, 1, 0, REVIEW, 40, 0, 12, 2300, 1, 2)]),
    Note(
        3,
        "learning",
        BASIC.id,
        ["learning q", "a"],
        "",
        [(0, 1, 0, LEARNING, 1706745600, 0, 0, 2500, 0, 1)],
    ),
    Note(
        4,
        "relearning",
        BASIC.id,
        ["relearning q", "a"],
        "",
        [(0, 1, 0, RELEARNING, 1706745600, 0, 25, 2100, 4, 1)],
    ),
    Note(
        5,
        "suspended",
        BASIC.id,
        ["suspended q", "a"],
        "",
        [(0, 1, 0, REVIEW, 50, 0, 30, 2500, 0, -1)],
    ),
    Note(
        6,
        "buried",
        REVERSED.id,
        ["buried q", "a"],
        "",
        [(0, 1, 0, REVIEW, 31, 0, 6, 2500, 0, -2), (1, 1, 0, NEW, 2, 0, 0, 0, 0, -3)],
    ),
    Note(
        7,
        "nested",
        CLOZE.id,
        ["{{c1::Canberra was {{c2::founded}} in 1913}}", "AU"],
        "",
        [(0, 1, 0, NEW, 3, 0, 0, 0, 0), (1, 1, 0, NEW, 3, 0, 0, 0, 0)],
    ),
    Note(
        8,
        "header",
        HEADER_CLOZE.id,
        ["Africa", "{{c1::Nairobi}} is in Kenya", "East"],
        "",
        [(0, 1, 0, NEW, 4, 0, 0, 0, 0)],
    ),
    Note(
        9,
        "sound",
        BASIC.id,
        ["[sound:hello.mp3]", "a greeting"],
        "",
        [(0, 1, 0, NEW, 5, 0, 0, 0, 0)],
    ),
]
MODELS = [BASIC, REVERSED, CLOZE, HEADER_CLOZE]
NESTED = "{{c1::Canberra was {{c2::founded}} in 1913}}"


def _days(n: int) -> dt.date:
    return CREATED + dt.timedelta(days=n)


EXPECTED = [  # (key, kind, front, back, ordinal, scheduling), by hand from NOTES
    ("new::0", "basic", "new q", "a", 0, None),
    ("review::0", "basic", "review q", "a", 0, ImportedScheduling(2, 12, 230, _days(40), 1)),
    ("learning::0", "basic", "learning q", "a", 0, ImportedScheduling(0, 0, 250, TODAY, 0)),
    ("relearning::0", "basic", "relearning q", "a", 0, ImportedScheduling(0, 25, 210, TODAY, 4)),
    (
        "suspended::0",
        "basic",
        "suspended q",
        "a",
        0,
        ImportedScheduling(2, 30, 250, _days(50), 0, suspended=True),
    ),
    (
        "buried::0",
        "basic",
        "buried q",
        "a",
        0,
        ImportedScheduling(2, 6, 250, _days(31), 0, buried_until=TODAY + dt.timedelta(days=1)),
    ),
    (
        "buried::1",
        "basic",
        "a",
        "buried q",
        0,
        ImportedScheduling(0, 0, 250, None, 0, buried_until=TODAY + dt.timedelta(days=1)),
    ),
    ("nested::0", "cloze", NESTED, "AU", 1, None),
    ("nested::1", "cloze", NESTED, "AU", 2, None),
    ("header::0", "cloze", "{{c1::Nairobi}} is in Kenya", "Africa\nEast", 1, None),
    ("sound::0", "basic", "[sound: hello.mp3]", "a greeting", 0, None),
]


def _package(tmp_path: Path, kind: str, conf: dict[str, object]) -> Path:
    return build_apkg(
        tmp_path / f"{kind}.apkg",
        kind,
        models=MODELS,
        notes=NOTES,
        decks={1: "Default"},
        crt=CRT,
        conf=conf,
    )


_PARSE = """
import datetime, json, sys
from flashcards.decks.apkg import parse_apkg
parsed = parse_apkg(sys.argv[1], "p.apkg", today=datetime.date(2024, 2, 1))
print(json.dumps([[c.key, str(c.scheduling.due) if c.scheduling else None]
                  for d in parsed.decks for c in d.cards]))
"""


@pytest.mark.parametrize(
    ("kind", "conf"),
    [
        ("anki21b", {"creationOffset": -600}),  # current Anki says where it was made
        ("anki21", {"creationOffset": -600, "rollover": 4}),
        ("anki2", {}),  # an old collection does not: crt alone (04:00 there) must do
    ],
)
def test_every_card_state_comes_through(tmp_path: Path, kind: str, conf: dict) -> None:
    parsed = parse_apkg(_package(tmp_path, kind, conf), "p.apkg", today=TODAY)
    assert parsed.problems == ()
    got = [
        (c.key, c.kind, c.front, c.back, c.ordinal, c.scheduling)
        for d in parsed.decks
        for c in d.cards
    ]
    assert got == EXPECTED


@pytest.mark.parametrize("zone", ["UTC", "America/Los_Angeles", "Pacific/Kiritimati"])
def test_due_days_are_the_same_in_any_time_zone(tmp_path: Path, zone: str) -> None:
    """The import runs with TZ set: the dates do not move (they were a day early in the US)."""
    path = _package(tmp_path, "anki21", {"creationOffset": -600})
    run = subprocess.run(
        [sys.executable, "-c", _PARSE, str(path)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TZ": zone},
        timeout=60,
    )
    dues = dict(json.loads(run.stdout))
    assert dues["review::0"] == "2024-02-10"  # CREATED + 40 days
    assert dues["suspended::0"] == "2024-02-20"
    assert dues["learning::0"] == "2024-02-01"


def test_rollover_moves_an_old_collections_creation_day(tmp_path: Path) -> None:
    # Made in UTC-5 with the day starting at 02:00: crt is 07:00 UTC on its creation day.
    crt = int(dt.datetime(2024, 1, 1, 7, 0, tzinfo=dt.UTC).timestamp())
    note = Note(1, "r", BASIC.id, ["q", "a"], "", [(0, 1, 0, REVIEW, 10, 0, 10, 2500, 0)])
    path = build_apkg(
        tmp_path / "r.apkg",
        "anki2",
        models=[BASIC],
        notes=[note],
        decks={1: "Default"},
        crt=crt,
        conf={"rollover": 2},
    )
    (deck,) = parse_apkg(path, "r.apkg", today=TODAY).decks
    assert deck.cards[0].scheduling.due == dt.date(2024, 1, 11)


def test_deck_descriptions_of_both_schemas(tmp_path: Path) -> None:
    for kind, expected in (("anki21b", "about Lang::French"), ("anki21", "about Lang::French")):
        decks = parse_apkg(build_apkg(tmp_path / f"{kind}.apkg", kind), "d.apkg").decks
        assert {d.name: d.description for d in decks}["Lang::French"] == expected


def test_an_import_keeps_the_whole_schedule(
    col: Collection, clock: FixedClock, tmp_path: Path
) -> None:
    clock.set(dt.datetime(2024, 2, 1, 12, 0))
    report = import_paths(col, [_package(tmp_path, "anki21b", {"creationOffset": -600})])
    assert report.added == len(EXPECTED)
    rows = {c.key: c for c in Card.select().join(Deck).where(Deck.name == "Default")}
    stored = {
        key: (c.repetitions, c.interval, c.easiness, c.due, c.lapses, c.suspended, c.buried_until)
        for key, c in rows.items()
    }
    tomorrow = dt.date(2024, 2, 2)
    assert stored["review::0"] == (2, 12, 230, dt.date(2024, 2, 10), 1, False, None)
    assert stored["learning::0"] == (0, 0, 250, dt.date(2024, 2, 1), 0, False, None)
    assert stored["relearning::0"] == (0, 25, 210, dt.date(2024, 2, 1), 4, False, None)
    assert stored["suspended::0"] == (2, 30, 250, dt.date(2024, 2, 20), 0, True, None)
    assert stored["buried::0"] == (2, 6, 250, dt.date(2024, 2, 1), 0, False, tomorrow)
    assert stored["buried::1"] == (0, 0, 250, None, 0, False, tomorrow)
    assert stored["new::0"] == (0, 0, 250, None, 0, False, None)


def test_an_import_stores_deck_descriptions(col: Collection, tmp_path: Path) -> None:
    import_paths(col, [build_apkg(tmp_path / "d.apkg", "anki21b")])
    assert Deck.get(Deck.name == "Lang::French").description == "about Lang::French"


@pytest.mark.parametrize(
    "conf",
    [{"creationOffset": "west"}, {"creationOffset": 10**9, "rollover": -5}, {"rollover": True}],
)
def test_unusable_day_settings_fall_back_to_the_defaults(tmp_path: Path, conf: dict) -> None:
    parsed = parse_apkg(_package(tmp_path, "anki21", conf), "p.apkg", today=TODAY)
    due = {c.key: c.scheduling for d in parsed.decks for c in d.cards}["review::0"].due
    assert due == _days(40)  # the crt-only rule: 04:00 in UTC+10 is still 2024-01-01


def test_a_current_collection_without_settings_or_rows(tmp_path: Path) -> None:
    import sqlite3

    from tests.decks.anki_builders import build_collection, zip_members, zstd_stream

    db = tmp_path / "c.db"
    build_collection(db, True, models=MODELS, notes=NOTES, decks={1: "Default"}, crt=CRT)
    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE config")
    conn.execute("DELETE FROM col")
    conn.commit()
    conn.close()
    path = zip_members(tmp_path / "c.apkg", {"collection.anki21b": zstd_stream(db.read_bytes())})
    cards = {c.key: c for d in parse_apkg(path, "c.apkg", today=TODAY).decks for c in d.cards}
    assert cards["review::0"].scheduling.due == TODAY  # no creation day: due today


@pytest.mark.parametrize("crt", [2**39, 253402300799 - 60])  # past 9999, and its last minute
def test_a_creation_time_past_the_calendar_means_due_today(tmp_path: Path, crt: int) -> None:
    note = Note(1, "r", BASIC.id, ["q", "a"], "", [(0, 1, 0, REVIEW, 10, 0, 10, 2500, 0)])
    path = build_apkg(
        tmp_path / "r.apkg",
        "anki21b",
        models=[BASIC],
        notes=[note],
        decks={1: "Default"},
        crt=crt,
        conf={"creationOffset": -840},
    )
    (deck,) = parse_apkg(path, "r.apkg", today=TODAY).decks
    assert deck.cards[0].scheduling.due == TODAY
