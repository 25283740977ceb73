"""Reading the rows of a CSV/TSV text: the delimiter guessed from a sample, the csv module over
the text's lines one at a time, and the one fault it would not report (a quote never closed).

Lines come from an iterator, so a file can be read as it is parsed: neither the whole file nor
the whole text is ever held (`text_input.read_lines`), and a text already in memory is not copied
(`text_lines`).
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator

from flashcards.errors import DeckError

SNIFF_CANDIDATES = ("\t", ",", ";", "|")
"""Delimiters we guess between, in order of preference when the evidence is equal."""
SNIFF_SAMPLE_CHARS = 256 * 1024
SNIFF_SAMPLE_ROWS = 50


def text_lines(text: str, start: int = 0) -> Iterator[str]:
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


def sniff(lines: Iterator[str]) -> tuple[str, Iterator[str]]:
    """Guess the delimiter from the first lines; the lines come back whole, the sample first."""
    sample_lines: list[str] = []
    size = 0
    for line in lines:
        sample_lines.append(line)
        size += len(line)
        if size >= SNIFF_SAMPLE_CHARS:
            break
    # (A quoted field may run past the cut; the row is then just ragged, which only lowers
    # that candidate's score a little.)
    sample = "".join(sample_lines)[:SNIFF_SAMPLE_CHARS]
    return _best_delimiter(sample), itertools.chain(sample_lines, lines)


def _best_delimiter(sample: str) -> str:
    """The candidate that splits most sample rows into a steady 2+ fields."""
    best, best_score = ",", (0.0, 0.0)
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


def read_rows(
    lines: Iterator[str], delimiter: str, first_line: int, source: str
) -> Iterator[tuple[int, list[str]]]:
    """Non-blank rows with the file line each starts on; csv errors become DeckErrors, and so
    does a quote never closed, once the rows run out.

    Until a line holds a quote (or is long enough for the csv module's field limit), a line
    is a row and its fields are what the csv reader would make of it, the line split at the
    delimiter (its lines hold no `\r`, which the readers translate, and no NUL, which they
    refuse): plain files are read without the csv module's per-line machinery. From the first
    such line on, the csv reader reads the rest (`csv_rows`).
    """
    limit = csv.field_size_limit()
    number = first_line - 1
    for line in lines:
        number += 1
        if '"' in line or len(line) > limit:
            yield from csv_rows(itertools.chain((line,), lines), delimiter, number, source)
            return
        row = (line[:-1] if line[-1:] == "\n" else line).split(delimiter)
        if row[0].strip() or any(cell.strip() for cell in row):
            yield number, row


def csv_rows(
    lines: Iterable[str], delimiter: str, first_line: int, source: str
) -> Iterator[tuple[int, list[str]]]:
    """`read_rows` through the csv reader.

    A quote never closed swallows the rest of the text, so it is always in the last record:
    only that record's lines are checked (`unterminated_quote_line`), not the whole text, and
    the rows before it are read as they come.
    """
    record: list[str] = []  # the lines of the record being read

    def recorded() -> Iterator[str]:
        for line in lines:
            record.append(line)
            yield line

    reader = csv.reader(recorded(), delimiter=delimiter)
    start, last, last_start = 1, "", 1
    try:
        for row in reader:
            if row and (row[0].strip() or any(cell.strip() for cell in row)):
                yield first_line + start - 1, row
            last, last_start = record[0] if len(record) == 1 else "".join(record), start
            record.clear()
            start = reader.line_num + 1
    except csv.Error as exc:
        # A field past the csv module's size limit is most often a quote never closed.
        _check_quotes("".join(record), delimiter, first_line + start - 1, source)
        raise DeckError(source, f"cannot read row: {exc}", first_line + start - 1) from None
    _check_quotes(last, delimiter, first_line + last_start - 1, source)


def _check_quotes(record: str, delimiter: str, line: int, source: str) -> None:
    """DeckError when the record starting on file line `line` opens a quote it never closes."""
    open_quote = unterminated_quote_line(record, delimiter) if '"' in record else None
    if open_quote is not None:
        where = line + open_quote - 1
        raise DeckError(source, 'a quoted field is never closed (a missing ")', where)
