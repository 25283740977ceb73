"""Copy a whole collection into an empty one: SQLite to PostgreSQL, or back for going offline.

The same code copies either way: the target is opened (and given the current schema) through
`open_database`, every table is read from the source in id order and written to the target in
chunks with its ids, in one transaction on the target, so a failure leaves it as empty as it was.
The review log's triggers fill the target's day_stats as rows arrive; the source's own rows then
replace them, so the sums are the source's exactly (a deleted card's answers keep their deck).
Finally the rows of every table are counted on both sides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from peewee import SQL, Database, DatabaseError, Model, OperationalError, fn

from flashcards.errors import UserError
from flashcards.services.collection import Collection
from flashcards.storage import Card, DayStat, Deck, Meta, Review, db_proxy, open_database
from flashcards.storage.database import describe_error, display_location, is_url
from flashcards.storage.dialect import reset_sequence
from flashcards.storage.models import MediaBlob, MediaName

CHUNK_ROWS = 500  # 500 rows x 17 columns stays far below SQLite's 32,766 variables a statement
# Parents before children, so every foreign key points at a row already copied.
TABLES: tuple[type[Model], ...] = (Meta, Deck, Card, Review, DayStat, MediaBlob, MediaName)
SERIAL_TABLES: tuple[type[Model], ...] = (Deck, Card, Review)
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class TransferReport:
    """Where the collection went and the rows of each table, equal on both sides."""

    target: str
    counts: dict[str, int]


def _same_file(source: Collection, target: str) -> bool:
    if is_url(target) or source.path is None:
        return target == source.target
    return Path(target).expanduser().resolve() == source.path.expanduser().resolve()


def _counts(db: Database) -> dict[str, int]:
    """The rows of every table of the collection in `db`, by table name."""
    return {
        m._meta.table_name: int(db.execute(m.select(fn.COUNT(SQL("*")))).fetchone()[0])
        for m in TABLES
    }


def _refuse_non_empty(db: Database, where: str) -> None:
    found = {
        name: n
        for name, n in _counts(db).items()
        if n and name != Meta._meta.table_name
    }
    extra = int(db.execute(Meta.select(fn.COUNT(SQL("*"))).where(Meta.key != "schema_version"))
                .fetchone()[0])
    if found or extra:
        listed = ", ".join(f"{name}: {n} rows" for name, n in found.items()) or "meta: "
        listed += "" if found else f"{extra} rows"
        raise UserError(f"{where}: the target is not empty ({listed}); migrate-to copies only "
                        "into an empty database")


def _copy_table(source: Database, target: Database, model: type[Model],
                progress: Progress | None) -> None:
    fields = list(model._meta.sorted_fields)
    query = model.select(*fields).order_by(*[f.asc() for f in _order(model)])
    if model is Meta:  # the target has its own schema_version already
        query = query.where(Meta.key != "schema_version")
    cursor = source.execute(query)
    done = 0
    while rows := cursor.fetchmany(CHUNK_ROWS):
        target.execute(model.insert_many(rows, fields=fields))
        done += len(rows)
        if progress:
            progress(model._meta.table_name, done)


def _order(model: type[Model]) -> list:
    if model is DayStat:
        return [DayStat.day, DayStat.deck_id]
    return [model._meta.primary_key]


def migrate_to(source: Collection, target: str, progress: Progress | None = None
               ) -> TransferReport:
    """Copy every row of `source` into the empty collection at `target`; verify the counts."""
    where = display_location(target)
    if _same_file(source, target):
        raise UserError(f"{where}: the target is the collection itself")
    try:
        dest = open_database(target)
    finally:
        db_proxy.initialize(source.db)  # open_database bound the models to the target
    try:
        _refuse_non_empty(dest, where)
        with dest.atomic():
            for model in TABLES:
                if model is DayStat:  # the triggers' sums give way to the source's own rows
                    dest.execute(DayStat.delete())
                _copy_table(source.db, dest, model, progress)
            for model in SERIAL_TABLES:
                reset_sequence(dest, model._meta.table_name)
        before, after = _counts(source.db), _counts(dest)
    except (OperationalError, DatabaseError) as exc:
        raise describe_error(exc, where) from None
    finally:
        dest.close()
    if before != after:
        diff = ", ".join(f"{t}: {before[t]} → {after[t]}" for t in before if before[t] != after[t])
        raise UserError(f"{where}: the copy's row counts differ from the source's ({diff})")
    return TransferReport(target=where, counts=after)
