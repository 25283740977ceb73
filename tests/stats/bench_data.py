"""A large synthetic collection for timing the stats queries (not a test module).

`build(path, cards, reviews, days)` writes `cards` cards over a few decks and `reviews` review-log
rows spread over the last `days` study days before `today`, with raw `executemany` so a million rows
take seconds, not minutes. Run it directly to time `collection_stats`:

    python -m tests.stats.bench_data /tmp/bench.db
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import sys
import time
from pathlib import Path

from flashcards.clock import FixedClock
from flashcards.storage import open_database

TODAY = dt.date(2026, 3, 2)
DECKS = ["Lang", "Lang::Verbs", "Lang::Nouns", "Geo", "Geo::Capitals", "Maths"]


def build(
    path: Path, cards: int = 100_000, reviews: int = 1_000_000, days: int = 730, seed: int = 1
) -> None:
    """Create the collection file at `path` (schema through open_database, rows through sqlite3)."""
    open_database(path).close()
    rng = random.Random(seed)
    con = sqlite3.connect(path)
    now = "2026-03-02 09:00:00"
    con.executemany(
        "INSERT INTO deck (name, description, created_at) VALUES (?, '', ?)",
        [(name, now) for name in DECKS],
    )
    card_rows = []
    for i in range(cards):
        reviewed = rng.random() < 0.8
        reps = rng.randint(0, 12) if reviewed else 0
        interval = 0 if not reviewed else (1 if reps <= 1 else rng.randint(2, 400))
        due_day = TODAY + dt.timedelta(days=rng.randint(-30, interval))
        due = due_day.isoformat() if reviewed else None
        tags = "leech" if rng.random() < 0.01 else ""
        card_rows.append(
            (
                rng.randint(1, len(DECKS)),
                f"k{i}",
                "basic",
                f"front {i}",
                f"back {i}",
                tags,
                0,
                reps,
                interval,
                rng.randint(130, 300),
                due,
                rng.randint(0, 9) if reviewed else 0,
                int(rng.random() < 0.03),
                now,
                now,
            )
        )
    con.executemany(
        "INSERT INTO card (deck_id, key, kind, front, back, tags, ordinal, repetitions, interval,"
        " easiness, due, lapses, suspended, created_at, modified_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        card_rows,
    )
    review_rows = []
    for _ in range(reviews):
        day = TODAY - dt.timedelta(days=rng.randrange(days))
        reps = rng.randint(0, 8)
        interval = 0 if reps == 0 else rng.choice([1, 6, 15, 38, 95])
        review_rows.append(
            (
                rng.randint(1, cards),
                f"{day.isoformat()} 12:00:00",
                day.isoformat(),
                rng.randint(0, 5),
                int(rng.random() < 0.1),
                rng.randint(1000, 20000),
                "sm2",
                reps,
                interval,
                250,
                day.isoformat() if reps else None,
                reps + 1,
                interval * 2 + 1,
                250,
                day.isoformat(),
            )
        )
    review_rows.sort(key=lambda row: row[1])  # a real log is appended in time order
    con.executemany(
        "INSERT INTO review_log (card_id, reviewed_at, review_day, quality, drill, duration_ms,"
        " scheduler, before_repetitions, before_interval, before_easiness, before_due,"
        " after_repetitions, after_interval, after_easiness, after_due)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        review_rows,
    )
    con.commit()
    con.close()


def main(argv: list[str]) -> None:
    from flashcards.stats import collection_stats

    path = Path(argv[0] if argv else "/tmp/flashcards-bench.db")
    if not path.exists():
        started = time.perf_counter()
        build(path)
        print(f"built {path} in {time.perf_counter() - started:.1f} s")

    class _Col:
        clock = FixedClock(dt.datetime.combine(TODAY, dt.time(10)))
        db = open_database(path)

    for deck in (None, "Lang"):
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            collection_stats(_Col(), deck)
            timings.append(time.perf_counter() - started)
        print(f"collection_stats(deck={deck!r}): best {min(timings) * 1000:.1f} ms")
    _Col.db.close()


if __name__ == "__main__":
    main(sys.argv[1:])
