"""Is this database a healthy flashcards collection? Integrity, schema and value checks.

A backup is about to replace the user's collection, so nothing in it is trusted: a trigger on
`review_log` runs on the next answer (one that deletes every card was accepted before), a missing
`day_stats` or a malformed due date breaks every later command. The expected schema is not a
hand-written list that could drift from the code: it is read from a collection built, in memory,
by the frozen schema steps of that version (`MIGRATIONS`), and compared with the database's own
tables, columns, indexes, foreign keys, triggers and views.

Only the SQLite file gets `PRAGMA integrity_check`; a server database (PostgreSQL) is checked
for its schema and values only (its own tools look after its storage).
"""

from __future__ import annotations

import functools
import re
import sqlite3
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from peewee import Database, DatabaseError, SqliteDatabase

from flashcards.scheduler import MAX_INTERVAL, MIN_EASINESS
from flashcards.storage.card_states import forecast_sql
from flashcards.storage.dialect import is_sqlite
from flashcards.storage.migrations import MIGRATIONS, SCHEMA_VERSION
from flashcards.storage.search_text_tables import SQLITE_ONLY_PREFIX

MAX_COUNT = 1_000_000  # repetitions, lapses, an easiness: far beyond any real card's
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Schema:
    """What a schema comparison looks at, in a form two databases can be compared by."""

    tables: dict[str, tuple[tuple, ...]]  # name -> its columns
    indexes: dict[str, tuple]  # name -> (table, unique, columns, WHERE clause)
    foreign_keys: dict[str, frozenset[tuple]]  # table -> (column, table, column, on delete)
    triggers: dict[str, tuple]  # name -> (table, normalised SQL); rules too on PostgreSQL
    views: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class CheckReport:
    """The outcome of `check_database`: no `problems` means a healthy collection."""

    integrity: str | None  # "ok", what integrity_check found, or None when it was not run
    version: int | None
    problems: tuple[str, ...]
    cards: int = 0
    reviews: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """The first problem, and how many more there are: one line for a message."""
        more = len(self.problems) - 1
        extra = f" (and {more} more problem{'s' if more != 1 else ''})" if more > 0 else ""
        return (self.problems[0] if self.problems else "ok") + extra


def _norm(sql: str | None) -> str:
    return _SPACES.sub(" ", sql or "").strip().lower()


def _where(sql: str | None) -> str:
    """The WHERE clause of a partial index ("" for a full one)."""
    text = _norm(sql)
    return text.split(" where ", 1)[1] if " where " in text else ""


def describe_schema(db: Database) -> Schema:
    """The schema of `db` as `Schema`; on a server, only what both dialects name the same way."""
    sqlite = is_sqlite(db)
    tables: dict[str, tuple[tuple, ...]] = {}
    indexes: dict[str, tuple] = {}
    foreign: dict[str, frozenset[tuple]] = {}
    for table in db.get_tables():
        if table.startswith("sqlite_"):  # sqlite_stat1 and the like: SQLite's own
            continue
        if sqlite:
            # table_xinfo also lists hidden and generated columns, which get_columns leaves out
            quoted = table.replace('"', '""')  # a hostile file picks its own table names
            rows = db.execute_sql(f'PRAGMA table_xinfo("{quoted}")').fetchall()
            tables[table] = tuple(
                (name, (kind or "").upper(), bool(notnull), default, pk, hidden)
                for _, name, kind, notnull, default, pk, hidden in rows
            )
        else:
            tables[table] = tuple((c.name, c.null, c.primary_key) for c in db.get_columns(table))
        for ix in db.get_indexes(table):
            if ix.name.startswith("sqlite_autoindex_") or ix.name.endswith("_pkey"):
                continue  # made by the table's own PRIMARY KEY / UNIQUE
            where = _where(ix.sql)
            if not sqlite:  # the server rewrites the condition: compare only that there is one
                where = "partial" if where else ""
            indexes[ix.name] = (table, bool(ix.unique), tuple(ix.columns), where)
        keys = db.get_foreign_keys(table)
        if keys:
            foreign[table] = frozenset(
                (fk.column, fk.dest_table, fk.dest_column, (fk.on_delete or "").upper())
                for fk in keys
            )
    if sqlite:
        rows = db.execute_sql(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall()
        triggers = {name: (table, _norm(sql)) for name, table, sql in rows}
    else:
        rows = db.execute_sql(
            "SELECT trigger_name, event_object_table FROM information_schema.triggers "
            "WHERE trigger_schema = current_schema() "
            "UNION SELECT rulename, tablename FROM pg_rules WHERE schemaname = current_schema()"
        ).fetchall()
        triggers = {name: (table, "") for name, table in rows}
    views = frozenset(v.name for v in db.get_views())
    return Schema(tables, indexes, foreign, triggers, views)


def expected_schema(version: int, sqlite: bool = True) -> Schema:
    """The schema a collection of `version` has: built in memory by the frozen steps, then read."""
    return _built_by(tuple(MIGRATIONS[step] for step in range(1, version + 1)), sqlite)


@functools.cache
def _built_by(steps: tuple[Callable[[Database], None], ...], sqlite: bool) -> Schema:
    """The schema the `steps` build (cached by the steps themselves, not a version number)."""
    db = SqliteDatabase(":memory:")
    try:
        for step in steps:
            step(db)
        schema = describe_schema(db)
    finally:
        db.close()
    if sqlite:
        return schema
    # A server names types differently: compare names, nullability and primary keys only.
    # The search's trigram index and what keeps it are SQLite's alone (schema_search_index.py).
    return Schema(
        {
            t: tuple((c[0], not c[2], bool(c[4])) for c in cols)
            for t, cols in schema.tables.items()
            if not t.startswith(SQLITE_ONLY_PREFIX)
        },
        {n: (t, u, c, "partial" if w else "") for n, (t, u, c, w) in schema.indexes.items()},
        schema.foreign_keys,
        {
            n: (t, "")
            for n, (t, _s) in schema.triggers.items()
            if not n.startswith(SQLITE_ONLY_PREFIX)
        },
    )


def _differences(
    kind: str, found: dict, expected: dict, version: int, *, extra_ok: bool
) -> list[str]:
    problems = [f"no {kind} {name}" for name in sorted(set(expected) - set(found))]
    if not extra_ok:
        problems += [f"a foreign {kind} {name}" for name in sorted(set(found) - set(expected))]
    problems += [
        f"the {kind} {name} differs from schema version {version}'s"
        for name in sorted(set(found) & set(expected))
        if found[name] != expected[name]
    ]
    return problems


def schema_problems(db: Database, version: int) -> list[str]:
    """How the schema of `db` differs from that of a fresh collection of `version`."""
    sqlite = is_sqlite(db)
    want = expected_schema(version, sqlite)
    have = describe_schema(db)
    shared = not sqlite  # a server database may hold other applications' tables
    problems = _differences("table", have.tables, want.tables, version, extra_ok=shared)
    problems += _differences("index", have.indexes, want.indexes, version, extra_ok=shared)
    if sqlite:  # the server's catalogue words ON DELETE differently
        problems += _differences(
            "foreign keys of", have.foreign_keys, want.foreign_keys, version, extra_ok=True
        )
    ours = set(want.tables)
    triggers = have.triggers if sqlite else {n: v for n, v in have.triggers.items() if v[0] in ours}
    problems += _differences("trigger", triggers, want.triggers, version, extra_ok=False)
    if sqlite and have.views:
        problems += [f"a foreign view {name}" for name in sorted(have.views)]
    return problems


def stored_version(db: Database) -> tuple[int | None, str | None]:
    """The collection's schema version, or None and why it is not a usable one."""
    if "meta" not in db.get_tables():
        return None, "no meta table (not a flashcards collection)"
    row = db.execute_sql("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None:
        return None, "no schema version"
    text = str(row[0]).strip()
    if not text.isascii() or not text.isdigit():
        return None, f"the schema version {text[:20]!r} is not a whole number"
    version = int(text)
    if version < 1:
        return None, f"unknown schema version {version}"
    if version > SCHEMA_VERSION:
        return version, (
            f"written by a newer flashcards (schema version {version}; "
            f"this version reads up to {SCHEMA_VERSION})"
        )
    return version, None


def _bad_date(column: str) -> str:
    """SQL: `column` holds something other than NULL or a real YYYY-MM-DD date (SQLite)."""
    # date() alone passes 2026-02-30 through; adding 0 days rolls it over to March.
    wrong = f"typeof({column}) <> 'text' OR date({column}, '+0 days') IS NOT {column}"
    return f"({column} IS NOT NULL AND ({wrong}))"


def _bad_int(column: str, low: int, high: int, sqlite: bool) -> str:
    typed = f"typeof({column}) <> 'integer' OR " if sqlite else f"{column} IS NULL OR "
    return f"({typed}{column} < {low} OR {column} > {high})"


def value_problems(db: Database, version: int) -> list[str]:
    """Rows whose key values the app cannot work with: bad dates, out-of-range SM-2 state.

    Run only once the schema matches `version`, so every column named here exists.
    """
    sqlite = is_sqlite(db)
    summed = "day_stats" in expected_schema(version).tables
    checks: list[tuple[str, str, str]] = [
        (
            "card",
            "a state out of range (repetitions, interval, easiness or lapses)",
            " OR ".join(
                (
                    _bad_int("repetitions", 0, MAX_COUNT, sqlite),
                    _bad_int('"interval"', 0, MAX_INTERVAL, sqlite),
                    _bad_int("easiness", MIN_EASINESS, MAX_COUNT, sqlite),
                    _bad_int("lapses", 0, MAX_COUNT, sqlite),
                )
            ),
        ),
        ("review_log", "a grade out of range", _bad_int("quality", 0, 5, sqlite)),
    ]
    if sqlite:  # a server's DATE columns hold real dates only
        checks += [
            ("card", "an invalid due date", f"{_bad_date('due')} OR {_bad_date('buried_until')}"),
            (
                "review_log",
                "an invalid date",
                " OR ".join(_bad_date(c) for c in ("review_day", "before_due", "after_due")),
            ),
        ]
        if summed:
            checks.append(("day_stats", "an invalid day", _bad_date("day")))
    problems = []
    for table, what, condition in checks:
        count = db.execute_sql(f'SELECT COUNT(*) FROM "{table}" WHERE {condition}').fetchone()[0]
        if count:
            problems.append(f"{count} {table} row{'s' if count != 1 else ''} with {what}")
    if sqlite:
        orphans = db.execute_sql("PRAGMA foreign_key_check").fetchall()
        if orphans:
            problems.append(f"{len(orphans)} rows pointing at rows that do not exist")
    if summed:
        answers = db.execute_sql('SELECT COUNT(*) FROM "review_log"').fetchone()[0]
        total = db.execute_sql('SELECT COALESCE(SUM("answers"), 0) FROM "day_stats"').fetchone()[0]
        if answers != total:
            problems.append(f"day_stats counts {total} answers but review_log holds {answers}")
    if "card_counts" in expected_schema(version).tables:
        problems += _counter_problems(db)
    return problems


def _counter_problems(db: Database) -> list[str]:
    """The counters (schema_v6.py) against the cards they count, in total."""
    problems = []
    for table, where in (("card_counts", ""), ("due_counts", f" WHERE {forecast_sql(db, 'card')}")):
        counted = db.execute_sql(f'SELECT COALESCE(SUM("cards"), 0) FROM "{table}"').fetchone()[0]
        cards = db.execute_sql(f'SELECT COUNT(*) FROM "card"{where}').fetchone()[0]
        if counted != cards:
            problems.append(f"{table} counts {counted} cards but card holds {cards}")
    return problems


def integrity(conn: sqlite3.Connection, *, quick: bool = False) -> str:
    """`PRAGMA integrity_check` (`quick_check` if `quick`) as one line: "ok", or its first finding.

    A damaged page can stop integrity_check itself ("malformed"); quick_check, which skips the
    index-against-table pass, then usually still names the page. That pass is what makes
    integrity_check O(N log N): at 1,000,000 cards it took 89 s where quick_check took 9.7 s.
    """
    try:
        pragma = "PRAGMA quick_check" if quick else "PRAGMA integrity_check"
        rows = [str(r[0]) for r in conn.execute(pragma).fetchall()]
    except sqlite3.DatabaseError as exc:
        try:
            rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check").fetchall()]
        except sqlite3.DatabaseError:
            return str(exc)
        if rows == ["ok"]:
            return str(exc)
    if rows == ["ok"]:
        return "ok"
    found = [ln for r in rows for ln in r.splitlines() if ln and not ln.startswith("***")]
    return found[0] if found else "damaged"


def check_database(db: Database, *, run_integrity: bool = True) -> CheckReport:
    """Integrity (SQLite, unless told not to), then schema version, schema and values."""
    result = None
    if run_integrity and is_sqlite(db):
        result = integrity(db.connection())
        if result != "ok":
            return CheckReport(result, None, (f"the file is damaged: {result}",))
    try:
        version, problem = stored_version(db)
        if problem:
            return CheckReport(result, version, (problem,))
        assert version is not None
        problems = schema_problems(db, version)
        if problems:  # values are checked only in tables known to have the right columns
            return CheckReport(result, version, tuple(problems))
        problems = value_problems(db, version)
        cards = db.execute_sql('SELECT COUNT(*) FROM "card"').fetchone()[0]
        reviews = db.execute_sql('SELECT COUNT(*) FROM "review_log"').fetchone()[0]
    except (DatabaseError, sqlite3.DatabaseError) as exc:
        # Sound pages (integrity passed) whose SQL fails hold tables of another shape.
        what = "not a flashcards collection" if result == "ok" else "cannot be read"
        return CheckReport(result, None, (f"{what} ({exc})",))
    return CheckReport(result, version, tuple(problems), cards, reviews)


def readonly_uri(path: Path) -> str:
    """A URI that opens `path` read-only, whatever characters (`?`, `#`, `%`) its name holds."""
    return f"file:{urllib.parse.quote(str(Path(path).absolute()))}?mode=ro"


def check_file(path: Path) -> CheckReport:
    """`check_database` on a SQLite file, opened read-only: nothing is written to it."""
    db = SqliteDatabase(readonly_uri(path), uri=True)
    try:
        db.connect()
        return check_database(db)
    except (DatabaseError, sqlite3.DatabaseError) as exc:
        return CheckReport(None, None, (f"the file is damaged: {exc}",))
    finally:
        db.close()
