"""Copying every row of one collection's database into another's (`flashcards migrate-to`).

The rows go as the driver hands them out, in chunks with their ids, table by table (parents
before children, so every foreign key points at a row already copied); the caller holds the
target's transaction and checks the counts afterwards. The review log's triggers fill the
target's day_stats as rows arrive; the source's own rows then replace them, so the sums are the
source's exactly (a deleted card's answers keep their deck).
"""

from __future__ import annotations

from collections.abc import Callable

from peewee import SQL, Database, Model, Value, fn

from flashcards.storage.dialect import reset_sequence
from flashcards.storage.models import Card, DayStat, Deck, MediaBlob, MediaName, Meta, Review

CHUNK_ROWS = 500  # 500 rows x 17 columns stays far below SQLite's 32,766 variables a statement
TABLES: tuple[type[Model], ...] = (Meta, Deck, Card, Review, DayStat, MediaBlob, MediaName)
"""Every table of a collection, parents before children."""
SERIAL_TABLES: tuple[type[Model], ...] = (Deck, Card, Review)
Progress = Callable[[str, int], None]
"""Called with a table's name and the rows of it copied so far."""


def row_counts(db: Database) -> dict[str, int]:
    """The rows of every table of the collection in `db`, by table name."""
    return {
        m._meta.table_name: int(db.execute(m.select(fn.COUNT(SQL("*")))).fetchone()[0])
        for m in TABLES
    }


def extra_meta_rows(db: Database) -> int:
    """Meta rows besides the schema version: a target that has them is not empty."""
    query = Meta.select(fn.COUNT(SQL("*"))).where(Meta.key != "schema_version")
    return int(db.execute(query).fetchone()[0])


def _order(model: type[Model]) -> list:
    if model is DayStat:
        return [DayStat.day, DayStat.deck_id]
    return [model._meta.primary_key]


def _raw_blobs(row: tuple) -> tuple:
    """Blobs passed to the target's driver as plain bytes. A BlobField converts with the binary
    type of the database the models are bound to, the source: psycopg2's `Binary` reaching
    SQLite is refused, so the value skips the field's conversion."""
    return tuple(
        Value(bytes(v), unpack=False) if isinstance(v, bytes | bytearray | memoryview) else v
        for v in row
    )


def _copy_table(
    source: Database, target: Database, model: type[Model], progress: Progress | None
) -> None:
    fields = list(model._meta.sorted_fields)
    query = model.select(*fields).order_by(*[f.asc() for f in _order(model)])
    if model is Meta:  # the target has its own schema_version already
        query = query.where(Meta.key != "schema_version")
    cursor = source.execute(query)
    done = 0
    while rows := cursor.fetchmany(CHUNK_ROWS):
        target.execute(model.insert_many([_raw_blobs(row) for row in rows], fields=fields))
        done += len(rows)
        if progress:
            progress(model._meta.table_name, done)


def copy_rows(source: Database, target: Database, progress: Progress | None = None) -> None:
    """Copy every table of `source` into the empty, migrated `target` (inside the caller's
    transaction), then move the target's id sequences past the copied ids."""
    for model in TABLES:
        if model is DayStat:  # the triggers' sums give way to the source's own rows
            target.execute(DayStat.delete())
        _copy_table(source, target, model, progress)
    for model in SERIAL_TABLES:
        reset_sequence(target, model._meta.table_name)
