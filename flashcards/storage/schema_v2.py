"""Schema version 2: a per-day summary of the review log, and indexes for the statistics.

Statistics over a year of a heavy user's log (a million answers) took seconds to aggregate from
`review_log`; `day_stats` holds the same sums per study day and deck, so they take a few hundred
rows. Triggers on `review_log` keep it exact for every writer (an answer inserts a row, undo
deletes it), and the step backfills it from the existing log.

The card indexes widen so counts by state, the easiness spread and the hardest cards read the
index alone, and a partial index finds leeches without scanning every card's tags.
Never edit this file once released: add a step instead.
"""

from __future__ import annotations

from peewee import Database, SqliteDatabase

# Each column of day_stats and the review_log expression it sums (in a trigger, `r.` becomes
# NEW. or OLD.). "scheduled" answers are non-drill ones; "learned" ones were to cards that had
# been learned (repetitions >= 1 before the answer), which true retention is about.
MATURE = 21  # days: the interval from which a card counts as mature, as in Anki
SUMS = {
    "answers": "1",
    "drills": "r.drill",
    "new_cards": "(r.drill = 0 AND r.before_due IS NULL)",
    "correct": "(r.drill = 0 AND r.quality >= 3)",
    "learned": "(r.drill = 0 AND r.before_repetitions >= 1)",
    "learned_ok": "(r.drill = 0 AND r.before_repetitions >= 1 AND r.quality >= 3)",
    "mature": f"(r.drill = 0 AND r.before_repetitions >= 1 AND r.before_interval >= {MATURE})",
    "mature_ok": (
        f"(r.drill = 0 AND r.before_repetitions >= 1 AND r.before_interval >= {MATURE}"
        " AND r.quality >= 3)"
    ),
    "duration_ms": "r.duration_ms",
}
COLUMNS = tuple(SUMS)

CREATE_TABLE = (
    'CREATE TABLE "day_stats" ("day" DATE NOT NULL, "deck_id" INTEGER NOT NULL, '
    + ", ".join(f'"{c}" INTEGER NOT NULL DEFAULT 0' for c in COLUMNS)
    + ', PRIMARY KEY ("day", "deck_id")) WITHOUT ROWID'
)


def _deck_of(row: str) -> str:
    return f'COALESCE((SELECT "deck_id" FROM "card" WHERE "id" = {row}.card_id), 0)'


def _trigger(name: str, event: str, row: str, sign: str) -> str:
    values = ", ".join(f"{sign}{expr.replace('r.', row + '.')}" for expr in SUMS.values())
    updates = ", ".join(f'"{c}" = "{c}" + excluded."{c}"' for c in COLUMNS)
    cols = ", ".join(f'"{c}"' for c in COLUMNS)
    return (
        f'CREATE TRIGGER "{name}" AFTER {event} ON "review_log" BEGIN '
        f'INSERT INTO "day_stats" ("day", "deck_id", {cols}) '
        f"VALUES ({row}.review_day, {_deck_of(row)}, {values}) "
        f'ON CONFLICT ("day", "deck_id") DO UPDATE SET {updates}; END'
    )


BACKFILL = (
    f'INSERT INTO "day_stats" ("day", "deck_id", {", ".join(COLUMNS)}) '
    f"SELECT r.review_day, COALESCE(c.deck_id, 0), "
    + ", ".join(f"SUM({expr})" for expr in SUMS.values())
    + ' FROM "review_log" AS r LEFT JOIN "card" AS c ON c.id = r.card_id '
    "GROUP BY r.review_day, COALESCE(c.deck_id, 0)"
)

STATEMENTS = (
    CREATE_TABLE,
    'CREATE INDEX "day_stats_deck_id_day" ON "day_stats" ("deck_id", "day")',
    _trigger("day_stats_after_answer", "INSERT", "NEW", ""),
    _trigger("day_stats_after_undo", "DELETE", "OLD", "-"),
    BACKFILL,
    'DROP INDEX "card_deck_id_suspended_due"',
    'CREATE INDEX "card_deck_state" ON "card" '
    '("deck_id", "suspended", "due", "repetitions", "interval", "easiness", "lapses")',
    'CREATE INDEX "card_leech" ON "card" ("deck_id") '
    "WHERE (' ' || \"tags\" || ' ') LIKE '% leech %'",
)


def migrate(db: Database) -> None:
    """Add day_stats (with its triggers and backfill) and the statistics indexes."""
    if not isinstance(db, SqliteDatabase):
        raise NotImplementedError("schema step 2 is written for SQLite collections")
    for statement in STATEMENTS:
        db.execute_sql(statement)
