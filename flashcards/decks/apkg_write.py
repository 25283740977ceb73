"""Writing a deck as an Anki package that Anki continues from.

genanki builds the collection (note types, deck, notes); we then give it what genanki does not
write: each card's schedule, the review log, and a creation day Anki reads the due days from.

- **Notes, not cards.** Cards are grouped back into the notes they came from (`anki_notes`),
  each written once with the right note type, and its guid is the note's own (the Anki guid it
  was imported with), so importing the package into the collection it came from matches the
  same notes instead of duplicating them.
- **Schedule.** The collection says it was created on the export's study day (`crt` at noon
  UTC with `creationOffset` 0), so a review card's `due` is simply its due day minus that day;
  Anki recomputes both "todays" when it imports, so the due dates land on the same calendar
  days in any time zone. Interval, ease, repetitions, lapses, suspension and burying carry over.
- Model and deck ids are derived from hashes (not random), so exporting twice gives packages
  Anki sees as the same note types and deck.
"""

from __future__ import annotations

import datetime
import hashlib
import html
import itertools
import json
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import genanki

from flashcards.decks.anki_notes import AnkiNote, group_notes
from flashcards.decks.media_names import MARKER_RE, media_name_problem
from flashcards.decks.spec import DeckSpec

_CSS = ".card { font-family: sans-serif; font-size: 20px; text-align: center; }"
DEFAULT_ROLLOVER_HOUR = 4


def stable_id(label: str) -> int:
    """A 31-bit id in Anki's customary range, the same for the same label on every run."""
    value = int(hashlib.sha1(label.encode("utf-8")).hexdigest()[:8], 16)
    return (1 << 30) + value % (1 << 30)


BASIC_MODEL = genanki.Model(
    stable_id("flashcards:model:basic"),
    "flashcards Basic",
    fields=[{"name": "Front"}, {"name": "Back"}],
    templates=[
        {"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"}
    ],
    css=_CSS,
)
REVERSED_MODEL = genanki.Model(
    stable_id("flashcards:model:reversed"),
    "flashcards Basic (and reversed card)",
    fields=[{"name": "Front"}, {"name": "Back"}],
    templates=[
        {"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"},
        {"name": "Card 2", "qfmt": "{{Back}}", "afmt": "{{FrontSide}}<hr id=answer>{{Front}}"},
    ],
    css=_CSS,
)
TYPE_MODEL = genanki.Model(
    stable_id("flashcards:model:type"),
    "flashcards Basic (type in the answer)",
    fields=[{"name": "Front"}, {"name": "Back"}],
    templates=[
        {
            "name": "Card 1",
            "qfmt": "{{Front}}<br><br>{{type:Back}}",
            "afmt": "{{Front}}<hr id=answer>{{type:Back}}",
        }
    ],
    css=_CSS,
)
CLOZE_MODEL = genanki.Model(
    stable_id("flashcards:model:cloze"),
    "flashcards Cloze",
    fields=[{"name": "Text"}, {"name": "Back Extra"}],
    templates=[
        {"name": "Cloze", "qfmt": "{{cloze:Text}}", "afmt": "{{cloze:Text}}<br>{{Back Extra}}"}
    ],
    css=_CSS,
    model_type=genanki.Model.CLOZE,
)


@dataclass(frozen=True)
class ReviewEntry:
    """One answer of the review log, as Anki's `revlog` wants it."""

    at: datetime.datetime  # UTC
    button: int  # 1 again, 2 hard, 3 good, 4 easy
    interval: int  # days after the answer
    last_interval: int
    easiness: int  # hundredths
    duration_ms: int
    kind: int  # 0 learning (a new card's first answers), 1 review


def _html(text: str) -> str:
    """Plain text as an Anki field: escaped, with line breaks as <br>, and each media marker
    back in Anki's own form (`<img src="a.png">`, `[sound:b.mp3]`)."""
    return MARKER_RE.sub(_anki_media, html.escape(text, quote=False).replace("\n", "<br>"))


def _anki_media(match: re.Match[str]) -> str:
    kind, name = match.group(1), match.group(2)
    if media_name_problem(html.unescape(name)) or '"' in name:
        return match.group(0)
    return f'<img src="{name}">' if kind == "image" else f"[sound:{html.unescape(name)}]"


MODELS = {
    "basic": BASIC_MODEL,
    "reversed": REVERSED_MODEL,
    "cloze": CLOZE_MODEL,
    "type": TYPE_MODEL,
}


def write_apkg(
    decks: DeckSpec | Sequence[DeckSpec],
    path: Path,
    *,
    today: datetime.date | None = None,
    reviews: dict[str, list[ReviewEntry]] | None = None,
    with_scheduling: bool = True,
    media: dict[str, bytes] | None = None,
) -> int:
    """Write the decks to `path` as an .apkg; returns how many notes it holds.

    With `today` (the export's study day) and `with_scheduling`, each card's schedule and its
    `reviews` (by card key) go with it; otherwise every card arrives new. `media` (name to
    bytes) go in as the package's media members "0", "1", ... . A note whose cards
    lie in several of the decks is written once, each card in its own deck.
    """
    decks = [decks] if isinstance(decks, DeckSpec) else list(decks)
    deck_of: dict[int, int] = {}  # id(card) -> Anki deck id
    anki_decks: list[genanki.Deck] = []
    for deck in decks:
        anki_deck = genanki.Deck(
            stable_id(f"flashcards:deck:{deck.name}"),
            deck.name,
            description=_html(deck.description),
        )
        anki_decks.append(anki_deck)
        deck_of.update((id(card), anki_deck.deck_id) for card in deck.cards)
    notes = group_notes(card for deck in decks for card in deck.cards)
    by_deck = {d.deck_id: d for d in anki_decks}
    for note in notes:
        home = by_deck[deck_of[id(next(iter(note.cards.values())))]]
        anki_note = genanki.Note(
            MODELS[note.kind], [_html(f) for f in note.fields], tags=note.tags, guid=note.guid
        )
        # Exactly the cards we hold (genanki's own cloze scan misses nested deletions).
        anki_note.cards = [genanki.Card(ord_) for ord_ in sorted(note.cards)]
        home.add_note(anki_note)
    package = genanki.Package(anki_decks)
    with tempfile.TemporaryDirectory(prefix="flashcards-apkg-") as tmp:
        db_path = Path(tmp) / "collection.anki2"
        conn = sqlite3.connect(db_path)
        try:
            cursor = conn.cursor()
            stamp = datetime.datetime.now(datetime.UTC).timestamp()
            package.write_to_db(cursor, stamp, itertools.count(int(stamp * 1000)))
            ids = _only_real_cards(cursor, notes)
            cursor.executemany(
                "UPDATE cards SET did = ? WHERE id = ?",
                [
                    (deck_of[id(card)], ids[(note.guid, ord_)])
                    for note in notes
                    for ord_, card in note.cards.items()
                    if (note.guid, ord_) in ids
                ],
            )
            if with_scheduling and today is not None:
                _write_schedule(cursor, notes, ids, today, reviews or {})
            conn.commit()
        finally:
            conn.close()
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(db_path, "collection.anki2")
            names = sorted(media or {})
            for number, name in enumerate(names):
                archive.writestr(str(number), (media or {})[name])
            archive.writestr("media", json.dumps({str(i): n for i, n in enumerate(names)}))
    return len(notes)


def _card_ids(cursor: sqlite3.Cursor) -> dict[tuple[str, int], int]:
    """Card ids by (note guid, ord)."""
    rows = cursor.execute("SELECT c.id, n.guid, c.ord FROM cards c JOIN notes n ON n.id = c.nid")
    return {(guid, ord_): cid for cid, guid, ord_ in rows}


def _only_real_cards(cursor: sqlite3.Cursor, notes: list[AnkiNote]) -> dict[tuple[str, int], int]:
    """Remove cards genanki made that the decks do not hold (a cloze deletion whose card was
    deleted here), so the package has exactly the exported cards; returns the ids of those."""
    wanted = {(n.guid, o) for n in notes for o in n.cards}
    ids = _card_ids(cursor)
    extra = [cid for key, cid in ids.items() if key not in wanted]
    cursor.executemany("DELETE FROM cards WHERE id = ?", [(cid,) for cid in extra])
    return {key: cid for key, cid in ids.items() if key in wanted}


_ANKI_BUTTONS = {"again": 1, "hard": 2, "good": 3, "easy": 4}


def _write_schedule(
    cursor: sqlite3.Cursor,
    notes: list[AnkiNote],
    ids: dict[tuple[str, int], int],
    today: datetime.date,
    reviews: dict[str, list[ReviewEntry]],
) -> None:
    """Cards' scheduling columns, the review log, and a creation day of `today`."""
    crt = int(
        datetime.datetime(today.year, today.month, today.day, 12, tzinfo=datetime.UTC).timestamp()
    )
    (conf_text,) = cursor.execute("SELECT conf FROM col").fetchone()
    conf = json.loads(conf_text)
    conf.update({"schedVer": 2, "creationOffset": 0, "rollover": DEFAULT_ROLLOVER_HOUR})
    cursor.execute("UPDATE col SET crt = ?, conf = ?", (crt, json.dumps(conf)))
    log_ids: set[int] = set()
    for note in notes:
        for ord_, card in note.cards.items():
            cid = ids.get((note.guid, ord_))
            sched = card.scheduling
            if cid is None or sched is None:
                continue
            queue = 0
            ctype = 0
            due_days = 0
            ivl = 0
            if sched.due is not None:
                ctype = queue = 2
                due_days = (sched.due - today).days
                ivl = max(sched.interval, 1)
            if sched.suspended:
                queue = -1
            elif sched.buried_until is not None and sched.buried_until > today:
                queue = -2
            history = reviews.get(card.key, [])
            sets = ["queue = ?", "lapses = ?", "reps = ?"]
            values: list[int] = [queue, sched.lapses, len(history) or sched.repetitions]
            if ctype:
                sets += ["type = ?", "due = ?", "ivl = ?", "factor = ?"]
                values += [ctype, due_days, ivl, sched.easiness * 10]
            cursor.execute(f"UPDATE cards SET {', '.join(sets)} WHERE id = ?", (*values, cid))
            for entry in history:
                rid = int(entry.at.timestamp() * 1000)
                while rid in log_ids:
                    rid += 1
                log_ids.add(rid)
                cursor.execute(
                    "INSERT INTO revlog VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)",
                    (
                        rid,
                        cid,
                        entry.button,
                        entry.interval,
                        entry.last_interval,
                        entry.easiness * 10,
                        min(entry.duration_ms, 60_000),
                        entry.kind,
                    ),
                )


def anki_button(button: str | None, quality: int) -> int:
    """Anki's answer button (1-4) for one of our answers: its button, else from SM-2's q."""
    if button in _ANKI_BUTTONS:
        return _ANKI_BUTTONS[button]
    return 1 if quality < 3 else 2 if quality == 3 else 3 if quality == 4 else 4
