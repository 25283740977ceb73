"""CSV and TSV decks, including Anki's "Notes in Plain Text" export with its `#key:value` headers.

Plain files are columns front, back and (optionally) space-separated tags, with or without a
`front,back,tags` header row; the delimiter is sniffed unless given. Anki's headers say what each
column means (deck, tags, guid, note type), and we import the rows as Anki meant them.
"""

from __future__ import annotations

import csv
import functools
import html
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from flashcards.decks.anki_notes import NOTE_TYPES, group_notes
from flashcards.decks.cloze import cloze_numbers
from flashcards.decks.html_text import (
    has_media,
    html_to_text,
    looks_like_html,
    media_placeholder,
)
from flashcards.decks.keys import derive_key, group_decks
from flashcards.decks.limits import MAX_FIELD_CHARS, Budget, check_key, shown
from flashcards.decks.spec import CardSpec, DeckSpec, ParsedFile, Problem
from flashcards.decks.text_input import decode_text
from flashcards.errors import DeckError

SNIFF_CANDIDATES = ("\t", ",", ";", "|")
"""Delimiters we guess between, in order of preference when the evidence is equal."""
SNIFF_SAMPLE_CHARS = 256 * 1024
SNIFF_SAMPLE_ROWS = 50

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
_HEADER_ROWS = ({"front", "back"}, {"front", "back", "tags"})


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


def _read_anki_headers(lines: Iterable[str], source: str) -> tuple[AnkiHeaders, int]:
    """Parse leading `#key:value` lines; return the headers and how many lines they took."""
    headers = AnkiHeaders()
    count = 0
    for line in lines:
        match = _ANKI_HEADER_RE.match(line.rstrip("\r\n"))
        if not match:
            break
        count += 1
        headers.present = True
        key, value = match.group(1).lower(), match.group(2).strip()
        if key == "separator":
            sep = ANKI_SEPARATORS.get(value.lower(), value)
            if len(sep) != 1 or sep in '"\r\n':
                raise DeckError(source, f"unsupported #separator {shown(value)}", count)
            headers.separator = sep
        elif key == "html":
            if value.lower() not in ("true", "false"):
                raise DeckError(source, f"#html must be true or false, not {shown(value)}", count)
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
                raise DeckError(source, message, count)
            setattr(headers, key.replace(" ", "_"), int(value) - 1)
    return headers, count


def _sniff(body: str) -> str:
    """Guess the delimiter: the candidate that splits most sample rows into a steady 2+ fields."""
    best, best_score = ",", (0.0, 0.0)
    # The sample rows lie near the top: do not copy a whole large file once per candidate.
    # (A quoted field may run past the cut; the row is then just ragged, which only lowers
    # that candidate's score a little.)
    sample = body[:SNIFF_SAMPLE_CHARS]
    for delimiter in SNIFF_CANDIDATES:
        try:
            reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
            rows = [r for r in itertools.islice(reader, SNIFF_SAMPLE_ROWS) if r]
        except csv.Error:
            continue
        if not rows:
            continue
        counts = [len(r) for r in rows]
        usable = sum(c >= 2 for c in counts) / len(rows)
        modal = max(counts.count(c) for c in set(counts)) / len(rows)
        score = (usable, modal if usable else 0.0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def unterminated_quote_line(body: str, delimiter: str) -> int | None:
    """The line of a quoted field that the text never closes, or None.

    Python's csv reader (not strict) would take the rest of the file as that one field, so a
    missing quote turned 1,001 rows into one card. This follows the reader's rules (a quote
    opens a field only at its start; `""` inside is a quote) in one forward pass: each `find`
    starts where the last one ended, or reuses a position found earlier.
    """
    n, i = len(body), 0
    next_delim = next_newline = -1
    while i < n:
        if body[i] == '"':  # at the start of a field: a quoted field
            j = i + 1
            while True:
                close = body.find('"', j)
                if close < 0:
                    return body.count("\n", 0, i) + 1
                if body.startswith('""', close):
                    j = close + 2
                    continue
                i = close + 1
                break
        # the rest of the field (after a closing quote, text is kept as it is): to its end
        if next_delim < i:
            next_delim = body.find(delimiter, i)
            next_delim = n if next_delim < 0 else next_delim
        if next_newline < i:
            next_newline = body.find("\n", i)
            next_newline = n if next_newline < 0 else next_newline
        i = min(next_delim, next_newline) + 1
    return None


def _lines(text: str, start: int = 0) -> Iterator[str]:
    """The text's lines from offset `start`, each with its `\\n`, one at a time.

    What the csv reader reads: `io.StringIO(text)` would first copy the whole file into a
    buffer of four bytes a character (about 100 MB for a 25 MB file of 200,000 cards).
    """
    n = len(text)
    while start < n:
        end = text.find("\n", start)
        end = n if end < 0 else end + 1
        yield text[start:end]
        start = end


def _rows(
    body: str, delimiter: str, first_line: int, source: str
) -> Iterator[tuple[int, list[str]]]:
    """Non-blank rows with the file line each starts on; csv errors become DeckErrors."""
    reader = csv.reader(_lines(body), delimiter=delimiter)
    start = 1
    try:
        for row in reader:
            if row and (row[0].strip() or any(cell.strip() for cell in row)):
                yield first_line + start - 1, row
            start = reader.line_num + 1
    except csv.Error as exc:
        raise DeckError(source, f"cannot read row: {exc}", first_line + start - 1) from None


def _clean(raw: str, html: bool | None) -> str:
    """A field as terminal text: HTML converted when the file says so or when it looks like HTML."""
    if html or (html is None and looks_like_html(raw)):
        return html_to_text(raw)
    return raw.strip()


def _note_cards(
    fields: list[str],
    tags: tuple[str, ...],
    notetype: str | None,
    guid: str | None,
    where: str,
    media: bool,
) -> list[CardSpec]:
    """The cards of one row: cloze, reversed or typed by note type name, else basic.

    Every field is kept: a cloze note's text is the field holding the deletions (the first one,
    wherever it is, as in a custom cloze type of Header/Text/Extra) and its other fields are the
    extra shown after the answer; other notes ask the first field and answer with the second,
    then every further field (but the "Add Reverse" flag of an optional reversed type).
    """
    kind_name = (notetype or "").casefold()
    if notetype is None:
        is_cloze = bool(cloze_numbers(fields[0]))
    else:
        is_cloze = "cloze" in kind_name or (
            not kind_name.startswith("basic") and any(cloze_numbers(f) for f in fields)
        )
    if is_cloze:
        at = next((i for i, f in enumerate(fields) if cloze_numbers(f)), 0)
        text = fields[at]
        if not text:
            raise ValueError("empty front")
        numbers = cloze_numbers(text)
        if not numbers:
            raise ValueError("cloze note has no deletion like {{c1::answer}}")
        extra = "\n".join(f for i, f in enumerate(fields) if i != at and f)
        return [
            CardSpec(
                check_key(f"{guid}::{n - 1}" if guid else f"{derive_key(text)}::c{n}"),
                "cloze",
                text,
                extra,
                tags,
                n,
                where,
                media,
            )
            for n in numbers
        ]
    front = fields[0]
    optional = "revers" in kind_name and "optional" in kind_name
    rest = [f for f in fields[3 if optional else 2 :] if f]
    back = "\n".join([fields[1], *rest] if len(fields) > 1 and fields[1] else rest)
    if not front:
        raise ValueError("empty front")
    reverse = "revers" in kind_name and (not optional or (len(fields) > 2 and bool(fields[2])))
    kind = "type" if "type in" in kind_name or "type-in" in kind_name else "basic"
    if kind == "type" and not back:
        raise ValueError("a typed-answer card needs the answer in its second field")
    key = check_key(f"{guid}::0" if guid else derive_key(front))
    cards = [CardSpec(key, kind, front, back, tags, 0, where, media)]
    if reverse:
        if not back:
            raise ValueError("a reversed note needs a back")
        rkey = check_key(f"{guid}::1" if guid else f"{key}::reverse")
        rfront = fields[1] or back
        rback = "\n".join([front, *rest]) if fields[1] else front
        cards.append(CardSpec(rkey, "basic", rfront, rback, tags, 0, where, media))
    return cards


def parse_delimited(
    data: bytes,
    source: str,
    delimiter: str | None = None,
    deck_name: str | None = None,
    budget: Budget | None = None,
) -> ParsedFile:
    """Parse CSV/TSV bytes (UTF-8 or UTF-16 with BOM) into decks; bad rows become Problems with
    their line, an unterminated quote a DeckError with the line it opens on.

    `delimiter` None means: Anki's `#separator` if present, else sniffed. `deck_name` names the
    deck for rows without a deck column (default: the file name without its extension).
    `budget` counts the cards against the import's limits (a fresh one when None).
    """
    budget = budget if budget is not None else Budget()
    text = decode_text(data, source)
    default_deck = deck_name or PurePath(source).stem or "Imported"
    headers, skip = _read_anki_headers(_lines(text), source)
    # The body is the text after the header lines (no copy of a file without any), not a
    # list of its lines joined back: at 200,000 cards those copies were most of the memory.
    offset = 0
    for _ in range(skip):
        offset = text.find("\n", offset) + 1 or len(text)
    body = text[offset:] if offset else text
    del text
    sep = delimiter or headers.separator or _sniff(body)
    open_quote = unterminated_quote_line(body, sep)
    if open_quote is not None:
        raise DeckError(source, 'a quoted field is never closed (a missing ")', skip + open_quote)
    columns = headers.raw_columns.split(sep) if headers.raw_columns else None
    if columns and headers.tags_column is None:
        lowered = [c.strip().casefold() for c in columns]
        if "tags" in lowered:
            headers.tags_column = lowered.index("tags")

    cards_by_deck: dict[str, list[CardSpec]] = {}
    problems: list[Problem] = []
    first_row = True
    for line, row in _rows(body, sep, skip + 1, source):
        where = f"{source}:{line}"
        if first_row and not headers.present:
            first_row = False
            if {c.strip().casefold() for c in row} in _HEADER_ROWS and len(row) <= 3:
                continue
        first_row = False
        try:
            deck, cards = _row_cards(row, headers, where)
        except ValueError as exc:
            problems.append(Problem(where, str(exc)))
            continue
        for card in cards:
            budget.charge(source, card)
        cards_by_deck.setdefault(deck or default_deck, []).extend(cards)
    decks, dupes = group_decks(cards_by_deck)
    if not decks:
        decks = (DeckSpec(default_deck, "", ()),)
    return ParsedFile(decks, tuple(problems + dupes))


def _cell(row: list[str], index: int | None) -> str:
    """The stripped cell at `index`, or "" when the column is absent or the row too short."""
    return row[index].strip() if index is not None and index < len(row) else ""


def _plain(field: str) -> bool:
    """Text with nothing the general path would act on: no HTML, entity, media or cloze."""
    return not ("<" in field or "&" in field or "[sound:" in field or "{{c" in field)


def _plain_card(row: list[str], where: str) -> CardSpec:
    """The card of a plain front/back[/tags] row of plain text: what the general path below
    makes of it (a basic card keyed by its front), without its checks for HTML, media, cloze
    deletions and Anki note types, which most rows of the biggest files never need."""
    front, back = row[0].strip(), row[1].strip()
    if not front:
        raise ValueError("empty front")
    if not back:
        raise ValueError("empty back")
    tags = _tags((), _cell(row, 2))
    return CardSpec(check_key(derive_key(front)), "basic", front, back, tags, 0, where, False)


@functools.lru_cache(maxsize=4096)
def _tags(header_tags: tuple[str, ...], cell: str) -> tuple[str, ...]:
    """The row's tags after the file's; rows mostly repeat a few tag cells, and sharing one
    tuple for each saves a tuple and its strings per card (about 30 MB at 200,000 cards)."""
    return tuple(dict.fromkeys((*header_tags, *cell.split())))


def _row_cards(row: list[str], headers: AnkiHeaders, where: str) -> tuple[str, list[CardSpec]]:
    """The deck name and cards for one row, or ValueError saying why the row is unusable."""
    for cell in row:
        if len(cell) > MAX_FIELD_CHARS:
            raise ValueError(f"a field is longer than {MAX_FIELD_CHARS:,} characters")
    if not headers.present and 2 <= len(row) <= 3 and _plain(row[0]) and _plain(row[1]):
        return "", [_plain_card(row, where)]
    if headers.present:
        special = headers.special_columns()
        raw_fields = [c for i, c in enumerate(row) if i not in special]
        if not raw_fields:
            raise ValueError("row has no note fields")
        tag_cell = _cell(row, headers.tags_column)
        deck = _cell(row, headers.deck_column) or headers.deck or ""
        notetype = _cell(row, headers.notetype_column) or headers.notetype
        guid = _cell(row, headers.guid_column) or None
    else:
        if len(row) < 2:
            raise ValueError(
                f"expected front and back, found {len(row)} field; is the delimiter right?"
            )
        raw_fields, tag_cell, deck, notetype, guid = row[:2], _cell(row, 2), "", None, None
    tags = _tags(headers.tags, tag_cell)
    media = any(has_media(f) for f in raw_fields)
    fields = [_clean(f, headers.html) for f in raw_fields]
    if not fields[0] and has_media(raw_fields[0]):
        fields[0] = media_placeholder(raw_fields[0])  # a question that is only an image
    if not headers.present and fields[0] and not fields[1] and not cloze_numbers(fields[0]):
        raise ValueError("empty back")
    return deck, _note_cards(fields, tags, notetype, guid, where, media)


def write_csv(decks: DeckSpec | Sequence[DeckSpec]) -> str:
    """The decks as Anki's "Notes in Plain Text": the `#` header lines Anki reads (separator,
    HTML, columns, and which columns hold the guid, note type, deck and tags), then one row per
    note of Anki's stock note types (Basic, Basic (and reversed card), Cloze with its extra,
    Basic (type in the answer)), fields as HTML.

    Anki imports it with the right separator and note types, and updates the notes of the same
    guid; we read it back to the same text (keys in Anki's `guid::N` form, which a re-import
    matches to the stored cards). Progress is not in it: export an .apkg for that.
    """
    decks = [decks] if isinstance(decks, DeckSpec) else list(decks)
    deck_of = {id(card): deck.name for deck in decks for card in deck.cards}
    out = io.StringIO()
    out.write(
        "#separator:comma\n#html:true\n#columns:Guid,Notetype,Deck,Front,Back,Tags\n"
        "#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:6\n"
    )
    writer = csv.writer(out, lineterminator="\n")
    for note in group_notes(card for deck in decks for card in deck.cards):
        home = deck_of[id(next(iter(note.cards.values())))]
        writer.writerow(
            [
                note.guid,
                NOTE_TYPES[note.kind],
                home,
                *(_field_html(f) for f in note.fields),
                " ".join(note.tags),
            ]
        )
    return out.getvalue()


def _field_html(text: str) -> str:
    """Plain text as an HTML field: escaped, line breaks as <br>."""
    return html.escape(text, quote=False).replace("\n", "<br>")
