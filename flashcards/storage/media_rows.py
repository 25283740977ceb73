"""The queries of the media tables (schema_v4.py): store contents once, name them, read them."""

from __future__ import annotations

from collections.abc import Iterable

from peewee import chunked

from flashcards.storage.models import MediaBlob, MediaName


def missing_hashes(hashes: Iterable[str]) -> set[str]:
    """The hashes no stored content has yet."""
    wanted = set(hashes)
    found: set[str] = set()
    for chunk in chunked(sorted(wanted), 500):
        found.update(
            h for (h,) in MediaBlob.select(MediaBlob.hash).where(MediaBlob.hash.in_(chunk)).tuples()
        )
    return wanted - found


def current_names(names: Iterable[str]) -> dict[str, str]:
    """The hash each of these names is stored under (names with none are left out)."""
    found: dict[str, str] = {}
    for chunk in chunked(sorted(set(names)), 500):
        found.update(
            MediaName.select(MediaName.name, MediaName.hash)
            .where(MediaName.name.in_(chunk))
            .tuples()
        )
    return found


def put_media(contents: dict[str, bytes], names: dict[str, str]) -> None:
    """Insert new contents (hash -> bytes) and set names (name -> hash); call in a transaction."""
    for hash_, data in contents.items():
        MediaBlob.insert(hash=hash_, size=len(data), data=data).execute()
    for chunk in chunked(sorted(names), 500):
        MediaName.delete().where(MediaName.name.in_(chunk)).execute()
    rows = [{"name": n, "hash": h} for n, h in names.items()]
    for chunk in chunked(rows, 500):
        MediaName.insert_many(chunk).execute()


def media_data(hash_: str) -> bytes | None:
    """The bytes stored under a hash."""
    row = MediaBlob.select(MediaBlob.data).where(MediaBlob.hash == hash_).tuples().first()
    return bytes(row[0]) if row else None
