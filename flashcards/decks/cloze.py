"""Cloze deletions in Anki's syntax: `{{c1::answer}}` or `{{c1::answer::hint}}`.

One note makes one card per deletion number; a card hides only its own number's deletions and
shows the others as plain text, as Anki does.

The text comes from other people's files and is rendered every time the card comes up, so it is
read by a hand-written scanner in linear time. It finds exactly what the regular expression
`\\{\\{c(\\d+)::(.*?)(?:::(.*?))?\\}\\}` (DOTALL) would, but that expression backtracks: one
100 KB card with an unclosed deletion took 80 s to render. Here every search moves forward:
each `str.find` starts after the previous match or stops at the next `}}`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

MAX_CLOZE_NUMBER = 500
"""Anki's own practical ceiling; a larger number is a typo, not a 10,000-card note."""
_MAX_NUMBER_DIGITS = 6
"""Longer digit runs (past leading zeros) are never a card's number; int() refuses 4,300."""


@dataclass(frozen=True)
class Deletion:
    """One `{{cN::answer::hint}}` in a text: where it is and what it holds (hint None: none)."""

    start: int
    end: int
    number: int  # -1 when the digits are too many to be a card's number
    answer: str
    hint: str | None


def deletions(text: str) -> Iterator[Deletion]:
    """Every deletion in `text`, left to right, non-overlapping, in linear time."""
    n = len(text)
    pos = text.find("{{c")
    while pos >= 0:
        digits_end = pos + 3
        while digits_end < n and text[digits_end].isdecimal():
            digits_end += 1
        body = digits_end + 2
        if digits_end == pos + 3 or not text.startswith("::", digits_end):
            pos = text.find("{{c", pos + 1)
            continue
        close = text.find("}}", body)
        if close < 0:  # no later start can close either: nothing more to find
            return
        sep = text.find("::", body, close)
        digits = text[pos + 3 : digits_end].lstrip("0") or "0"
        number = int(digits) if len(digits) <= _MAX_NUMBER_DIGITS else -1
        if sep >= 0:
            yield Deletion(pos, close + 2, number, text[body:sep], text[sep + 2 : close])
        else:
            yield Deletion(pos, close + 2, number, text[body:close], None)
        pos = text.find("{{c", close + 2)


def cloze_numbers(text: str) -> list[int]:
    """The distinct deletion numbers (1 or more) in `text`, ascending."""
    if "{{c" not in text:  # most text has none (imports ask for every row)
        return []
    numbers = {d.number for d in deletions(text)}
    return sorted(n for n in numbers if 1 <= n <= MAX_CLOZE_NUMBER)


def _merged(parts: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Join neighbouring parts of the same highlighting (once, not by repeated `+`)."""
    segments: list[tuple[str, bool]] = []
    run: list[str] = []
    for index, (text, highlighted) in enumerate(parts):
        run.append(text)
        if index + 1 == len(parts) or parts[index + 1][1] != highlighted:
            segments.append(("".join(run), highlighted))
            run = []
    return segments


def render_cloze(text: str, ordinal: int, reveal: bool) -> list[tuple[str, bool]]:
    """Segments `(text, highlighted)` for the card of deletion `ordinal`.

    Hidden, this card's deletions read `[...]` (or `[hint]`); revealed, they show the answer.
    Either way they are highlighted so the eye finds them; other deletions are plain answers.
    """
    parts: list[tuple[str, bool]] = []
    pos = 0
    for d in deletions(text):
        parts.append((text[pos : d.start], False))
        if d.number == ordinal:
            parts.append((d.answer if reveal else f"[{d.hint}]" if d.hint else "[...]", True))
        else:
            parts.append((d.answer, False))
        pos = d.end
    parts.append((text[pos:], False))
    return _merged([part for part in parts if part[0]])


def cloze_answers(text: str, ordinal: int) -> list[str]:
    """The answers hidden on the card of deletion `ordinal`, in order (for typed cloze answers)."""
    return [d.answer for d in deletions(text) if d.number == ordinal]
