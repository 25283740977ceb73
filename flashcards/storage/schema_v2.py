"""Schema version 2: a per-day summary of the review log, and indexes for the statistics.

Statistics over a year of a heavy user's log (a million answers) took seconds to aggregate from
`review_log`; `day_stats` holds the same sums per study day and deck, so they take a few hundred
rows. Triggers on `review_log` keep it exact for every writer (an answer inserts a row, undo
deletes it), and the step backfills it from the existing log.

The card indexes widen so counts by state, the easiness spread and the hardest cards read the
index alone, and a partial index finds leeches without scanning every card's tags.

The SQL is written once for SQLite and PostgreSQL; the two places they differ are kept apart
below: the table option (`WITHOUT ROWID`, SQLite only) and the triggers (SQLite's trigger
bodies, PostgreSQL's one plpgsql function behind two row triggers).
Never edit this file once released: add a step instead.
"""

from __future__ import annotations

import re

from peewee import Database

from flashcards.scheduler import MATURE_DAYS, PASS_MARK
from flashcards.storage.dialect import is_sqlite, literal_sql

# Each column of day_stats and the review_log expression it sums (in a trigger, `r.` becomes
# NEW. or OLD.). "scheduled" answers are non-drill ones; "learned" ones were to cards that had
# been learned (repetitions >= 1 before the answer), which true retention is about.
# `drill` is a boolean: SQLite stores 0/1 (and `NOT 0` is true), PostgreSQL a real boolean, so it
# is only ever tested as a condition, and each condition becomes 1 or 0 through CASE.
# The pass mark and the mature interval come from the scheduler, so the triggers and the Python
# figures cannot disagree; the SQL they make is what this step installed (q >= 3, 21 days), and a
# change to either constant needs a new step that rebuilds the triggers.
MATURE = MATURE_DAYS
_PASSED = f"r.quality >= {PASS_MARK}"
_SCHEDULED = "NOT r.drill"
_LEARNED = f"{_SCHEDULED} AND r.before_repetitions >= 1"
_MATURE = f"{_LEARNED} AND r.before_interval >= {MATURE}"


def _one_if(condition: str) -> str:
    return f"(CASE WHEN {condition} THEN 1 ELSE 0 END)"


SUMS = {
    "answers": "1",
    "drills": _one_if("r.drill"),
    "new_cards": _one_if(f"{_SCHEDULED} AND r.before_due IS NULL"),
    "correct": _one_if(f"{_SCHEDULED} AND {_PASSED}"),
    "learned": _one_if(_LEARNED),
    "learned_ok": _one_if(f"{_LEARNED} AND {_PASSED}"),
    "mature": _one_if(_MATURE),
    "mature_ok": _one_if(f"{_MATURE} AND {_PASSED}"),
    "duration_ms": "r.duration_ms",
}
COLUMNS = tuple(SUMS)


def _create_table(sqlite: bool) -> str:
    return (
        'CREATE TABLE "day_stats" ("day" DATE NOT NULL, "deck_id" INTEGER NOT NULL, '
        + ", ".join(f'"{c}" INTEGER NOT NULL DEFAULT 0' for c in COLUMNS)
        + ', PRIMARY KEY ("day", "deck_id"))'
        + (" WITHOUT ROWID" if sqlite else "")
    )


def _deck_of(row: str) -> str:
    return f'COALESCE((SELECT "deck_id" FROM "card" WHERE "id" = {row}.card_id), 0)'


_ROW_PREFIX = re.compile(r"\br\.")


def _upsert(row: str, sign: str) -> str:
    """Add (or, with sign "-", take away) one review_log row's sums to its day and deck."""
    values = ", ".join(sign + _ROW_PREFIX.sub(row + ".", expr) for expr in SUMS.values())
    updates = ", ".join(f'"{c}" = "day_stats"."{c}" + excluded."{c}"' for c in COLUMNS)
    cols = ", ".join(f'"{c}"' for c in COLUMNS)
    return (
        f'INSERT INTO "day_stats" ("day", "deck_id", {cols}) '
        f"VALUES ({row}.review_day, {_deck_of(row)}, {values}) "
        f'ON CONFLICT ("day", "deck_id") DO UPDATE SET {updates}'
    )


def _sqlite_triggers() -> tuple[str, ...]:
    return tuple(
        f'CREATE TRIGGER "{name}" AFTER {event} ON "review_log" BEGIN {_upsert(row, sign)}; END'
        for name, event, row, sign in (
            ("day_stats_after_answer", "INSERT", "NEW", ""),
            ("day_stats_after_undo", "DELETE", "OLD", "-"),
        )
    )


def _postgres_triggers() -> tuple[str, ...]:
    function = (
        'CREATE FUNCTION "day_stats_apply"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN '
        f"IF TG_OP = 'INSERT' THEN {_upsert('NEW', '')}; "
        f"ELSE {_upsert('OLD', '-')}; END IF; "
        "RETURN NULL; END $$"
    )
    return (
        function,
        *(
            f'CREATE TRIGGER "{name}" AFTER {event} ON "review_log" '
            'FOR EACH ROW EXECUTE FUNCTION "day_stats_apply"()'
            for name, event in (
                ("day_stats_after_answer", "INSERT"),
                ("day_stats_after_undo", "DELETE"),
            )
        ),
    )


BACKFILL = (
    f'INSERT INTO "day_stats" ("day", "deck_id", {", ".join(COLUMNS)}) '
    f"SELECT r.review_day, COALESCE(c.deck_id, 0), "
    + ", ".join(f"SUM({expr})" for expr in SUMS.values())
    + ' FROM "review_log" AS r LEFT JOIN "card" AS c ON c.id = r.card_id '
    "GROUP BY r.review_day, COALESCE(c.deck_id, 0)"
)

INDEXES = (
    'DROP INDEX "card_deck_id_suspended_due"',
    'CREATE INDEX "card_deck_state" ON "card" '
    '("deck_id", "suspended", "due", "repetitions", "interval", "easiness", "lapses")',
    'CREATE INDEX "card_leech" ON "card" ("deck_id") '
    "WHERE (' ' || \"tags\" || ' ') LIKE '% leech %'",
)


def statements(sqlite: bool) -> tuple[str, ...]:
    """The step's SQL, in order, for SQLite or (sqlite=False) PostgreSQL."""
    return (
        _create_table(sqlite),
        'CREATE INDEX "day_stats_deck_id_day" ON "day_stats" ("deck_id", "day")',
        *(_sqlite_triggers() if sqlite else _postgres_triggers()),
        BACKFILL,
        *INDEXES,
    )


def migrate(db: Database) -> None:
    """Add day_stats (with its triggers and backfill) and the statistics indexes."""
    for statement in statements(is_sqlite(db)):
        db.execute_sql(literal_sql(db, statement))
