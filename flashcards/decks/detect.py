"""Choosing a parser for a file: by its first bytes where they are telling, else by extension.

Content wins over the name for zip archives (an .apkg renamed .txt is still a zip); the
extension wins for text formats, since a CSV cell may well contain "[deck]".
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from flashcards.decks.apkg import parse_apkg
from flashcards.decks.delimited import parse_delimited
from flashcards.decks.keys import drop_duplicate_keys
from flashcards.decks.spec import DeckSpec, ParsedFile
from flashcards.decks.toml_format import parse_toml_bytes
from flashcards.errors import DeckError

FORMATS = ("toml", "csv", "tsv", "apkg")
MAX_TEXT_FILE_BYTES = 64 * 1024 * 1024
"""Largest TOML/CSV/TSV file we read into memory; decks are kilobytes, this is a safety net."""
HEAD_BYTES = 4096
_EXTENSIONS = {".toml": "toml", ".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".apkg": "apkg",
               ".colpkg": "apkg"}
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_DECK_TABLE_RE = re.compile(r"^[ \t]*\[[ \t]*deck[ \t]*\]", re.M)


def detect_format(path: Path, head: bytes) -> str:
    """"toml", "csv", "tsv" or "apkg" from the file's first bytes and its extension."""
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
    first_data = next((ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")),
                      "")
    return "tsv" if "\t" in first_data else "csv"


def _read_head(path: Path, source: str) -> bytes:
    """The first bytes of a file, with missing files and directories reported by name."""
    if not path.exists():
        raise DeckError(source, "no such file")
    if path.is_dir():
        raise DeckError(source, "is a directory, not a deck file")
    try:
        with path.open("rb") as handle:
            return handle.read(HEAD_BYTES)
    except OSError as exc:
        raise DeckError(source, f"cannot be read: {exc.strerror or exc}") from None


def _read_text_file(path: Path, source: str) -> bytes:
    """A whole text deck file, refused when unreasonably large."""
    try:
        if path.stat().st_size > MAX_TEXT_FILE_BYTES:
            raise DeckError(source, f"is larger than {MAX_TEXT_FILE_BYTES:,} bytes; refusing it")
        return path.read_bytes()
    except OSError as exc:
        raise DeckError(source, f"cannot be read: {exc.strerror or exc}") from None


def _rename(parsed: ParsedFile, deck_name: str) -> ParsedFile:
    """All the file's cards in one deck called `deck_name` (keys re-checked for uniqueness)."""
    cards = [card for deck in parsed.decks for card in deck.cards]
    kept, dupes = drop_duplicate_keys(cards)
    description = parsed.decks[0].description if len(parsed.decks) == 1 else ""
    return ParsedFile((DeckSpec(deck_name, description, tuple(kept)),),
                      parsed.problems + tuple(dupes))


def parse_file(
    path: Path,
    fmt: str | None = None,
    deck_name: str | None = None,
    with_scheduling: bool = True,
    today: datetime.date | None = None,
) -> ParsedFile:
    """Parse any supported deck file; `fmt` None means detect, `deck_name` renames every deck.

    `today` is passed to the .apkg reader (a fallback due day for imported progress).
    """
    path = Path(path)
    source = str(path)
    head = _read_head(path, source)
    fmt = fmt.lower() if fmt else detect_format(path, head)
    if fmt not in FORMATS:
        raise DeckError(source, f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if deck_name is not None and not deck_name.strip():
        raise DeckError(source, "the deck name given is empty")
    if fmt == "apkg":
        parsed = parse_apkg(path, source, with_scheduling, today)
    elif fmt == "toml":
        parsed = parse_toml_bytes(_read_text_file(path, source), source)
    else:
        delimiter = "\t" if fmt == "tsv" else None
        parsed = parse_delimited(_read_text_file(path, source), source, delimiter,
                                 deck_name=deck_name)
    return _rename(parsed, deck_name.strip()) if deck_name is not None else parsed
