"""Choosing a parser for a file: by its first bytes where they are telling, else by extension.

Content wins over the name for zip archives (an .apkg renamed .txt is still a zip); the
extension wins for text formats, since a CSV cell may well contain "[deck]".
"""

from __future__ import annotations

import datetime
import io
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flashcards.decks.apkg import MAX_MEMBER_BYTES, parse_apkg
from flashcards.decks.delimited import iter_delimited, parse_delimited
from flashcards.decks.keys import drop_duplicate_keys
from flashcards.decks.limits import Budget
from flashcards.decks.reading import (
    STDIN_SOURCE,
    is_stdin,
    open_regular,
    read_bounded,
    read_stdin,
)
from flashcards.decks.spec import CardSpec, DeckSpec, ParsedFile, Problem
from flashcards.decks.text_input import read_lines
from flashcards.decks.toml_format import parse_toml_bytes
from flashcards.errors import DeckError

FORMATS = ("toml", "csv", "tsv", "apkg")
MAX_TEXT_FILE_BYTES = 64 * 1024 * 1024
"""Largest TOML/CSV/TSV file we read into memory; decks are kilobytes, this is a safety net."""
HEAD_BYTES = 4096
_EXTENSIONS = {
    ".toml": "toml",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".apkg": "apkg",
    ".colpkg": "apkg",
}
DECK_SUFFIXES = frozenset(_EXTENSIONS)
"""File name endings of deck files, for pickers that show only those (the import dialog)."""
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_DECK_TABLE_RE = re.compile(r"^[ \t]*\[[ \t]*deck[ \t]*\]", re.M)


def detect_format(path: Path, head: bytes) -> str:
    """ "toml", "csv", "tsv" or "apkg" from the file's first bytes and its extension."""
    if head.startswith(_ZIP_MAGICS):
        return "apkg"
    by_extension = _EXTENSIONS.get(path.suffix.lower())
    if by_extension:
        return by_extension
    text = head.decode("utf-8", "replace").removeprefix("\ufeff")
    if _DECK_TABLE_RE.search(text):
        return "toml"
    if re.search(r"^#separator:(tab|\t)", text, re.M | re.I):
        return "tsv"
    first_data = next((ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")), "")
    return "tsv" if "\t" in first_data else "csv"


def _rename(parsed: ParsedFile, deck_name: str) -> ParsedFile:
    """All the file's cards in one deck called `deck_name` (keys re-checked for uniqueness)."""
    cards = [card for deck in parsed.decks for card in deck.cards]
    kept, dupes = drop_duplicate_keys(cards)
    description = parsed.decks[0].description if len(parsed.decks) == 1 else ""
    return ParsedFile(
        (DeckSpec(deck_name, description, tuple(kept)),),
        parsed.problems + tuple(dupes),
        parsed.media,
    )


def parse_file(
    path: Path,
    fmt: str | None = None,
    deck_name: str | None = None,
    with_scheduling: bool = True,
    today: datetime.date | None = None,
    budget: Budget | None = None,
    stdin: BinaryIO | None = None,
) -> ParsedFile:
    """Parse any supported deck file; `fmt` None means detect, `deck_name` renames every deck.

    `path` `-` (or `/dev/stdin`) reads standard input (or `stdin`), which needs a `fmt`.
    `today` is passed to the .apkg reader (a fallback due day for imported progress); `budget`
    carries the import's card and character limits across its files.
    """
    budget = budget if budget is not None else Budget()
    if deck_name is not None and not deck_name.strip():
        raise DeckError(str(path), "the deck name given is empty")
    if fmt is not None and fmt.lower() not in FORMATS:
        raise DeckError(str(path), f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if is_stdin(path):
        if fmt is None:
            raise DeckError(
                STDIN_SOURCE, f"reading standard input needs --format ({', '.join(FORMATS)})"
            )
        fmt = fmt.lower()
        limit = MAX_MEMBER_BYTES if fmt == "apkg" else MAX_TEXT_FILE_BYTES
        data = read_stdin(limit, stdin)
        default_deck = deck_name or "Imported"
        if fmt == "apkg":
            parsed = parse_apkg(io.BytesIO(data), STDIN_SOURCE, with_scheduling, today, budget)
        else:
            parsed = _parse_text(data, STDIN_SOURCE, fmt, default_deck, budget)
    else:
        path = Path(path)
        source = str(path)
        with open_regular(path, source) as handle:
            try:
                head = handle.read(HEAD_BYTES)
            except OSError as exc:
                raise DeckError(source, f"cannot be read: {exc.strerror or exc}") from None
            fmt = fmt.lower() if fmt else detect_format(path, head)
            handle.seek(0)
            if fmt == "apkg":
                parsed = parse_apkg(handle, source, with_scheduling, today, budget)
            else:
                data = read_bounded(handle, MAX_TEXT_FILE_BYTES, source, "the file")
                parsed = _parse_text(data, source, fmt, deck_name, budget)
    return _rename(parsed, deck_name.strip()) if deck_name is not None else parsed


def _parse_text(
    data: bytes, source: str, fmt: str, deck_name: str | None, budget: Budget
) -> ParsedFile:
    """A TOML, CSV or TSV deck from its bytes."""
    if fmt == "toml":
        return parse_toml_bytes(data, source, budget)
    delimiter = "\t" if fmt == "tsv" else None
    return parse_delimited(data, source, delimiter, deck_name=deck_name, budget=budget)


def streamed_format(path: Path, fmt: str | None = None) -> str | None:
    """ "csv" or "tsv" when `path` is a regular file read as one, which can then be imported as
    it is read (`open_delimited`); else None: standard input, another format, or a file that
    `parse_file` will refuse with its message."""
    if is_stdin(path):
        return None
    if fmt is None:
        try:
            with open_regular(Path(path), str(path)) as handle:
                fmt = detect_format(Path(path), handle.read(HEAD_BYTES))
        except (DeckError, OSError):
            return None
    fmt = fmt.lower()
    return fmt if fmt in ("csv", "tsv") else None


@dataclass(frozen=True)
class DelimitedFile:
    """An open CSV/TSV file: each row's cards and their deck, read as they are taken."""

    rows: Iterator[tuple[str, list[CardSpec]]]
    size: int
    position: Callable[[], int]  # bytes read so far, for progress


@contextmanager
def open_delimited(
    path: Path,
    fmt: str,
    problems: list[Problem],
    deck_name: str | None = None,
    budget: Budget | None = None,
) -> Iterator[DelimitedFile]:
    """A CSV or TSV file (`streamed_format`) opened to be read row by row: `parse_file`'s
    checks and limits, without holding the file. `deck_name` puts every card into that deck;
    keys are not checked for uniqueness (the importer does it per deck, as it writes)."""
    source = str(path)
    if deck_name is not None and not deck_name.strip():
        raise DeckError(source, "the deck name given is empty")
    with open_regular(Path(path), source) as handle:
        lines = read_lines(handle, MAX_TEXT_FILE_BYTES, source)
        delimiter = "\t" if fmt == "tsv" else None
        rows = iter_delimited(
            lines, source, problems, delimiter, deck_name, budget, every_row_in=deck_name
        )
        size = os.fstat(handle.fileno()).st_size
        yield DelimitedFile(rows, size, handle.tell)
