"""The CSV/TSV reader splits plain lines itself (`delimited_rows.read_rows`) until a line that
needs the csv module: the rows, their lines and the faults are the csv reader's all the same."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.decks.delimited_rows import csv_rows, read_rows, text_lines
from flashcards.errors import DeckError

# Lines as the readers hand them out: no NUL and no CR (translated), quotes now and then.
TEXT = st.text(alphabet=st.sampled_from(list('ab \t,;|"é\n')), max_size=60)


def _rows(reader, text: str, delimiter: str) -> list[tuple[int, list[str]]] | str:
    try:
        return list(reader(text_lines(text), delimiter, 3, "f.tsv"))
    except DeckError as exc:
        return str(exc)


@pytest.mark.parametrize(
    "text",
    [
        "a\tb\n\n\t\nc\td\te\n",
        "a\tb\nno newline at the end",
        'plain\tfirst\n"quoted\tfield"\tx\nafter\tit\n',
        'plain\trow\n"open\tquote\nnever\tclosed\n',
        "x" * 200_000 + "\tlong\n",
    ],
)
def test_split_rows_are_the_csv_readers(text: str) -> None:
    assert _rows(read_rows, text, "\t") == _rows(csv_rows, text, "\t")


@settings(max_examples=150, deadline=None)
@given(TEXT, st.sampled_from(["\t", ",", ";", "|"]))
def test_split_rows_are_the_csv_readers_for_any_text(text: str, delimiter: str) -> None:
    assert _rows(read_rows, text, delimiter) == _rows(csv_rows, text, delimiter)
