"""What every import path shares: the report, the refusal over invalid cards, and the rows a
card is compared by and written as."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from peewee import DataError, OperationalError

from flashcards.decks.keys import note_key
from flashcards.decks.spec import CardSpec, Problem
from flashcards.errors import UserError
from flashcards.scheduler import START_EASINESS
from flashcards.services.collection import Collection
from flashcards.storage.database import describe_error


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, for a dry run, would do), summed over every deck it touched."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    missing: int = 0  # in the deck but no longer in the files (deleted when pruning)
    skipped: int = 0  # invalid cards left out with skip_invalid
    problems: tuple[str, ...] = ()  # "file:line: message", one per skipped card
    media_cards: int = 0  # cards whose fields referred to images or sounds
    media_files: int = 0  # new media contents stored in the collection
    decks: tuple[str, ...] = ()  # the decks the files went into, in file order


def check_problems(
    problems: list[Problem], files: list[str], *, skip_invalid: bool, prune: bool
) -> None:
    """Refuse the import over invalid cards, unless told to skip them (and not to prune).

    `files` are the sources given to the parser; the summary names those with problems.
    """
    if not problems:
        return
    lines = [describe_problem(p) for p in problems]
    if not skip_invalid:
        files = [f for f in files if any(p.source.startswith(f) for p in problems)] or files
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        head = f"{count} in {', '.join(files)}; nothing imported (--skip-invalid imports the rest)"
        raise UserError("\n".join([head, *lines]))
    if prune:
        raise UserError(
            f"{len(problems)} invalid card(s) would be skipped, and --prune would then delete "
            "the stored cards they stand for; fix the file or leave out --prune\n"
            + "\n".join(lines)
        )


def describe_problem(problem: Problem) -> str:
    """`file:line: message`."""
    return f"{problem.source}: {problem.message}"


def text_of(spec: CardSpec) -> tuple:
    """What a re-import compares, in the order of `card_import.TEXT_COLUMNS`."""
    return (spec.kind, spec.front, spec.back, " ".join(spec.tags), spec.ordinal)


def new_rows(deck_id: int, specs: list[CardSpec], stamp: str) -> Iterator[tuple]:
    """New cards as rows in `card_import.INSERT_FIELDS` order: the file's progress, or a new
    card's. Made one at a time as the insert takes them, never all at once (some 50 MB at
    200,000 cards)."""
    for s in specs:
        sched = s.scheduling
        if sched is None:
            state: tuple = (0, 0, START_EASINESS, None, 0, False, None)
        else:
            state = (
                sched.repetitions,
                sched.interval,
                sched.easiness,
                sched.due,
                sched.lapses,
                sched.suspended,
                sched.buried_until,
            )
        yield (
            deck_id,
            s.key,
            note_key(s.key, s.kind),
            s.kind,
            s.front,
            s.back,
            " ".join(s.tags),
            s.ordinal,
            *state,
            stamp,
            stamp,
        )


@contextmanager
def database_errors(col: Collection) -> Iterator[None]:
    """What the database refuses during an import, as a one-line UserError (the transaction
    has rolled back by then, so nothing is imported)."""
    try:
        yield
    except OperationalError as exc:  # busy, read-only, disk full: rolled back, one line
        raise describe_error(exc, col.target or "the collection") from None
    except DataError as exc:  # a value the parsers let through but the server refuses
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UserError(
            f"a value in the file(s) does not fit the collection ({first}); nothing imported"
        ) from None
