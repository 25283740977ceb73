"""The UI's one way in for untrusted text: deck names, card sides, tags, paths, error messages.

Such text may hold terminal controls (ESC opens OSC 52, which writes the clipboard, or OSC 0,
which sets the window title) and Rich/Textual markup (`[link=…]`, or `[/]`, which crashes a
markup parser). Textual passes ESC and C1 controls through to the terminal and parses a plain
`str` as markup in `Static`, `DataTable`, toasts and the command palette, so every widget gets
such text from here: cleaned by `flashcards.sanitize`, and wrapped so it is never parsed.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from flashcards.sanitize import clean, clean_line


def plain(text: object) -> Content:
    """Multi-line untrusted text (a card side) as Content: newlines kept, controls visible."""
    return Content(clean(text))


def plain_line(text: object) -> Content:
    """One line of untrusted text (a deck name, a path, a message) as Content."""
    return Content(clean_line(text))


def plain_cell(text: object, style: str = "") -> Text:
    """One line of untrusted text as a Rich `Text`, for `DataTable` cells (a `str` is markup)."""
    return Text(clean_line(text), style=style)
