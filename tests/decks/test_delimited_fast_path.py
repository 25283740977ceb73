"""The plain-row fast path of the CSV/TSV reader makes exactly the cards (and problems) the
general path makes of the same rows."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.decks import delimited_cards
from flashcards.decks.delimited import parse_delimited

# Plain text plus the characters the general path reacts to, so both paths get exercised.
FIELD = st.text(alphabet=st.sampled_from(list("ab Z\u00e9\u00df\u2028 <>&[{}c:1")), max_size=12)
ROW = st.lists(FIELD, min_size=1, max_size=4)


def _both(rows: list[list[str]], monkeypatch: pytest.MonkeyPatch):
    data = "\n".join("\t".join(row) for row in rows).encode()
    fast = parse_delimited(data, "deck.tsv", "\t")
    with monkeypatch.context() as patched:
        patched.setattr(delimited_cards, "_plain", lambda _field: False)
        general = parse_delimited(data, "deck.tsv", "\t")
    return fast, general


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
    ],
)
def test_fast_path_matches_the_general_path(rows, monkeypatch):
    fast, general = _both(rows, monkeypatch)
    assert fast == general


@settings(max_examples=60, deadline=None)
@given(st.lists(ROW, min_size=1, max_size=6))
def test_fast_path_matches_the_general_path_for_any_rows(rows):
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast, general = _both(rows, monkeypatch)
    assert fast == general
