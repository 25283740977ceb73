"""Packages made by the official Anki library, read back card by card.

Needs the optional `anki-tests` extra (`pip install -e '.[test,anki-tests]'`); skipped without
it. The package is made in Sydney time while the test runs in its own zone; every due date is
compared with what Anki itself reported (its card's `due` counted from Anki's own "today").
"""

from __future__ import annotations

import datetime as dt

import pytest

from flashcards.decks.apkg import parse_apkg
from tests.decks.anki_official import make_anki_package

pytest.importorskip("anki", reason="the official Anki library (extra 'anki-tests') is missing")

TODAY = dt.date(2030, 6, 1)  # the import's study day: learning cards are due then
NESTED = "{{c1::Canberra was {{c2::founded}} in 1913}}"
CONTENT = {  # (note, ord): (kind, front, back, ordinal), by hand from the script's notes
    ("new", 0): ("basic", "Capital of France?", "Paris", 0),
    ("review", 0): ("basic", "Capital of Italy?", "Rome", 0),
    ("overdue", 0): ("basic", "Tokyo", "Japan", 0),
    ("overdue", 1): ("basic", "Japan", "Tokyo", 0),
    ("learning", 0): ("type", "Capital of Spain?", "Madrid", 0),
    ("relearning", 0): ("basic", "Capital of Peru?", "Lima", 0),
    ("suspended", 0): ("basic", "Capital of Chile?", "Santiago", 0),
    ("buried", 0): ("basic", "Capital of Cuba?", "Havana", 0),
    ("nested", 0): ("cloze", NESTED, "Australia", 1),
    ("nested", 1): ("cloze", NESTED, "Australia", 2),
    ("custom", 0): ("cloze", "{{c1::Nairobi}} is in {{c2::Kenya}}", "Africa\nEast", 1),
    ("custom", 1): ("cloze", "{{c1::Nairobi}} is in {{c2::Kenya}}", "Africa\nEast", 2),
    ("image", 0): ("basic", "[image: map.png]", "a map", 0),
}


@pytest.fixture(scope="module", params=["current", "legacy"])
def made(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp(f"anki-{request.param}")
    manifest = make_anki_package(out, legacy=request.param == "legacy")
    return out / "anki.apkg", manifest


def test_every_card_as_anki_reports_it(made) -> None:
    path, manifest = made
    parsed = parse_apkg(path, "anki.apkg", today=TODAY)
    assert parsed.problems == ()
    cards = {c.key: (d.name, c) for d in parsed.decks for c in d.cards}
    assert len(cards) == len(manifest["cards"]) == len(CONTENT)
    anki_day = dt.date.fromisoformat(manifest["anki_day"])
    tomorrow = TODAY + dt.timedelta(days=1)
    for card in manifest["cards"]:
        deck, spec = cards[f"{card['guid']}::{card['ord']}"]
        assert deck == card["deck"]
        assert (spec.kind, spec.front, spec.back, spec.ordinal) == CONTENT[
            (card["note"], card["ord"])
        ]
        sched = spec.scheduling
        buried = card["queue"] in (-2, -3)
        if card["type"] == 0 and card["queue"] == 0:
            assert sched is None
            continue
        assert sched is not None
        assert sched.suspended == (card["queue"] == -1)
        assert sched.buried_until == (tomorrow if buried else None)
        if card["type"] == 0:
            assert sched.due is None
            continue
        assert sched.easiness == card["factor"] // 10
        assert sched.lapses == card["lapses"]
        if card["type"] == 2:  # Anki's due day, counted from Anki's own today
            assert sched.due == anki_day + dt.timedelta(days=card["due"] - manifest["today"])
            assert sched.interval == card["ivl"]
        else:  # learning and relearning: due today, the previous interval kept
            assert sched.due == TODAY
            assert sched.interval == card["ivl"]


def test_deck_descriptions(made) -> None:
    path, _ = made
    decks = {d.name: d.description for d in parse_apkg(path, "anki.apkg").decks}
    assert decks["Geo"] == "Places and capitals"
