"""Schema step 9: on PostgreSQL, the counters' insert and delete triggers run once a statement.

Steps 2 and 6 keep `day_stats`, `card_counts` and `due_counts` with row triggers: on
PostgreSQL each inserted or deleted card ran two plpgsql functions of an upsert each, and each
review-log row one more, so a bulk insert (an import of 100,000 cards, `migrate-to`, a deck
deleted) paid them row by row. SQLite sets the card insert triggers aside during a bulk import
and counts the new cards in one statement (`card_import.insert_new_cards`); PostgreSQL cannot
drop a trigger without locking the card table against its readers, so here the insert and
delete triggers become statement triggers over their transition tables (`REFERENCING NEW
TABLE`): one grouped upsert per statement and table, whatever the statement's rows, from the
same SQL the backfills use (`schema_v6.recount`, `schema_v2.BACKFILL`'s sums). Every writer is
still counted exactly, and a one-row insert (an answer, an added card) costs about what it did.

The update triggers stay row triggers: PostgreSQL refuses transition tables on a trigger with a
column list (`UPDATE OF …`), and their WHEN condition is what lets most answers touch one
table only. The trigger names are kept, so the schema check sees the same triggers; the
functions of the row triggers stay for those update triggers.

SQLite: nothing (its triggers are row triggers only; its bulk paths set them aside).
Never edit this file once released: add a step instead.
"""

from __future__ import annotations

from peewee import Database

from flashcards.storage import card_states, schema_v2, schema_v6
from flashcards.storage.dialect import is_sqlite

STEP = 9
"""This step's number: the one place it is written (storage/migrations.py reads it)."""

_ROWS = {"INSERT": ("NEW", '"inserted"'), "DELETE": ("OLD", '"deleted"')}
"""Each event's transition table: its keyword and the name the function reads it by."""


def _card_counts(db: Database, event: str, rows: str) -> tuple[str, ...]:
    """card_counts: the statement's cards grouped, added (insert) or taken away (delete)."""
    return schema_v6.recount(db, cards=rows, each=1 if event == "INSERT" else -1)[:1]


def _due_counts(db: Database, event: str, rows: str) -> tuple[str, ...]:
    """due_counts: added as the backfill adds; taken away as the row trigger did (an update of
    the rows there, then those that fell to 0 deleted)."""
    if event == "INSERT":
        return schema_v6.recount(db, cards=rows)[1:]
    counted = card_states.forecast_sql(db, '"card"')
    gone = (
        f'SELECT "deck_id", "due", COUNT(*) AS "cards" FROM {rows} AS "card" '
        f"WHERE {counted} GROUP BY 1, 2"
    )
    return (
        f'UPDATE "due_counts" SET "cards" = "due_counts"."cards" - "gone"."cards" '
        f'FROM ({gone}) AS "gone" '
        'WHERE "due_counts"."deck_id" = "gone"."deck_id" AND "due_counts"."due" = "gone"."due"',
        'DELETE FROM "due_counts" WHERE "cards" = 0 '
        f'AND ("deck_id", "due") IN (SELECT "deck_id", "due" FROM {rows})',
    )


def _day_stats(db: Database, event: str, rows: str) -> tuple[str, ...]:
    """day_stats: the statement's log rows summed by day and deck (a deleted card's rows under
    deck 0), added or taken away, as the row trigger's upsert did one row at a time."""
    sign = "" if event == "INSERT" else "-"
    sums = ", ".join(f"{sign}SUM({expr})" for expr in schema_v2.SUMS.values())
    columns = ", ".join(f'"{c}"' for c in schema_v2.COLUMNS)
    updates = ", ".join(f'"{c}" = "day_stats"."{c}" + excluded."{c}"' for c in schema_v2.COLUMNS)
    return (
        f'INSERT INTO "day_stats" ("day", "deck_id", {columns}) '
        f"SELECT r.review_day, COALESCE(c.deck_id, 0), {sums} "
        f'FROM {rows} AS r LEFT JOIN "card" AS c ON c.id = r.card_id '
        "GROUP BY r.review_day, COALESCE(c.deck_id, 0) "
        f'ON CONFLICT ("day", "deck_id") DO UPDATE SET {updates}',
    )


TRIGGERS = (
    ("card", "card_counts", ("card_counts_after_insert", "card_counts_after_delete")),
    ("card", "due_counts", ("due_counts_after_insert", "due_counts_after_delete")),
    ("review_log", "day_stats", ("day_stats_after_answer", "day_stats_after_undo")),
)
"""(table, counter, (its insert trigger, its delete trigger)): the names steps 2 and 6 gave."""
_BODIES = {"card_counts": _card_counts, "due_counts": _due_counts, "day_stats": _day_stats}


def statements(db: Database) -> tuple[str, ...]:
    """The step's SQL for PostgreSQL: each insert and delete trigger dropped, and made again
    as a statement trigger of the same name behind a function of its own."""
    out: list[str] = []
    for table, counter, names in TRIGGERS:
        for event, name in zip(_ROWS, names, strict=True):
            keyword, rows = _ROWS[event]
            body = " ".join(f"{s};" for s in _BODIES[counter](db, event, rows))
            function = f"{counter}_{event.lower()}_statement"
            out += [
                f'DROP TRIGGER "{name}" ON "{table}"',
                f'CREATE FUNCTION "{function}"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN '
                f"{body} RETURN NULL; END $$",
                f'CREATE TRIGGER "{name}" AFTER {event} ON "{table}" '
                f"REFERENCING {keyword} TABLE AS {rows} "
                f'FOR EACH STATEMENT EXECUTE FUNCTION "{function}"()',
            ]
    return tuple(out)


def migrate(db: Database) -> None:
    if is_sqlite(db):
        return
    for statement in statements(db):
        db.execute_sql(statement)
