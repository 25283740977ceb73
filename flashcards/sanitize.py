"""The one sanitiser for text that came from a deck, a file or the database.

Such text is untrusted: an ESC in a deck name can set the terminal's title, write the clipboard
(OSC 52) or clear the screen, and a C1 control (U+0080..U+009F) does the same on terminals that
honour 8-bit controls. Every printer and widget passes foreign text through `clean` (multi-line
text: newline and tab kept) or `clean_line` (one line: table cells, names, toasts) before it
reaches the terminal. Controls are shown as visible placeholders (ESC as ␛) rather than dropped,
so a hostile name still looks different from an honest one.

The result is still *text*, never markup: a widget wraps it in `Text`/`Content`, never in a
markup string. `str.translate` with a prebuilt table keeps this linear and cheap.
"""

from __future__ import annotations

# C0 controls become the Unicode "Control Pictures" (U+2400 + code: ␀ … ␟), DEL becomes ␡, and
# C1 controls, which have no pictures, become U+FFFD (the replacement character).
_BASE: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}
_BASE[0x7F] = "\u2421"
_BASE.update({code: "\ufffd" for code in range(0x80, 0xA0)})

_MULTI_LINE = {k: v for k, v in _BASE.items() if k not in (0x09, 0x0A)}
_ONE_LINE = {**_BASE, 0x09: " ", 0x0A: "\u2424"}  # tab as a space, newline as ␤
_MULTI_LINE_TABLE = str.maketrans(_MULTI_LINE)
_ONE_LINE_TABLE = str.maketrans(_ONE_LINE)


def clean(text: object) -> str:
    """`text` as a string safe to print: newlines and tabs kept, every other control visible.

    A CR LF pair is a line break, not a control: it is folded to a newline first."""
    s = str(text)
    if "\r\n" in s:
        s = s.replace("\r\n", "\n")
    return s.translate(_MULTI_LINE_TABLE)


def clean_line(text: object) -> str:
    """`text` as one safe line: newlines shown as ␤, tabs as a space, every control visible."""
    s = str(text)
    if "\r\n" in s:
        s = s.replace("\r\n", "\n")
    return s.translate(_ONE_LINE_TABLE)


def has_control(text: str) -> bool:
    """Whether `text` holds a control character other than newline and tab (for tests/checks)."""
    return any(ord(ch) in _MULTI_LINE for ch in text)
