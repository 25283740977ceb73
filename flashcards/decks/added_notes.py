"""Notes typed in for `flashcards add DECK -`: TOML `[[cards]]` tables or tab-separated lines.

Pure: text in, `(where, table)` pairs out, each table a `[[cards]]` table that `note_specs`
turns into cards, so a note read here is checked exactly as a deck file's card is.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from flashcards.errors import DeckError

_CARDS_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*cards[ \t]*\]\]", re.MULTILINE)


def is_toml_cards(text: str) -> bool:
    """True when the text holds `[[cards]]` tables (else it is read as tab-separated lines)."""
    return _CARDS_HEADER.search(text) is not None


def parse_added_notes(
    text: str, source: str, kind: str = "basic", tags: tuple[str, ...] = ()
) -> list[tuple[str, dict[str, Any]]]:
    """The notes in `text`: TOML `[[cards]]` tables, or lines `FRONT<TAB>BACK[<TAB>TAGS]`
    (blank lines and lines starting with `#` skipped) of type `kind`.

    `tags` go on every note that names none. A TOML syntax error is a DeckError with its line.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if is_toml_cards(text):
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            line = getattr(exc, "lineno", None)
            raise DeckError(source, f"invalid TOML: {exc}", line) from None
        except RecursionError:
            raise DeckError(source, "invalid TOML: tables are nested too deeply") from None
        cards = data.get("cards")
        if not isinstance(cards, list):
            raise DeckError(source, "'cards' must be an array of tables ([[cards]])")
        notes = []
        for number, table in enumerate(cards, start=1):
            if isinstance(table, dict) and tags and "tags" not in table:
                table = {**table, "tags": list(tags)}
            notes.append((f"{source}: card {number}", table))
        return notes
    notes = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        front, back, own_tags = _cells(line)
        notes.append((f"{source}:{number}", note_table(kind, front, back, (*tags, *own_tags))))
    return notes


def _cells(line: str) -> tuple[str, str, tuple[str, ...]]:
    front, _, rest = line.partition("\t")
    back, _, tag_cell = rest.partition("\t")
    return front, back, tuple(tag_cell.split())


def note_table(kind: str, front: str, back: str = "", tags: tuple[str, ...] = ()) -> dict[str, Any]:
    """A note as a `[[cards]]` table: for a cloze note `front` is its text, `back` its extra."""
    table: dict[str, Any] = {"type": kind}
    table["text" if kind == "cloze" else "front"] = front
    if back or kind != "cloze":
        table["back"] = back
    merged: list[str] = []
    for tag in tags:
        if tag not in merged:
            merged.append(tag)
    if merged:
        table["tags"] = merged
    return table
