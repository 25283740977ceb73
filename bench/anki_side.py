"""Anki beside us: the same size of collection opened by the Anki library, to its first card.

Issue 17 puts our cold start "below Anki", measured in one run beside the Anki library opening
the same size of collection and queueing its first card. This optional stage gives that figure,
`anki_first_card_ms`, when the `anki` package is importable (`pip install -e '.[bench]'`);
without it bench/run.py leaves the figure out and says so once on stderr.

`python bench/anki_side.py build PATH N` writes an Anki collection like synth.py's: N notes of
the Basic note type (one card each) over ten decks `Bench::Deck 00`..`09`, texts of the same
lengths, ten review-log rows a card over the past year, and about half the cards due today or
earlier, the rest over the next 120 days (review cards, SM-2-like intervals and ease). How:
- the notes and their cards through Anki's own Python API (`Collection.add_notes` in chunks of
  `CHUNK` `AddNoteRequest`s), so the note, card, field-checksum and deck rows are Anki's own;
- then, with the collection closed, the scheduling (cards' type, queue, due, ivl, factor, reps,
  lapses) and the review log with `executemany` on the plain SQLite file in one transaction
  (neither table has an index with Anki's `unicase` collation), and the collection's creation
  day moved a year back so the log's days and the due days are in the past and the present of
  the collection's own day count. Going through `answer_card` ten times a card would take far
  longer and measure nothing we compare.
The build is not timed. Notes are capped at `MAX_NOTES` (see there): a bigger N builds that
many and the figure says so (`anki_cards`).

`python bench/anki_side.py first PATH` is the measured child: import the library, open the
collection, `col.sched.get_queued_cards()` (the v3 scheduler builds the day's queue of the
current deck, `Bench`, which the build selects, and returns its first card), then exit at
once, without closing, as our cold start exits at its first frame. bench/run.py times it from
spawn to exit, the same number of runs as ours, interleaved with them (`run.cold_start`).
"""

from __future__ import annotations

import importlib.util
import os
import random
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
DECKS = 10
REVIEWS_PER_CARD = 10
CHUNK = 10_000
MAX_NOTES = 1_000_000
"""At most this many notes are built: the benchmark's largest size. Measured on this machine
(2 cores, shared) at about 3,500 notes/s end to end (100,000 notes in 28.6 s: the notes through
`add_notes` about 40 %, texts and the log's rows in Python and SQLite the rest): a million,
extrapolated, about five minutes, so the build is not capped below the benchmark's sizes."""
DAY = 86_400


def available() -> bool:
    """Whether the Anki library can be imported (a namespace folder named `anki` elsewhere on
    the path does not count: the module that opens collections must be there)."""
    try:
        return importlib.util.find_spec("anki.collection") is not None
    except ModuleNotFoundError:
        return False


def build_args(path: Path, cards: int) -> list[str]:
    """The build child's arguments (after the interpreter); it prints the notes written."""
    return [str(HERE / "anki_side.py"), "build", str(path), str(cards)]


def first_card_args(path: Path) -> list[str]:
    """The measured child's arguments (after the interpreter)."""
    return [str(HERE / "anki_side.py"), "first", str(path)]


def build(path: Path, cards: int, seed: int = 7) -> int:
    """Write the collection (see the module's docstring); the number of notes written."""
    from anki.collection import AddNoteRequest, Collection
    from synth import sentence  # bench/ is on the path: run from run.py or as a script

    notes = min(cards, MAX_NOTES)
    rng = random.Random(seed)
    col = Collection(str(path))
    basic = col.models.by_name("Basic")
    assert basic is not None, "a new Anki collection has the Basic note type"
    decks = [col.decks.id(f"Bench::Deck {i:02d}") for i in range(DECKS)]
    # The queue is the current deck's: `Bench` holds every card, as `flashcards review` does.
    col.decks.select(col.decks.id("Bench"))
    for start in range(0, notes, CHUNK):
        requests = []
        for i in range(start, min(notes, start + CHUNK)):
            note = col.new_note(basic)
            note["Front"] = f"{sentence(rng, 20, 90)} #{i}"
            note["Back"] = sentence(rng, 5, 160)
            note.tags = ["bench"]
            requests.append(AddNoteRequest(note, decks[i % DECKS]))
        col.add_notes(requests)
    today = col.sched.today + 365  # once the creation day is moved a year back, below
    col.close()
    _schedule(path, today, rng)
    return notes


def _schedule(path: Path, today: int, rng: random.Random) -> None:
    """Review cards with ten log rows each over the past year, about half due by `today` (the
    collection's day number), written with SQL on the closed collection. The rows are made as
    they are written (generators into `executemany`): 10,000,000 log rows are never held."""
    db = sqlite3.connect(path)
    card_ids = [cid for (cid,) in db.execute("SELECT id FROM cards ORDER BY id")]
    now_ms = int(time.time() * 1000)
    schedules: list[tuple[int, int, int, int, int, int]] = []
    eases = (3, 3, 3, 4, 2, 3, 1, 4)
    change = {1: -200, 2: -150, 3: 0, 4: 150}
    random_day = rng.random

    def log_rows() -> Iterator[tuple[int, ...]]:
        for i, cid in enumerate(card_ids):
            days = sorted({int(random_day() * 365) + 1 for _ in range(REVIEWS_PER_CARD)})
            ivl, factor, lapses, last = 0, 2500, 0, 0
            for n, ago in enumerate(reversed(days)):
                ease = eases[int(random_day() * 8)]
                lapses += ease == 1 and n > 0
                ivl = 1 if ease == 1 else min(36_500, max(1, round(max(ivl, 1) * factor / 1000)))
                factor = max(1300, factor + change[ease])
                # The id is the answer's time in ms: a day's start plus the row's number is
                # unique (10,000,000 rows fit in a day's 86,400,000 ms).
                at = now_ms - ago * DAY * 1000 + i * REVIEWS_PER_CARD + n
                yield (at, cid, -1, ease, ivl, last, factor, 8000, 1)
                last = ivl
            overdue = int(random_day() * 31)
            due = today - overdue if i % 2 == 0 else today + 1 + overdue * 4
            schedules.append((due, last, factor, len(days), lapses, cid))

    # Not measured, and the file is thrown away if the build fails: no fsync; a cache that holds
    # the log's pages (its ids, times, arrive out of order).
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA cache_size = -1000000")
    with db:
        db.executemany("INSERT INTO revlog VALUES (?,?,?,?,?,?,?,?,?)", log_rows())
        db.executemany(
            "UPDATE cards SET type = 2, queue = 2, due = ?, ivl = ?, factor = ?, reps = ?,"
            " lapses = ? WHERE id = ?",
            schedules,
        )
        db.execute("UPDATE col SET crt = crt - ?", (365 * DAY,))
    db.close()


def first_card(path: Path) -> None:
    """The measured child: open, queue the first card, exit without teardown."""
    from anki.collection import Collection

    col = Collection(str(path))
    queued = col.sched.get_queued_cards()
    if not queued.cards:
        raise SystemExit("the Anki collection has nothing to study")
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    if sys.argv[1] == "build":
        print(build(Path(sys.argv[2]), int(sys.argv[3])))
    else:
        first_card(Path(sys.argv[2]))
