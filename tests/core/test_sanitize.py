"""The one output sanitiser: no control character but newline and tab survives `clean`."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flashcards.sanitize import clean, clean_line, has_control


@pytest.mark.parametrize(
    ("raw", "multi", "single"),
    [
        ("plain", "plain", "plain"),
        ("\x1b]0;title\x07", "␛]0;title␇", "␛]0;title␇"),  # OSC 0: the terminal's title
        ("\x1b]52;c;aGk=\x07", "␛]52;c;aGk=␇", "␛]52;c;aGk=␇"),  # OSC 52: the clipboard
        ("\x1b[2J", "␛[2J", "␛[2J"),  # CSI 2J: clear the screen
        ("\x9b2J\x9d8;;x\x9c", "\ufffd2J\ufffd8;;x\ufffd", "\ufffd2J\ufffd8;;x\ufffd"),  # C1
        ("a\tb", "a\tb", "a b"),
        ("a\nb", "a\nb", "a␤b"),
        ("a\r\nb", "a\nb", "a␤b"),  # CR LF is a line break
        ("a\rb", "a␍b", "a␍b"),  # a lone CR would move the cursor back over the line
        ("\x00\x7f", "␀␡", "␀␡"),
        ("[link=x]y[/]", "[link=x]y[/]", "[link=x]y[/]"),  # markup stays plain text
        ("café ∑ 日本", "café ∑ 日本", "café ∑ 日本"),
    ],
)
def test_clean_shows_controls_as_placeholders(raw: str, multi: str, single: str) -> None:
    assert clean(raw) == multi
    assert clean_line(raw) == single


@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_nothing_but_newline_and_tab_survives(text: str) -> None:
    out = clean(text)
    assert not has_control(out)
    assert all(ch in "\n\t" or not (ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0) for ch in out)
    line = clean_line(text)
    assert all(not (ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0) for ch in line)
