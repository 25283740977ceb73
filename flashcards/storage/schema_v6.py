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
  stored forecast.

Buried cards keep their state (card_states.py), so `buried_until` is not a key: burying and
unburying touch no counter. The conditions come from card_states.py, rendered into the
triggers' SQL (`card_states.state_sql`); a change to them needs a new step that rebuilds the
triggers and the counts. The triggers differ by dialect (SQLite's trigger bodies, PostgreSQL's
plpgsql function behind row triggers of the same names); the rest is the same SQL on both.
Never edit this file once released: add a step instead.
"""

from __future__ import annotations

from peewee import Database

from flashcards.storage import card_states
from flashcards.storage.dialect import is_sqlite

VERSION = 6
"""This step's number: the one place it is written (migrations.py registers it under it)."""

KEY_COLUMNS = ("deck_id", "suspended", "due", "repetitions", "interval", "easiness")
"""The card columns the counters depend on: an update of any other changes no count."""
INSERT_TRIGGER = "card_counts_after_insert"
TRIGGERS = (INSERT_TRIGGER, "card_counts_after_delete", "card_counts_after_update")


def _tables(sqlite: bool) -> tuple[str, ...]:
    rowid = " WITHOUT ROWID" if sqlite else ""
    return (
        'CREATE TABLE "card_counts" ("deck_id" INTEGER NOT NULL, "suspended" BOOLEAN NOT NULL, '
        '"state" VARCHAR(8) NOT NULL, "easiness" INTEGER NOT NULL, '
        '"cards" INTEGER NOT NULL DEFAULT 0, '
        'PRIMARY KEY ("deck_id", "suspended", "state", "easiness"))' + rowid,
        'CREATE TABLE "due_counts" ("deck_id" INTEGER NOT NULL, "due" DATE NOT NULL, '
        '"cards" INTEGER NOT NULL DEFAULT 0, PRIMARY KEY ("deck_id", "due"))' + rowid,
        'CREATE INDEX "due_counts_due" ON "due_counts" ("due")',
    )


def _apply(db: Database, row: str, sign: str) -> tuple[str, ...]:
    """Add (sign "") or take away (sign "-") one card row's counts: SQL statements."""
    state = card_states.state_sql(db, row)
    counted = card_states.forecast_sql(db, row)
    statements = [
        'INSERT INTO "card_counts" ("deck_id", "suspended", "state", "easiness", "cards") '
        f'SELECT {row}."deck_id", {row}."suspended", {state}, {row}."easiness", {sign}1 '
        'WHERE TRUE ON CONFLICT ("deck_id", "suspended", "state", "easiness") '
        'DO UPDATE SET "cards" = "card_counts"."cards" + excluded."cards"',
        'INSERT INTO "due_counts" ("deck_id", "due", "cards") '
        f'SELECT {row}."deck_id", {row}."due", {sign}1 WHERE {counted} '
        'ON CONFLICT ("deck_id", "due") DO UPDATE SET "cards" = "due_counts"."cards" + 1',
    ]
    if sign:
        statements[1] = (
            f'UPDATE "due_counts" SET "cards" = "cards" - 1 WHERE {counted} '
            f'AND "deck_id" = {row}."deck_id" AND "due" = {row}."due"'
        )
        statements.append(
            f'DELETE FROM "due_counts" WHERE "cards" = 0 AND {counted} '
            f'AND "deck_id" = {row}."deck_id" AND "due" = {row}."due"'
        )
    return tuple(statements)


def _changed(sqlite: bool) -> str:
    """SQL true when an update changed a key column (NULLs compared as values)."""
    differs = "IS NOT" if sqlite else "IS DISTINCT FROM"
    return " OR ".join(f'OLD."{c}" {differs} NEW."{c}"' for c in KEY_COLUMNS)


def _sqlite_triggers(db: Database) -> tuple[str, ...]:
    old, new = _apply(db, "OLD", "-"), _apply(db, "NEW", "")
    columns = ", ".join(f'"{c}"' for c in KEY_COLUMNS)
    return tuple(
        f'CREATE TRIGGER "{name}" AFTER {event} ON "card"{when} BEGIN '
        + "".join(f"{s}; " for s in body)
        + "END"
        for name, event, when, body in (
            (INSERT_TRIGGER, "INSERT", "", new),
            ("card_counts_after_delete", "DELETE", "", old),
            (
                "card_counts_after_update",
                f"UPDATE OF {columns}",
                f" WHEN {_changed(True)}",
                old + new,
            ),
        )
    )


def _postgres_triggers(db: Database) -> tuple[str, ...]:
    old = " ".join(f"{s};" for s in _apply(db, "OLD", "-"))
    new = " ".join(f"{s};" for s in _apply(db, "NEW", ""))
    function = (
        'CREATE FUNCTION "card_counts_apply"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN '
        f"IF TG_OP <> 'INSERT' THEN {old} END IF; "
        f"IF TG_OP <> 'DELETE' THEN {new} END IF; "
        "RETURN NULL; END $$"
    )
    columns = ", ".join(f'"{c}"' for c in KEY_COLUMNS)
    return (
        function,
        *(
            f'CREATE TRIGGER "{name}" AFTER {event} ON "card" FOR EACH ROW{when} '
            'EXECUTE FUNCTION "card_counts_apply"()'
            for name, event, when in (
                (INSERT_TRIGGER, "INSERT", ""),
                ("card_counts_after_delete", "DELETE", ""),
                ("card_counts_after_update", f"UPDATE OF {columns}", f" WHEN ({_changed(False)})"),
            )
        ),
    )


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
