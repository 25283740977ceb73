"""Packages made by the official Anki library (the optional `anki-tests` extra), in a subprocess
whose time zone (`TZ`) differs from the test's, so every due date crosses a zone.

The subprocess builds a collection with every note type and card state we import, exports it,
and writes a manifest of what Anki itself reports for each card (its type, queue, due, interval,
ease, lapses, and Anki's own "today" as a local date), so the tests compare our import with
Anki's figures rather than with our own arithmetic.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ANKI_TZ = "Australia/Sydney"
"""UTC+10/+11: its study day differs from UTC's for most of the (UTC) afternoon and evening."""

_SCRIPT = r"""
import datetime, json, sys, time
from zoneinfo import ZoneInfo
from anki.collection import Collection, ExportAnkiPackageOptions
from anki.decks import DeckId

out_dir, legacy = sys.argv[1], sys.argv[2] == "legacy"
col = Collection(f"{out_dir}/collection.anki2")
mm = col.models
geo = col.decks.id("Geo")
deck = col.decks.get(geo); deck["desc"] = "Places <b>and</b> capitals"; col.decks.save(deck)
cities = col.decks.id("Geo::Cities")

custom = mm.new("Cloze with header")
custom["type"] = 1
for name in ("Header", "Text", "Extra"):
    mm.add_field(custom, mm.new_field(name))
t = mm.new_template("Cloze")
t["qfmt"] = "{{Header}}<br>{{cloze:Text}}"
t["afmt"] = "{{cloze:Text}}<br>{{Extra}}"
mm.add_template(custom, t)
mm.add(custom)

def add(model, deck_id, **fields):
    note = col.new_note(mm.by_name(model))
    for key, value in fields.items():
        note[key] = value
    col.add_note(note, DeckId(deck_id))
    return note

today = col.sched.today
now = int(time.time())
notes = {
    "new": add("Basic", geo, Front="Capital of France?", Back="Paris"),
    "review": add("Basic", geo, Front="Capital of Italy?", Back="Rome"),
    "overdue": add("Basic (and reversed card)", cities, Front="Tokyo", Back="Japan"),
    "learning": add("Basic (type in the answer)", geo, Front="Capital of Spain?", Back="Madrid"),
    "relearning": add("Basic", geo, Front="Capital of Peru?", Back="Lima"),
    "suspended": add("Basic", geo, Front="Capital of Chile?", Back="Santiago"),
    "buried": add("Basic", geo, Front="Capital of Cuba?", Back="Havana"),
    "nested": add("Cloze", cities, Text="{{c1::Canberra was {{c2::founded}} in 1913}}",
                  **{"Back Extra": "Australia"}),
    "custom": add("Cloze with header", cities, Header="Africa",
                  Text="{{c1::Nairobi}} is in {{c2::Kenya}}", Extra="East"),
    "image": add("Basic", geo, Front='<img src="map.png">', Back="a map"),
}
states = {  # (type, queue, due, ivl, factor, reps, lapses) for the note's first card
    "review": (2, 2, today + 5, 10, 2300, 7, 1),
    "overdue": (2, 2, today - 3, 30, 2600, 9, 0),
    "learning": (1, 1, now + 600, 0, 2500, 1, 0),
    "relearning": (3, 1, now + 600, 15, 2000, 12, 3),
    "suspended": (2, -1, today + 20, 40, 2500, 8, 0),
    "buried": (2, -2, today, 6, 2500, 4, 0),
}
for name, (ctype, queue, due, ivl, factor, reps, lapses) in states.items():
    card = notes[name].cards()[0]
    card.type, card.queue, card.due, card.ivl = ctype, queue, due, ivl
    card.factor, card.reps, card.lapses = factor, reps, lapses
    col.update_card(card)
cuba_rev = notes["overdue"].cards()[1]
cuba_rev.queue = -3  # the reverse card of a new note, buried by the user
col.update_card(cuba_rev)

rollover = col.get_config("rollover", 4) if col.get_config("rollover", None) is not None else 4
local = datetime.datetime.now(ZoneInfo(__import__("os").environ["TZ"]))
anki_day = (local - datetime.timedelta(hours=rollover)).date()
cards = []
for name, note in notes.items():
    for card in note.cards():
        cards.append({"note": name, "guid": note.guid, "ord": card.ord, "type": card.type,
                      "queue": card.queue, "due": card.due, "ivl": card.ivl,
                      "factor": card.factor, "reps": card.reps, "lapses": card.lapses,
                      "deck": col.decks.name(card.did)})
path = f"{out_dir}/anki.apkg"
col.export_anki_package(out_path=path, options=ExportAnkiPackageOptions(
    with_scheduling=True, with_deck_configs=False, with_media=True, legacy=legacy), limit=None)
json.dump({"today": today, "anki_day": anki_day.isoformat(), "cards": cards},
          open(f"{out_dir}/manifest.json", "w"))
col.close()
"""


def make_anki_package(out_dir: Path, legacy: bool = False, tz: str = ANKI_TZ) -> dict:
    """Build `out_dir/anki.apkg` with the official library in zone `tz`; returns the manifest."""
    out_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "TZ": tz}
    subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(out_dir), "legacy" if legacy else "new"],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return json.loads((out_dir / "manifest.json").read_text())


_IMPORT_SCRIPT = r"""
import datetime, json, os, sys
from zoneinfo import ZoneInfo
from anki.collection import Collection, ExportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageOptions

col_path, package, out, export = sys.argv[1:5]
col = Collection(col_path)
result = col.import_anki_package(ImportAnkiPackageRequest(
    package_path=package, options=ImportAnkiPackageOptions(with_scheduling=True)))
rollover = col.get_config("rollover", None)
rollover = 4 if rollover is None else rollover
local = datetime.datetime.now(ZoneInfo(os.environ["TZ"]))
cards = []
for cid in col.find_cards(""):
    card = col.get_card(cid)
    note = card.note()
    cards.append({"guid": note.guid, "ord": card.ord, "type": card.type, "queue": card.queue,
                  "due": card.due, "ivl": card.ivl, "factor": card.factor, "reps": card.reps,
                  "lapses": card.lapses, "deck": col.decks.name(card.odid or card.did),
                  "notetype": note.note_type()["name"], "fields": list(note.fields)})
json.dump({"today": col.sched.today,
           "anki_day": (local - datetime.timedelta(hours=rollover)).date().isoformat(),
           "notes": col.note_count(), "revlog": col.db.scalar("select count() from revlog"),
           "cards": cards}, open(out, "w"))
if export:
    col.export_anki_package(out_path=export, options=ExportAnkiPackageOptions(
        with_scheduling=True, with_deck_configs=False, with_media=True, legacy=False),
        limit=None)
col.close()
"""


def import_into_anki(
    collection: Path, package: Path, tz: str = ANKI_TZ, export: Path | None = None
) -> dict:
    """Import `package` into the Anki collection at `collection` (made if missing) with the
    official library in zone `tz`, then export the whole collection to `export` if given;
    returns every card of the collection after the import."""
    out = package.with_suffix(".imported.json")
    env = {**os.environ, "TZ": tz}
    subprocess.run(
        [
            sys.executable,
            "-c",
            _IMPORT_SCRIPT,
            str(collection),
            str(package),
            str(out),
            str(export or ""),
        ],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return json.loads(out.read_text())


_CSV_SCRIPT = r"""
import json, sys
from anki.collection import Collection
from anki.import_export_pb2 import ImportCsvRequest

col = Collection(sys.argv[1])
metadata = col.get_csv_metadata(path=sys.argv[2], delimiter=None)
col.import_csv(ImportCsvRequest(path=sys.argv[2], metadata=metadata))
notes = []
for nid in col.find_notes(""):
    note = col.get_note(nid)
    notes.append([note.guid, note.note_type()["name"], list(note.fields), note.tags,
                  len(note.cards()), col.decks.name(note.cards()[0].did)])
json.dump(notes, open(sys.argv[3], "w"))
col.close()
"""


def csv_into_anki(collection: Path, csv_path: Path) -> list[list]:
    """Import a CSV file into an Anki collection as Anki's importer reads its `#` headers;
    returns each note as [guid, note type, fields, tags, cards, deck]."""
    out = csv_path.with_suffix(".notes.json")
    subprocess.run(
        [sys.executable, "-c", _CSV_SCRIPT, str(collection), str(csv_path), str(out)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return json.loads(out.read_text())
