"""A deterministic synthetic collection for the benchmarks.

The fast path: decks through the project's own `ensure_deck`, then cards and review-log rows written
with `executemany` on the SQLite connection inside one transaction (the same tables and columns the
app writes; going through the study service for 1,000,000 answers would take minutes and measure
nothing new). The import path is measured separately, through the real importer.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import places
from peewee import Database

from flashcards.clock import FixedClock
from flashcards.scheduler import Sm2State, review
from flashcards.services.bundled import install_bundled_decks_once
from flashcards.services.collection import open_collection
from flashcards.services.decks import ensure_deck
from flashcards.storage import search_index
from flashcards.storage.dialect import is_sqlite, reset_sequence

DECKS = 10
REVIEWS_PER_CARD = 10
WORDS = [
    "muscle",
    "spasm",
    "tendon",
    "bone",
    "smooth",
    "heart",
    "arteries",
    "intestine",
    "brain",
    "fluid",
    "dehydration",
    "cramp",
    "twitch",
    "treatment",
    "medication",
    "protein",
    "structure",
    "movement",
    "voluntary",
    "involuntary",
    "chemical",
    "balance",
    "level",
    "persistent",
    "frequent",
    "attention",
    "circle",
    "extend",
    "affected",
    "reason",
    "variable",
]


def sentence(rng: random.Random, low: int, high: int) -> str:
    """Text of `low`..`high` characters, word by word, so lengths look like real cards."""
    target = rng.randint(low, high)
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < target:
        words.append(rng.choice(WORDS))
    return " ".join(words).capitalize()


def build(path: Path | str, cards: int, today: dt.date, seed: int = 7) -> None:
    """Write `cards` cards over ten decks, about half due today, ten log rows each over a year."""
    rng = random.Random(seed)
    clock = FixedClock(dt.datetime.combine(today, dt.time(12)))
    col = open_collection(path, clock=clock)
    install_bundled_decks_once(col)  # as the CLI does on first open: a user has these too
    deck_ids = [ensure_deck(col, f"Bench::Deck {i:02d}").id for i in range(DECKS)]
    now = clock.now().replace(tzinfo=None)
    conn = col.db.connection()
    base = (col.db.execute_sql("SELECT MAX(id) FROM card").fetchone()[0] or 0) + 1
    card_rows = []
    log_rows = []
    for i in range(cards):
        qs = [rng.choice((5, 4, 4, 4, 3, 3, 2, 5)) for _ in range(REVIEWS_PER_CARD)]
        days = sorted(rng.sample(range(1, 366), REVIEWS_PER_CARD), reverse=True)
        state, lapses, due = Sm2State(), 0, None
        for q, ago in zip(qs, days, strict=True):
            day = today - dt.timedelta(days=ago)
            after = review(state, q)
            lapses += q < 3 and state.repetitions >= 1
            new_due = day + dt.timedelta(days=after.interval)
            at = dt.datetime.combine(day, dt.time(rng.randint(6, 22), rng.randint(0, 59)))
            log_rows.append(
                (
                    base + i,
                    at,
                    day,
                    q,
                    0,
                    rng.randint(1500, 12000),
                    "sm2",
                    state.repetitions,
                    state.interval,
                    state.easiness,
                    due,
                    after.repetitions,
                    after.interval,
                    after.easiness,
                    new_due,
                )
            )
            state, due = after, new_due
        # About half due today or earlier, the rest spread over the coming months.
        due = (
            today - dt.timedelta(days=rng.randint(0, 30))
            if i % 2 == 0
            else (today + dt.timedelta(days=rng.randint(1, 120)))
        )
        card_rows.append(
            (
                base + i,
                deck_ids[i % DECKS],
                f"k{i}",
                "basic",
                sentence(rng, 20, 90),
                sentence(rng, 5, 160),
                "bench",
                0,
                state.repetitions,
                max(1, state.interval),
                state.easiness,
                due,
                lapses,
                0,
                None,
                now,
                now,
            )
        )
    _write(col.db, conn, card_rows, log_rows)
    # Rows written past the importer leave the search's trigram index behind them (as a bulk
    # import does, for the search's worker to catch up with); a collection in use has it
    # current, as its upgrade filled it: the figures are of that collection.
    search_index.refresh(col.db)
    if not is_sqlite(col.db):  # as autovacuum does within a minute of a bulk write
        col.db.execute_sql("ANALYZE")
    col.close()


CARD_COLUMNS = (
    "id", "deck_id", "key", "kind", "front", "back", "tags", "ordinal", "repetitions", "interval",
    "easiness", "due", "lapses", "suspended", "buried_until", "created_at", "modified_at",
)  # fmt: skip
LOG_COLUMNS = (
    "card_id", "reviewed_at", "review_day", "quality", "drill", "duration_ms", "scheduler",
    "before_repetitions", "before_interval", "before_easiness", "before_due",
    "after_repetitions", "after_interval", "after_easiness", "after_due",
)  # fmt: skip


def _write(db: Database, conn: object, card_rows: list[tuple], log_rows: list[tuple]) -> None:
    """The rows in one transaction: `executemany` on SQLite, COPY on PostgreSQL (places.py),
    where the cards' explicit ids then move the id sequence past them."""
    cards, logs = [_sql(r) for r in card_rows], [_sql(r) for r in log_rows]
    with db.atomic():
        if not is_sqlite(db):
            places.copy_rows(conn, "card", CARD_COLUMNS, cards)
            places.copy_rows(conn, "review_log", LOG_COLUMNS, logs)
            reset_sequence(db, "card")
            return
        for table, columns, rows in (
            ("card", CARD_COLUMNS, cards),
            ("review_log", LOG_COLUMNS, logs),
        ):
            marks = ",".join("?" * len(columns))
            conn.executemany(  # type: ignore[attr-defined]
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
            )


def _sql(row: tuple) -> tuple:
    """Dates and datetimes as the text Peewee writes, so both paths store identical values."""
    out = []
    for v in row:
        if isinstance(v, dt.datetime):
            out.append(v.strftime("%Y-%m-%d %H:%M:%S"))
        elif isinstance(v, dt.date):
            out.append(v.isoformat())
        else:
            out.append(v)
    return tuple(out)


def write_tsv(path: Path, rows: int, seed: int = 11) -> None:
    """A TSV deck of `rows` front/back/tags rows for the import benchmark."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as f:
        for i in range(rows):
            f.write(f"{sentence(rng, 20, 90)} #{i}\t{sentence(rng, 5, 160)}\tbench imported\n")


def write_apkg_package(path: Path, cards: int, today: dt.date, seed: int = 13) -> None:
    """An Anki package of `cards` basic notes with schedules and two log rows each, written by
    the exporter's own writer (`decks.apkg_write`): half the cards in review, a tenth suspended."""
    from flashcards.decks.apkg_write import ReviewEntry, write_apkg
    from flashcards.decks.spec import CardSpec, DeckSpec, ImportedScheduling

    rng = random.Random(seed)
    specs, reviews = [], {}
    at = dt.datetime.combine(today - dt.timedelta(days=30), dt.time(9), tzinfo=dt.UTC)
    for i in range(cards):
        key = f"apkg{i}"
        sched = None
        if i % 2 == 0:
            due = today + dt.timedelta(days=rng.randint(-20, 60))
            sched = ImportedScheduling(
                3,
                rng.randint(1, 90),
                rng.randint(130, 290),
                due,
                rng.randint(0, 4),
                suspended=i % 10 == 0,
            )
            reviews[key] = [
                ReviewEntry(at, 3, 1, 0, 250, 4000, 0),
                ReviewEntry(at + dt.timedelta(days=1), 3, 6, 1, 250, 5000, 1),
            ]
        specs.append(
            CardSpec(
                key,
                "basic",
                f"{sentence(rng, 20, 90)} #{i}",
                sentence(rng, 5, 160),
                ("bench",),
                scheduling=sched,
            )
        )
    write_apkg(DeckSpec("Bench Anki", "", tuple(specs)), path, today=today, reviews=reviews)


if __name__ == "__main__":
    import sys

    from flashcards.clock import SystemClock

    target = sys.argv[1]  # a file, or a PostgreSQL URL (places.py)
    build(
        target if places.is_url(target) else Path(target), int(sys.argv[2]), SystemClock().today()
    )
