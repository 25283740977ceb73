"""Importing deck files into the collection: parse everything, then write it all or nothing.

Cards are matched by (deck, key). A card whose text is unchanged is not written at all; a card
whose text changed is updated and keeps its progress; a new card is added (with the progress an
Anki package carried, when there is some); a card of the deck that the files no longer hold is
reported as missing and kept, unless `prune` deletes it (its review-log rows stay, their card set
to NULL).

Every file is parsed before anything is written. Per-card problems refuse the whole import unless
`skip_invalid` is given; with it the valid cards go in and each skipped card is reported. The
writes are one transaction: bulk inserts of 500 rows, one query per deck for the existing keys,
and updates only for the cards that changed. An import that would change nothing (a re-import of
the same file, or a dry run) writes nothing at all: no transaction, no backup.

CSV/TSV files of a megabyte and more are not held: `import_stream.py` parses and writes them a
chunk at a time inside the one transaction, under the same rules (a late problem rolls it back).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from peewee import Database

from flashcards.decks.detect import parse_file
from flashcards.decks.keys import key_aliases
from flashcards.decks.limits import Budget, ImportLimits
from flashcards.decks.reading import STDIN_SOURCE, is_stdin
from flashcards.decks.spec import CardSpec, ParsedFile, Problem
from flashcards.errors import UserError
from flashcards.services import backup
from flashcards.services.collection import Collection
from flashcards.services.decks import ensure_deck, normalise_deck_name
from flashcards.services.import_plan import (
    ImportReport,
    check_problems,
    database_errors,
    describe_problem,
    new_rows,
    text_of,
)
from flashcards.services.import_stream import stream_formats, stream_import
from flashcards.services.media import store_media
from flashcards.storage import Deck
from flashcards.storage.binding import runs_on_collection
from flashcards.storage.card_import import (
    card_texts,
    delete_cards,
    insert_cards,
    timestamp_param,
    update_card_texts,
)
from flashcards.storage.database import write_transaction
from flashcards.storage.search_index import bulk_insert

Progress = Callable[[int, int], None]


@dataclass
class DeckInput:
    """All the cards the files hold for one deck, merged across files."""

    name: str
    description: str = ""
    cards: dict[str, CardSpec] = field(default_factory=dict)


@dataclass
class _DeckPlan:
    """How one deck's stored cards compare with the files."""

    name: str
    new: list[CardSpec]
    changed: list[tuple[int, CardSpec]]
    unchanged: int
    missing_ids: list[int]


@runs_on_collection
def import_paths(
    col: Collection,
    paths: list[Path],
    *,
    deck: str | None = None,
    fmt: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    prune: bool = False,
    with_scheduling: bool = True,
    progress: Callable[[int, int], None] | None = None,
    limits: ImportLimits | None = None,
) -> ImportReport:
    """Import deck files (TOML, CSV/TSV, .apkg); `deck` puts every card into that deck.

    Raises UserError, having changed nothing, for an unreadable file, a file over `limits`, or
    (without `skip_invalid`) any invalid card; the message's first line sums up, one line per
    problem follows.
    """
    if not dry_run and (formats := stream_formats(paths, fmt)):  # big CSV/TSV: as read
        with database_errors(col):
            return stream_import(
                col, paths, formats, deck=deck, skip_invalid=skip_invalid, prune=prune,
                progress=progress, limits=limits,
            )  # fmt: skip
    parsed = parse_paths(
        col, paths, deck=deck, fmt=fmt, with_scheduling=with_scheduling, limits=limits
    )
    inputs, problems = merge_files(parsed)
    sources = [STDIN_SOURCE if is_stdin(p) else str(Path(p)) for p in paths]
    check_problems(problems, sources, skip_invalid=skip_invalid, prune=prune)
    with database_errors(col):
        with col.db.atomic():  # one read snapshot for the whole preview
            plans, writes = _preview(col.db, inputs, prune)
        if dry_run or not writes:  # nothing to write: not even a transaction or a backup
            total = _work(plans, prune)
            if progress:
                progress(total, total)
            report = _report(plans, inputs, problems)
        else:
            backup.backup_before_import(col)
            report = apply_import(col, inputs, problems, prune=prune, progress=progress)
        if dry_run:
            return report
        # The cards are in: now their images and sounds (a re-import may bring new ones).
        stored = store_media(col, (m for file in parsed for m in file.media))
        return replace(report, media_files=stored)


@runs_on_collection
def parse_paths(
    col: Collection,
    paths: Iterable[Path],
    *,
    deck: str | None = None,
    fmt: str | None = None,
    with_scheduling: bool = True,
    limits: ImportLimits | None = None,
) -> list[ParsedFile]:
    """Parse every file (nothing is written); a file-level fault raises its DeckError.

    One budget spans all the files, so `limits` bound the whole import, not each file.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        raise UserError("no files to import")
    if sum(is_stdin(p) for p in paths) > 1:
        raise UserError("standard input (- or /dev/stdin) can be read only once per import")
    deck_name = normalise_deck_name(deck) if deck is not None else None
    today = col.clock.today()
    budget = Budget(limits or ImportLimits())
    return [parse_file(p, fmt, deck_name, with_scheduling, today, budget) for p in paths]


def merge_files(parsed: Iterable[ParsedFile]) -> tuple[list[DeckInput], list[Problem]]:
    """Group the cards by (normalised) deck name; a key repeated across files is a Problem."""
    by_name: dict[str, DeckInput] = {}
    problems: list[Problem] = []
    for file in parsed:
        problems.extend(file.problems)
        for spec in file.decks:
            try:
                name = normalise_deck_name(spec.name)
            except UserError as exc:
                where = spec.cards[0].source if spec.cards else spec.name
                raise UserError(f"{where}: {exc}") from None
            target = by_name.setdefault(name, DeckInput(name))
            if spec.description:
                target.description = spec.description
            for card in spec.cards:
                first = target.cards.get(card.key)
                if first is not None:
                    at = f" (first at {first.source})" if first.source else ""
                    problems.append(
                        Problem(
                            card.source, f"duplicate card key {card.key!r} in deck {name!r}{at}"
                        )
                    )
                    continue
                target.cards[card.key] = card
    return list(by_name.values()), problems


@runs_on_collection
def apply_import(
    col: Collection,
    inputs: list[DeckInput],
    problems: list[Problem],
    *,
    prune: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Write merged decks in one transaction (a savepoint when already inside one)."""
    now = col.clock.now().astimezone(dt.UTC).replace(tzinfo=None)
    stamp = timestamp_param(now)
    with write_transaction(col.db), bulk_insert(col.db):
        plans: list[_DeckPlan] = []
        deck_ids: list[int] = []
        for item in inputs:
            deck_row = ensure_deck(col, item.name, item.description or None)
            deck_ids.append(deck_row.id)
            plans.append(_plan_deck(col.db, deck_row.id, item))
        total = _work(plans, prune)
        done = 0
        if progress:
            progress(done, total)
        for deck_id, plan in zip(deck_ids, plans, strict=True):
            for count in insert_cards(col.db, new_rows(deck_id, plan.new, stamp)):
                done += count
                if progress:
                    progress(done, total)
            changed = [(card_id, *text_of(spec)) for card_id, spec in plan.changed]
            for count in update_card_texts(col.db, changed, stamp):
                done += count
                if progress:
                    progress(done, total)
            if prune:
                for count in delete_cards(col.db, plan.missing_ids):
                    done += count
                    if progress:
                        progress(done, total)
    return _report(plans, inputs, problems)


def _plan_deck(db: Database, deck_id: int | None, item: DeckInput) -> _DeckPlan:
    """Compare one deck's stored cards with the files' cards: one query for the whole deck."""
    stored = card_texts(db, deck_id) if deck_id is not None else {}
    new: list[CardSpec] = []
    changed: list[tuple[int, CardSpec]] = []
    unchanged = 0
    matched: set[str] = set()  # stored keys matched through an alias
    for key, spec in item.cards.items():
        found = stored.get(key)
        if found is None:
            alias = next(
                (
                    a
                    for a in key_aliases(spec)
                    if a in stored and a not in item.cards and a not in matched
                ),
                None,
            )
            if alias is not None:
                matched.add(alias)
                found = stored[alias]
        if found is None:
            new.append(spec)
        elif found[1] == text_of(spec):
            unchanged += 1
        else:
            changed.append((found[0], spec))
    missing = [
        card_id
        for key, (card_id, _) in stored.items()
        if key not in item.cards and key not in matched
    ]
    return _DeckPlan(item.name, new, changed, unchanged, missing)


def _preview(db: Database, inputs: list[DeckInput], prune: bool) -> tuple[list[_DeckPlan], bool]:
    """The plan of every deck as things stand, and whether carrying it out writes anything."""
    plans: list[_DeckPlan] = []
    writes = False
    for item in inputs:
        row = Deck.get_or_none(Deck.name == item.name)
        plan = _plan_deck(db, row.id if row else None, item)
        plans.append(plan)
        writes = writes or (
            row is None
            or bool(item.description and row.description != item.description)
            or bool(plan.new or plan.changed or (prune and plan.missing_ids))
        )
    return plans, writes


def _work(plans: list[_DeckPlan], prune: bool) -> int:
    """Rows an import writes: the denominator of its progress."""
    return sum(len(p.new) + len(p.changed) + (len(p.missing_ids) if prune else 0) for p in plans)


def _report(
    plans: list[_DeckPlan], inputs: list[DeckInput], problems: list[Problem]
) -> ImportReport:
    return ImportReport(
        added=sum(len(p.new) for p in plans),
        updated=sum(len(p.changed) for p in plans),
        unchanged=sum(p.unchanged for p in plans),
        missing=sum(len(p.missing_ids) for p in plans),
        skipped=len(problems),
        problems=tuple(describe_problem(p) for p in problems),
        media_cards=sum(1 for item in inputs for c in item.cards.values() if c.media),
        decks=tuple(item.name for item in inputs),
    )
