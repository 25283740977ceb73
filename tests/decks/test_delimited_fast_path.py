"""The plain-row fast path of the CSV/TSV reader makes exactly the cards (and problems) the
general path makes of the same rows.

Only rows of two or three columns (front, back, tags) take the fast path; the reader ignores
any column after the tags, so the same rows with a fourth, empty column are read by the
general path, through the public parser alone."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.decks.delimited import parse_delimited

# Plain text plus the characters the general path reacts to, so both paths get exercised.
# ASCII controls (\x0b, \x1c: whitespace to `str.split`) and spaces for the keys' ASCII shortcut.
FIELD = st.text(
    alphabet=st.sampled_from(list("ab Z\u00e9\u00df\u2028 <>&[{}c:1\x0b\x1c\x7f")), max_size=12
)
ROW = st.lists(FIELD, min_size=1, max_size=4)


HEADER = ["front", "back"]  # a first row naming the columns is skipped, wide rows or not


def _read(rows: list[list[str]]):
    data = "\n".join("\t".join(row) for row in [HEADER, *rows]).encode()
    return parse_delimited(data, "deck.tsv", "\t")


def _both(rows: list[list[str]]):
    """What the reader makes of the rows, and of the same rows widened to four columns (a row
    of one field stays as it is: it is refused either way, saying how many fields it has)."""
    wide = [row + [""] * (4 - len(row)) if len(row) >= 2 else row for row in rows]
    return _read(rows), _read(wide)


@pytest.mark.parametrize(
    "rows",
    [
        [["front", "back"]],
        [["  front ", " back  ", " t1 t2 t1 "]],
        [["front", ""]],
        [["", "back"]],
        [["front", "back", "tags", "extra"]],
        [["<b>front</b>", "back"], ["a & b", "c"], ["{{c1::x}}", ""], ["q", "[sound:a.mp3]"]],
        [["same", "1"], ["Same", "2"]],
        [["Vertical\x0btab", "1"], ["file\x1cseparator", "2"], ["two  spaces", "3"]],
    ],
)
def test_fast_path_matches_the_general_path(rows):
    fast, general = _both(rows)
    assert fast == general


@settings(max_examples=60, deadline=None)
@given(st.lists(ROW, min_size=1, max_size=6))
def test_fast_path_matches_the_general_path_for_any_rows(rows):
    fast, general = _both(rows)
    assert fast == general
