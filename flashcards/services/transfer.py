"""Copy a whole collection into an empty one: SQLite to PostgreSQL, or back for going offline.

The same code copies either way: the target is opened (and given the current schema) through
`open_database`, refused unless empty, and filled by `storage.collection_copy` in one
transaction on the target, so a failure leaves it as empty as it was. Finally the rows of every
table are counted on both sides.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from peewee import Database, DatabaseError, OperationalError

from flashcards.errors import UserError
from flashcards.services.collection import Collection
from flashcards.storage import open_database
from flashcards.storage.binding import runs_on_collection
from flashcards.storage.collection_copy import (
    TABLES,
    Progress,
    copy_rows,
    extra_meta_rows,
    row_counts,
)
from flashcards.storage.database import describe_error, display_location, is_url

__all__ = ["TABLES", "Progress", "TransferReport", "migrate_to"]


@dataclass(frozen=True)
class TransferReport:
    """Where the collection went and the rows of each table, equal on both sides."""

    target: str
    counts: dict[str, int]


def _same_file(source: Collection, target: str) -> bool:
    if is_url(target) or source.path is None:
        return target == source.target
    return Path(target).expanduser().resolve() == source.path.expanduser().resolve()


def _refuse_non_empty(db: Database, where: str) -> None:
    found = {name: n for name, n in row_counts(db).items() if n and name != "meta"}
    extra = extra_meta_rows(db)
    if found or extra:
        listed = ", ".join(f"{name}: {n} rows" for name, n in found.items()) or "meta: "
        listed += "" if found else f"{extra} rows"
        raise UserError(
            f"{where}: the target is not empty ({listed}); migrate-to copies only "
            "into an empty database"
        )


@runs_on_collection
def migrate_to(source: Collection, target: str, progress: Progress | None = None) -> TransferReport:
    """Copy every row of `source` into the empty collection at `target`; verify the counts."""
    where = display_location(target)
    if _same_file(source, target):
        raise UserError(f"{where}: the target is the collection itself")
    dest = open_database(target)  # the copy names each database; the source stays bound
    try:
        _refuse_non_empty(dest, where)
        with dest.atomic():
            copy_rows(source.db, dest, progress)
        before, after = row_counts(source.db), row_counts(dest)
    except (OperationalError, DatabaseError) as exc:
        raise describe_error(exc, where) from None
    finally:
        dest.close()
    if before != after:
        diff = ", ".join(f"{t}: {before[t]} → {after[t]}" for t in before if before[t] != after[t])
        raise UserError(f"{where}: the copy's row counts differ from the source's ({diff})")
    return TransferReport(target=where, counts=after)
