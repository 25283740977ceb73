"""CSV and TSV decks, including Anki's "Notes in Plain Text" export with its `#key:value` headers.

Plain files are columns front, back and (optionally) space-separated tags, with or without a
`front,back,tags` header row; the delimiter is sniffed unless given. Anki's headers say what each
column means (deck, tags, guid, note type), and we import the rows as Anki meant them.

The rows are read one at a time from the text's lines (`delimited_rows`), made into cards
(`delimited_cards`) and handed out a batch of rows at a time as plain tuples (`iter_delimited`),
so the importer can write a big file in chunks without holding it or making an object a card;
`parse_delimited` collects them as CardSpecs for a text in memory.
"""

from __future__ import annotations

import csv
import html
import io
import itertools
from collections.abc import Iterator, Sequence
from pathlib import PurePath

from flashcards.decks.anki_notes import NOTE_TYPES, group_notes
from flashcards.decks.anki_text_headers import find_tags_column, read_anki_headers
from flashcards.decks.delimited_cards import (
    HEADER_ROWS,
    CardRow,
    card_row,
    plain_batch,
    row_cards,
)
from flashcards.decks.delimited_rows import read_rows, sniff, text_lines
from flashcards.decks.keys import group_decks
from flashcards.decks.limits import Budget
from flashcards.decks.spec import CardSpec, DeckSpec, ParsedFile, Problem
from flashcards.decks.text_input import decode_text


def default_deck_name(source: str, deck_name: str | None) -> str:
    """The deck of rows without a deck column: the one given, else the file's name."""
    return deck_name or PurePath(source).stem or "Imported"


BATCH_ROWS = 5000
"""Rows read before their cards are handed out (`iter_delimited`)."""


def iter_delimited(
    lines: Iterator[str],
    source: str,
    problems: list[Problem],
    delimiter: str | None = None,
    deck_name: str | None = None,
    budget: Budget | None = None,
    every_row_in: str | None = None,
) -> Iterator[tuple[str, list[CardRow]]]:
    """The cards of the usable rows as the lines are read, a batch at a time with the deck
    they go into (a batch: up to BATCH_ROWS rows of one deck, a row's cards together); a bad
    row is appended to `problems` (with its line), a file-level fault raises its DeckError.

    Keys are not checked for uniqueness here (the caller sees every card; `parse_delimited`
    does it per deck). `delimiter` None means: Anki's `#separator` if present, else sniffed.
    `deck_name` names the deck for rows without a deck column (default: the file name without
    its extension). `budget` counts the cards against the import's limits. `every_row_in`
    puts every row into that deck (stripped), deck column or not.
    """
    budget = budget if budget is not None else Budget()
    default_deck = default_deck_name(source, deck_name)
    forced = every_row_in.strip() if every_row_in is not None else None
    headers, skip, first = read_anki_headers(lines, source)
    body = lines if first is None else itertools.chain((first,), lines)
    sep = delimiter or headers.separator
    if sep is None:
        sep, body = sniff(body)
    find_tags_column(headers, sep)
    rows = read_rows(body, sep, skip + 1, source)
    if not headers.present:  # every row goes to one deck: plain batches (`plain_batch`)
        deck, first_row = forced or default_deck, True
        for line, row in rows:
            if first_row:
                first_row = False
                if len(row) <= 3 and {c.strip().casefold() for c in row} in HEADER_ROWS:
                    continue  # a first row naming the columns
            # `row` is the batch's first; the batch takes the rest from the same iterator.
            batch = plain_batch(
                itertools.chain(((line, row),), rows), BATCH_ROWS, headers, source, problems, budget
            )
            if batch:
                yield deck, batch
        return
    run: list[CardRow] = []
    run_deck, run_rows = "", 0
    for line, row in rows:
        where = f"{source}:{line}"
        try:
            deck, cards = row_cards(row, headers, where)
        except ValueError as exc:
            problems.append(Problem(where, str(exc)))
            continue
        for card in cards:
            budget.charge(source, card)
        deck = forced or deck or default_deck
        if run and (deck != run_deck or run_rows >= BATCH_ROWS):
            yield run_deck, run
            run, run_rows = [], 0
        run_deck, run_rows = deck, run_rows + 1
        run.extend(card_row(card, line) for card in cards)
    if run:
        yield run_deck, run


def parse_delimited(
    data: bytes,
    source: str,
    delimiter: str | None = None,
    deck_name: str | None = None,
    budget: Budget | None = None,
) -> ParsedFile:
    """Parse CSV/TSV bytes (UTF-8 or UTF-16 with BOM) into decks; bad rows become Problems with
    their line, an unterminated quote a DeckError with the line it opens on. The arguments are
    `iter_delimited`'s; a key repeated within a deck is a Problem."""
    text = decode_text(data, source)
    cards_by_deck: dict[str, list[CardSpec]] = {}
    problems: list[Problem] = []
    tag_tuples: dict[str, tuple[str, ...]] = {}  # rows mostly repeat a few tag cells
    for deck, rows in iter_delimited(
        text_lines(text), source, problems, delimiter, deck_name, budget
    ):
        cards = cards_by_deck.setdefault(deck, [])
        for key, kind, front, back, tags, ordinal, line, media in rows:
            shared = tag_tuples.get(tags)
            if shared is None:
                shared = tag_tuples[tags] = tuple(tags.split())
            cards.append(
                CardSpec(key, kind, front, back, shared, ordinal, f"{source}:{line}", media)
            )
    del text
    decks, dupes = group_decks(cards_by_deck)
    if not decks:
        decks = (DeckSpec(default_deck_name(source, deck_name), "", ()),)
    return ParsedFile(decks, tuple(problems + dupes))


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
