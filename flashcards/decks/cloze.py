"""Cloze deletions in Anki's syntax: `{{c1::answer}}` or `{{c1::answer::hint}}`.

One note makes one card per deletion number; a card hides only its own number's deletions and
shows the others as plain text, as Anki does.
"""

from __future__ import annotations

import re

CLOZE_RE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.S)
"""One deletion: number, answer, optional hint. Non-greedy so `::` ends the answer."""

MAX_CLOZE_NUMBER = 500
"""Anki's own practical ceiling; a larger number is a typo, not a 10,000-card note."""


def cloze_numbers(text: str) -> list[int]:
    """The distinct deletion numbers (1 or more) in `text`, ascending."""
    if "{{c" not in text:  # most text has none: skip the regex (imports ask for every row)
        return []
    numbers = {int(m.group(1)) for m in CLOZE_RE.finditer(text)}
    return sorted(n for n in numbers if 1 <= n <= MAX_CLOZE_NUMBER)


def _append(segments: list[tuple[str, bool]], text: str, highlighted: bool) -> None:
    """Add a segment, merging it into the previous one when both have the same highlighting."""
    if not text:
        return
    if segments and segments[-1][1] == highlighted:
        segments[-1] = (segments[-1][0] + text, highlighted)
    else:
        segments.append((text, highlighted))


def render_cloze(text: str, ordinal: int, reveal: bool) -> list[tuple[str, bool]]:
    """Segments `(text, highlighted)` for the card of deletion `ordinal`.

    Hidden, this card's deletions read `[...]` (or `[hint]`); revealed, they show the answer.
    Either way they are highlighted so the eye finds them; other deletions are plain answers.
    """
    segments: list[tuple[str, bool]] = []
    pos = 0
    for match in CLOZE_RE.finditer(text):
        _append(segments, text[pos : match.start()], False)
        number, answer, hint = int(match.group(1)), match.group(2), match.group(3)
        if number == ordinal:
            shown = answer if reveal else f"[{hint}]" if hint else "[...]"
            _append(segments, shown, True)
        else:
            _append(segments, answer, False)
        pos = match.end()
    _append(segments, text[pos:], False)
    return segments


def cloze_answers(text: str, ordinal: int) -> list[str]:
    """The answers hidden on the card of deletion `ordinal`, in order (for typed cloze answers)."""
    return [m.group(2) for m in CLOZE_RE.finditer(text) if int(m.group(1)) == ordinal]
