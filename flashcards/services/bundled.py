"""The decks that ship with flashcards, installed once into each collection.

The first time a collection is opened, every bundled deck file is imported and a flag is written
to the `meta` table in the same transaction. The flag, not the decks, says "done": a user who
deletes a bundled deck does not get it back on the next start.
"""

from __future__ import annotations

import datetime as dt

from peewee import OperationalError

from flashcards.errors import UserError
from flashcards.services.collection import Collection
from flashcards.storage import Meta
from flashcards.storage.binding import runs_on_collection
from flashcards.storage.database import describe_error, write_transaction

INSTALLED_FLAG = "bundled_installed"
"""Meta key set once the bundled decks were installed; its value is when (UTC)."""


@runs_on_collection
def bundled_installed(col: Collection) -> bool:
    """Whether this collection has had its bundled decks (one primary-key lookup)."""
    return Meta.get_or_none(Meta.key == INSTALLED_FLAG) is not None


@runs_on_collection
def install_bundled_decks_once(col: Collection) -> list[str]:
    """Import the bundled decks if this collection never had them; returns the decks added.

    Invalid cards in a bundled file are skipped rather than refusing the start, and a bundled
    file that cannot be read at all is left out (both are bugs the test suite catches). No
    pre-import backup is made: nothing of the user's is changed.
    """
    if bundled_installed(col):
        return []
    # Imported here, not at the top: every command opens a collection, and only the first open
    # of a new one needs the parsers.
    from flashcards.decks.bundled import bundled_deck_paths
    from flashcards.services.importer import apply_import, merge_files, parse_paths

    parsed = []
    for path in bundled_deck_paths():
        try:
            parsed.extend(parse_paths(col, [path]))
        except UserError:
            continue
    inputs, problems = merge_files(parsed)
    stamp = str(col.clock.now().astimezone(dt.UTC).replace(tzinfo=None))
    try:
        with write_transaction(col.db):
            if bundled_installed(col):  # another process got here first
                return []
            report = apply_import(col, inputs, problems)
            Meta.create(key=INSTALLED_FLAG, value=stamp)
    except OperationalError as exc:  # busy or read-only: nothing written, try again next time
        raise describe_error(exc, col.target or "the collection") from None
    return list(report.decks)
