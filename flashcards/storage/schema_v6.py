"""Schema version 6: the cards counted by state, easiness and due date, kept by triggers.

The statistics' counts by state and easiness spread grouped every reviewed card (244 ms at a
million cards), and the due forecast counted every card due in the next 30 days, the overdue
ones included. Two small tables hold those counts, kept exact by triggers on `card` for every
writer (an answer, undo, suspend, move, reset, delete, import), as `day_stats` is for the log:

- `card_counts`: cards per deck, suspended or not, state (`card_states.STATES`) and easiness;
  a few hundred rows whatever the collection's size.
- `due_counts`: cards the forecast counts (`card_states.forecast_sql`: not suspended, reviewed)
  per deck and due date; a row whose count falls to 0 is deleted, so the rows are the dates
  that have cards. The forecast sums the dates up to its last day (overdue ones included):
  how many days that is depends on today, which is why this is a count per date and not a
  stored forecast. No index on `due` alone: the forecast of every deck reads the whole table
  (a few thousand rows at most), and each answer would pay to keep one.

Buried cards keep their state (card_states.py), so `buried_until` is not a key: burying and
unburying touch no counter. The conditions come from card_states.py, rendered into the
triggers' SQL (`card_states.state_sql`); a change to them needs a new step that rebuilds the
triggers and the counts. Each table has its own triggers, whose update trigger fires only when
what that table counts a card by changed: most answers move a card's due date and leave its
state and easiness alone, and then only due_counts is touched (two statements, not five).
The triggers differ by dialect (SQLite's trigger bodies, PostgreSQL's plpgsql function per
table behind row triggers of the same names); the rest is the same SQL on both.
Never edit this file once released: add a step instead.
"""

from __future__ import annotations

from peewee import Database

from flashcards.storage import card_states
from flashcards.storage.dialect import is_sqlite

VERSION = 6
"""This step's number: the one place it is written (migrations.py registers it under it)."""

TABLES = ("card_counts", "due_counts")
"""Each table has its own three triggers, `<table>_after_insert`, `_after_delete` and
`_after_update`, so an answer that changes a card's due date but not its state or easiness
(most answers) runs only the due_counts statements."""
INSERT_TRIGGERS = tuple(f"{table}_after_insert" for table in TABLES)
"""Set aside by a bulk insert that counts its cards itself (`card_import.insert_new_cards`)."""


def _tables(sqlite: bool) -> tuple[str, ...]:
    rowid = " WITHOUT ROWID" if sqlite else ""
    return (
        'CREATE TABLE "card_counts" ("deck_id" INTEGER NOT NULL, "suspended" BOOLEAN NOT NULL, '
        '"state" VARCHAR(8) NOT NULL, "easiness" INTEGER NOT NULL, '
        '"cards" INTEGER NOT NULL DEFAULT 0, '
        'PRIMARY KEY ("deck_id", "suspended", "state", "easiness"))' + rowid,
        'CREATE TABLE "due_counts" ("deck_id" INTEGER NOT NULL, "due" DATE NOT NULL, '
        '"cards" INTEGER NOT NULL DEFAULT 0, PRIMARY KEY ("deck_id", "due"))' + rowid,
    )


def _apply(db: Database, table: str, row: str, sign: str) -> tuple[str, ...]:
    """Add (sign "") or take away (sign "-") one card row's count in `table`: SQL statements."""
    if table == "card_counts":
        state = card_states.state_sql(db, row)
        return (
            'INSERT INTO "card_counts" ("deck_id", "suspended", "state", "easiness", "cards") '
            f'SELECT {row}."deck_id", {row}."suspended", {state}, {row}."easiness", {sign}1 '
            'WHERE TRUE ON CONFLICT ("deck_id", "suspended", "state", "easiness") '
            'DO UPDATE SET "cards" = "card_counts"."cards" + excluded."cards"',
        )
    counted = card_states.forecast_sql(db, row)
    if not sign:
        return (
            'INSERT INTO "due_counts" ("deck_id", "due", "cards") '
            f'SELECT {row}."deck_id", {row}."due", 1 WHERE {counted} '
            'ON CONFLICT ("deck_id", "due") DO UPDATE SET "cards" = "due_counts"."cards" + 1',
        )
    this = f'{counted} AND "deck_id" = {row}."deck_id" AND "due" = {row}."due"'
    return (
        f'UPDATE "due_counts" SET "cards" = "cards" - 1 WHERE {this}',
        f'DELETE FROM "due_counts" WHERE "cards" = 0 AND {this}',
    )


def _changed(db: Database, table: str) -> str:
    """SQL true when an update changed what `table` counts a card by (NULLs as values)."""
    differs = "IS NOT" if is_sqlite(db) else "IS DISTINCT FROM"
    if table == "card_counts":
        keys = ["deck_id", "suspended", "easiness"]
        derived = (card_states.state_sql(db, "OLD"), card_states.state_sql(db, "NEW"))
    else:
        keys = ["deck_id", "suspended", "due"]
        derived = None
    tests = [f'OLD."{c}" {differs} NEW."{c}"' for c in keys]
    if derived:
        tests.append(f"{derived[0]} {differs} {derived[1]}")
    return " OR ".join(tests)


_COLUMNS = {
    "card_counts": ("deck_id", "suspended", "due", "repetitions", "interval", "easiness"),
    "due_counts": ("deck_id", "suspended", "due"),
}
"""The card columns each table's count depends on: an update of no other can change it."""


def _events(db: Database, table: str) -> tuple[tuple[str, str, str], ...]:
    """(trigger name, event, WHEN condition or "") for each of the table's triggers."""
    columns = ", ".join(f'"{c}"' for c in _COLUMNS[table])
    return (
        (f"{table}_after_insert", "INSERT", ""),
        (f"{table}_after_delete", "DELETE", ""),
        (f"{table}_after_update", f"UPDATE OF {columns}", _changed(db, table)),
    )


def _sqlite_triggers(db: Database) -> tuple[str, ...]:
    triggers = []
    for table in TABLES:
        old, new = _apply(db, table, "OLD", "-"), _apply(db, table, "NEW", "")
        bodies = {"INSERT": new, "DELETE": old}
        for name, event, when in _events(db, table):
            body = bodies.get(event, old + new)
            triggers.append(
                f'CREATE TRIGGER "{name}" AFTER {event} ON "card"'
                + (f" WHEN {when}" if when else "")
                + " BEGIN "
                + "".join(f"{s}; " for s in body)
                + "END"
            )
    return tuple(triggers)


def _postgres_triggers(db: Database) -> tuple[str, ...]:
    statements = []
    for table in TABLES:
        old = " ".join(f"{s};" for s in _apply(db, table, "OLD", "-"))
        new = " ".join(f"{s};" for s in _apply(db, table, "NEW", ""))
        statements.append(
            f'CREATE FUNCTION "{table}_apply"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN '
            f"IF TG_OP <> 'INSERT' THEN {old} END IF; "
            f"IF TG_OP <> 'DELETE' THEN {new} END IF; "
            "RETURN NULL; END $$"
        )
        statements += [
            f'CREATE TRIGGER "{name}" AFTER {event} ON "card" FOR EACH ROW'
            + (f" WHEN ({when})" if when else "")
            + f' EXECUTE FUNCTION "{table}_apply"()'
            for name, event, when in _events(db, table)
        ]
    return tuple(statements)


def recount(db: Database, where: str = "", cards: str = '"card"', each: int = 1) -> tuple[str, ...]:
    """Statements that add the cards (those matching `where`, SQL over "card", if given) to
    both tables: the backfill. `cards` may be another row source named "card" and `each` the
    cards each of its rows stands for: `card_import.insert_new_cards` adds the alike cards it
    inserted with the insert trigger set aside, as one row."""
    state = card_states.state_sql(db, '"card"')
    counted = card_states.forecast_sql(db, '"card"')
    extra = f" AND ({where})" if where else ""
    source = cards if cards == '"card"' else f'{cards} AS "card"'
    return (
        'INSERT INTO "card_counts" ("deck_id", "suspended", "state", "easiness", "cards") '
        f'SELECT "deck_id", "suspended", {state}, "easiness", COUNT(*) * {each} FROM {source} '
        f"WHERE TRUE{extra} GROUP BY 1, 2, 3, 4 "
        'ON CONFLICT ("deck_id", "suspended", "state", "easiness") '
        'DO UPDATE SET "cards" = "card_counts"."cards" + excluded."cards"',
        'INSERT INTO "due_counts" ("deck_id", "due", "cards") '
        f'SELECT "deck_id", "due", COUNT(*) * {each} FROM {source} WHERE {counted}{extra} '
        'GROUP BY 1, 2 ON CONFLICT ("deck_id", "due") '
        'DO UPDATE SET "cards" = "due_counts"."cards" + excluded."cards"',
    )


def statements(db: Database) -> tuple[str, ...]:
    """The step's SQL, in order, for the database's dialect."""
    sqlite = is_sqlite(db)
    triggers = _sqlite_triggers(db) if sqlite else _postgres_triggers(db)
    return (*_tables(sqlite), *triggers, *recount(db))


def migrate(db: Database) -> None:
    """Add the counters with their triggers, and count the collection's cards into them."""
    for statement in statements(db):
        db.execute_sql(statement)
