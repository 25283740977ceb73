"""The `#key:value` lines at the top of Anki's "Notes in Plain Text" export: what each column of
the rows below them means (separator, HTML, deck, note type, tags, guid)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from flashcards.decks.limits import shown
from flashcards.errors import DeckError

ANKI_SEPARATORS = {
    "tab": "\t",
    "comma": ",",
    "semicolon": ";",
    "pipe": "|",
    "space": " ",
    "colon": ":",
}
_ANKI_HEADER_RE = re.compile(
    r"^#(separator|html|columns|deck|notetype|tags|deck column|notetype column|tags column|"
    r"guid column):(.*)$",
    re.I,
)


@dataclass
class AnkiHeaders:
    """What the `#key:value` lines at the top of an Anki text export said (columns 0-based)."""

    separator: str | None = None
    html: bool | None = None
    columns: list[str] | None = None
    deck: str | None = None
    notetype: str | None = None
    tags: tuple[str, ...] = ()
    deck_column: int | None = None
    notetype_column: int | None = None
    tags_column: int | None = None
    guid_column: int | None = None
    present: bool = False
    raw_columns: str | None = field(default=None, repr=False)

    def special_columns(self) -> set[int]:
        """Columns that carry metadata rather than note fields."""
        cols = (self.deck_column, self.notetype_column, self.tags_column, self.guid_column)
        return {c for c in cols if c is not None}


def read_anki_headers(lines: Iterator[str], source: str) -> tuple[AnkiHeaders, int, str | None]:
    """Parse leading `#key:value` lines: the headers, how many lines they took, and the first
    line after them (already taken from `lines`; None at the end of the text)."""
    headers = AnkiHeaders()
    count = 0
    for line in lines:
        match = _ANKI_HEADER_RE.match(line.rstrip("\r\n"))
        if not match:
            return headers, count, line
        count += 1
        headers.present = True
        _apply(headers, match.group(1).lower(), match.group(2).strip(), source, count)
    return headers, count, None


def _apply(headers: AnkiHeaders, key: str, value: str, source: str, line: int) -> None:
    """One header line's meaning set on `headers`; DeckError for a value Anki would not write."""
    if key == "separator":
        sep = ANKI_SEPARATORS.get(value.lower(), value)
        if len(sep) != 1 or sep in '"\r\n':
            raise DeckError(source, f"unsupported #separator {shown(value)}", line)
        headers.separator = sep
    elif key == "html":
        if value.lower() not in ("true", "false"):
            raise DeckError(source, f"#html must be true or false, not {shown(value)}", line)
        headers.html = value.lower() == "true"
    elif key == "columns":
        headers.raw_columns = value
    elif key == "deck":
        headers.deck = value
    elif key == "notetype":
        headers.notetype = value
    elif key == "tags":
        headers.tags = tuple(dict.fromkeys(value.split()))
    else:
        if not (value.isascii() and value.isdigit() and len(value) <= 6) or int(value) < 1:
            message = f"#{key} must be a column number from 1, not {shown(value)}"
            raise DeckError(source, message, line)
        setattr(headers, key.replace(" ", "_"), int(value) - 1)


def find_tags_column(headers: AnkiHeaders, sep: str) -> None:
    """Take the tags column from a `#columns` line naming one, when no `#tags column` did."""
    columns = headers.raw_columns.split(sep) if headers.raw_columns else None
    if columns and headers.tags_column is None:
        lowered = [c.strip().casefold() for c in columns]
        if "tags" in lowered:
            headers.tags_column = lowered.index("tags")
