"""Importing big CSV/TSV files as they are read: rows parsed and written a chunk at a time, all
of it inside one write transaction, so neither the file nor its cards are ever held.

The rules are the importer's (`importer.py`): cards matched by (deck, key), unchanged ones not
written, changed ones updated with their progress kept, new ones added, a key repeated within a
deck (or across the files) a problem, and problems refuse the whole import unless skipped. What
differs is when things are known: a problem at the last row is found after the rows before it
are written, so the refusal rolls the transaction back, and nothing is changed all the same. The
backup is made before the first write (none if nothing changes), and the progress total is an
estimate from the bytes read until the end.

On SQLite the INSERTs of new cards run on a thread of their own while the next chunk is parsed
(`storage/insert_thread.py`, which holds every other statement until they are done).

Used for files of STREAM_FROM_BYTES and more (`stream_formats`); smaller ones gain nothing from
it and keep the importer's exact progress and its preview outside any transaction.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from flashcards.decks.delimited import default_deck_name
from flashcards.decks.delimited_cards import CardRow
from flashcards.decks.detect import DelimitedFile, open_delimited, streamed_format
from flashcards.decks.keys import aliases_of, note_key
from flashcards.decks.limits import Budget, ImportLimits
from flashcards.decks.spec import Problem
from flashcards.errors import UserError
from flashcards.services import backup
from flashcards.services.collection import Collection
from flashcards.services.decks import ensure_deck, normalise_deck_name
from flashcards.services.import_plan import (
    ImportReport,
    check_problems,
    describe_problem,
)
from flashcards.storage import Deck
from flashcards.storage.binding import runs_on_collection
from flashcards.storage.card_import import (
    NEW_CARD_FIELDS,
    bulk_insert_settings,
    card_count,
    card_texts,
    create_indexes,
    delete_cards,
    drop_hashed_indexes,
    insert_new_cards,
    new_cards_counted,
    timestamp_param,
    update_card_texts,
)
from flashcards.storage.database import write_transaction
from flashcards.storage.insert_thread import Execute, insert_thread
from flashcards.storage.search_index import bulk_insert

STREAM_FROM_BYTES = 1024 * 1024
"""Files (together) of this size and more are imported as they are read."""
CHUNK_ROWS = 5000
"""Rows parsed before they are written: a note's cards (one row) always go in together."""
_LINE_BITS = 40
"""Bits of a card's place (`_Target.first`) that hold its line; the file's index is above."""
BULK_INDEX_ROWS = 20_000
"""Rows from which building the key and note indexes after inserting pays (`_Writer._bulk`)."""


def stream_formats(paths: Iterable[Path], fmt: str | None) -> list[str] | None:
    """Each file's format when every one is a regular CSV/TSV file and together they are big
    enough to stream; else None (the importer reads them whole)."""
    paths = list(paths)
    formats = [streamed_format(p, fmt) for p in paths]
    if not paths or any(f is None for f in formats):
        return None
    try:
        size = sum(os.stat(p).st_size for p in paths)
    except OSError:
        return None
    return [f for f in formats if f is not None] if size >= STREAM_FROM_BYTES else None


@dataclass
class _Target:
    """One deck the files write into, and what the import has done to it so far."""

    name: str
    deck_id: int
    stored: dict[str, tuple[int, tuple]]  # the deck's cards before the import, by key
    first: dict[str, int] = field(default_factory=dict)  # key -> where it came first (`_where`)
    matched: set[str] = field(default_factory=set)  # stored keys matched through an alias
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    missing_ids: list[int] = field(default_factory=list)


class _Writer:
    """Compares each chunk of rows with the stored cards and writes the difference."""

    def __init__(
        self, col: Collection, now: dt.datetime, later: ExitStack, insert: Execute
    ) -> None:
        self.col, self.now, self.stamp = col, now, timestamp_param(now)
        self.later = later  # closed before the commit (`new_cards_counted`)
        self.insert = insert  # runs the INSERTs of new cards (`insert_thread`)
        self.counted: dict[int, int] | None = None
        self.targets: dict[str, _Target] = {}
        self.by_raw_name: dict[str, _Target] = {}
        self.problems: list[Problem] = []
        self.sources: list[str] = []  # the files read so far, for `first`'s places
        self.media_cards = 0
        self.written = 0
        self.dropped_indexes: list[str] = []  # to create again before the commit
        self._backed_up = False
        self._indexes_decided = False
        self._counting = False

    def _bulk(self, new: dict[int, list[object]], expected_rows: int) -> bool:
        """Whether to build the key and note indexes after the inserts: the first chunk only adds
        cards to decks that were new or empty, and the files hold at least BULK_INDEX_ROWS
        rows and more than the collection's cards (which a rebuild reads all of)."""
        if not new or any(t.stored for t in self.targets.values()):
            return False
        return expected_rows >= BULK_INDEX_ROWS and expected_rows >= card_count(self.col.db)

    def before_write(self) -> None:
        """The pre-import backup, once, before the first change (nothing is written yet, so
        the copy, made on its own connection, is the collection as it was)."""
        if not self._backed_up:
            self._backed_up = True
            backup.backup_before_import(self.col)

    def target(self, raw_name: str, where: str) -> _Target:
        """The deck a row names, created (with its parents) when missing."""
        found = self.by_raw_name.get(raw_name)
        if found is not None:
            return found
        try:
            name = normalise_deck_name(raw_name)
        except UserError as exc:
            raise UserError(f"{where}: {exc}") from None
        found = self.targets.get(name)
        if found is None:
            row = Deck.get_or_none(Deck.name == name)
            if row is None:
                self.before_write()
                row = ensure_deck(self.col, name)
                stored = {}
            else:
                stored = card_texts(self.col.db, row.id)
            found = self.targets[name] = _Target(name, row.id, stored)
        self.by_raw_name[raw_name] = found
        return found

    def take(
        self, runs: list[tuple[str, list[CardRow]]], source: str, expected_rows: int = 0
    ) -> None:
        """Plan a chunk of cards (runs of one deck each, as the parser hands them out) against
        the stored cards, then write it; `expected_rows`, the cards the files seem to hold in
        all, decides at the first chunk whether the card key and note indexes are built after
        the inserts instead of kept up to date.

        This loop is the import's hot path: a card goes from the parser's tuple to the
        insert's values (`card_import.NEW_CARD_FIELDS`, added to one flat list) with no object
        between.
        """
        new: dict[int, list[object]] = {}  # by deck: its new cards' values, one after another
        changed: list[tuple] = []
        if not self.sources or self.sources[-1] != source:
            self.sources.append(source)
        base = (len(self.sources) - 1) << _LINE_BITS  # a card's place: its file, then its line
        for deck, cards in runs:
            target = self.target(deck, f"{source}:{cards[0][6]}")
            first, stored, deck_id = target.first, target.stored, target.deck_id
            values = new.setdefault(deck_id, [])
            before = len(values)
            for key, kind, front, back, tags, ordinal, line, media in cards:
                if key in first:
                    self._duplicate(target, key, f"{source}:{line}", source)
                    continue
                first[key] = base + line  # a number, not "file:line": 0.1 s at 200,000
                if media:
                    self.media_cards += 1
                found = self._stored(target, key, kind) if stored else None
                if found is None:
                    note = key if "::" not in key else note_key(key, kind)  # lone: itself
                    values += (key, note, kind, front, back, tags, ordinal)
                elif found[1] == (kind, front, back, tags, ordinal):
                    target.unchanged += 1
                else:
                    changed.append((found[0], kind, front, back, tags, ordinal))
                    target.updated += 1
            target.added += (len(values) - before) // len(NEW_CARD_FIELDS)
        new = {deck_id: values for deck_id, values in new.items() if values}
        if new or changed:
            self.before_write()
        db = self.col.db
        if not self._indexes_decided:
            self._indexes_decided = True
            if self._bulk(new, expected_rows):
                self.dropped_indexes = drop_hashed_indexes(db)
        if new and not self._counting:  # at the first new card, for the rest of the import
            self._counting = True
            self.counted = self.later.enter_context(new_cards_counted(db))
        for deck_id, values in new.items():  # CSV/TSV cards carry no progress
            inserted = insert_new_cards(db, deck_id, self.now, values, self.counted, self.insert)
            self.written += sum(inserted)
        self.written += sum(update_card_texts(db, changed, self.stamp))

    def _duplicate(self, target: _Target, key: str, where: str, source: str) -> None:
        """A card whose key came earlier in its deck: a Problem, worded as the importer's."""
        first = self._where(target.first[key])
        at = f" (first at {first})"
        if first.startswith(f"{source}:"):  # in the same file: the parser's message
            message = f"duplicate card key {key!r}{at}"
        else:  # in an earlier file: the merge's
            message = f"duplicate card key {key!r} in deck {target.name!r}{at}"
        self.problems.append(Problem(where, message))

    def _where(self, place: int) -> str:
        """A place in `_Target.first` as `file:line`."""
        return f"{self.sources[place >> _LINE_BITS]}:{place & ((1 << _LINE_BITS) - 1)}"

    def _stored(self, target: _Target, key: str, kind: str) -> tuple[int, tuple] | None:
        """The stored card this one stands for: same key, or one of its keys before a trip
        through Anki (`key_aliases`) that no card read so far has. (A later row with that
        older key itself then updates the same stored card again.)"""
        found = target.stored.get(key)
        if found is not None:
            return found
        for alias in aliases_of(key, kind):
            if alias in target.stored and alias not in target.first and alias not in target.matched:
                target.matched.add(alias)
                return target.stored[alias]
        return None

    def prune(self, delete: bool) -> None:
        """Find the stored cards no file held; delete them when told to."""
        for target in self.targets.values():
            target.missing_ids = [
                card_id
                for key, (card_id, _) in target.stored.items()
                if key not in target.first and key not in target.matched
            ]
            if delete and target.missing_ids:
                self.before_write()
                self.written += sum(delete_cards(self.col.db, target.missing_ids))

    def report(self) -> ImportReport:
        targets = self.targets.values()
        return ImportReport(
            added=sum(t.added for t in targets),
            updated=sum(t.updated for t in targets),
            unchanged=sum(t.unchanged for t in targets),
            missing=sum(len(t.missing_ids) for t in targets),
            skipped=len(self.problems),
            problems=tuple(describe_problem(p) for p in self.problems),
            media_cards=self.media_cards,
            decks=tuple(t.name for t in targets),
        )


def _write_file(
    writer: _Writer,
    file: DelimitedFile,
    source: str,
    read_before: int,
    size: int,
    progress: Callable[[int, int], None] | None,
) -> bool:
    """Write one file's cards in chunks of about CHUNK_ROWS (whole runs of one deck, as the
    parser hands them out); whether it had any. `read_before` and `size`: the bytes of the
    files before it and of all of them, for the estimates."""

    def take(chunk: list[tuple[str, list[CardRow]]], cards: int) -> None:
        read = read_before + file.position()
        writer.take(chunk, source, expected_rows=cards * size // max(read, 1))
        if progress:
            done = writer.written
            progress(done, max(done, done * size // max(read, 1)))

    chunk: list[tuple[str, list[CardRow]]] = []
    cards, any_rows = 0, False
    for run in file.rows:
        chunk.append(run)
        cards += len(run[1])
        if cards >= CHUNK_ROWS:
            take(chunk, cards)
            any_rows, chunk, cards = True, [], 0
    if chunk:
        take(chunk, cards)
        any_rows = True
    return any_rows


@runs_on_collection
def stream_import(
    col: Collection,
    paths: list[Path],
    formats: list[str],
    *,
    deck: str | None = None,
    skip_invalid: bool = False,
    prune: bool = False,
    progress: Callable[[int, int], None] | None = None,
    limits: ImportLimits | None = None,
) -> ImportReport:
    """Import CSV/TSV files (`stream_formats`) as they are read; `import_paths`' arguments and
    its promise: a UserError, with nothing changed, for a file-level fault, a file over the
    limits or (without `skip_invalid`) any invalid card."""
    deck_name = normalise_deck_name(deck) if deck is not None else None
    budget = Budget(limits or ImportLimits())
    now = col.clock.now().astimezone(dt.UTC).replace(tzinfo=None)
    size = sum(os.stat(p).st_size for p in paths)
    read_before = 0
    with (
        write_transaction(col.db),
        bulk_insert_settings(col.db),
        bulk_insert(col.db),
        ExitStack() as later,
        insert_thread(col.db) as insert,  # innermost: its thread is done before the rest ends
    ):
        writer = _Writer(col, now, later, insert)
        for path, fmt in zip(paths, formats, strict=True):
            source = str(Path(path))
            with open_delimited(path, fmt, writer.problems, deck_name, budget) as file:
                any_rows = _write_file(writer, file, source, read_before, size, progress)
                read_before += file.size
            if not any_rows:  # the importer makes the deck of an empty file all the same
                writer.target(default_deck_name(source, deck_name), source)
        sources = [str(Path(p)) for p in paths]
        check_problems(writer.problems, sources, skip_invalid=skip_invalid, prune=prune)
        writer.prune(prune)
        create_indexes(col.db, writer.dropped_indexes)
    if progress:
        progress(writer.written, writer.written)
    return writer.report()
