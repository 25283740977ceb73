"""Presentation helpers: turn card data and numbers into what the screens show.

Card text always goes through `Content` built from cleaned plain strings (never markup), so a deck
whose cards contain `[bold]` or `[/]` shows those characters literally instead of styling or
crashing, and an ESC in a card shows as ␛ instead of reaching the terminal.
"""

from __future__ import annotations

import datetime as dt

from textual.content import Content

from flashcards.decks.answer_check import diff_answer
from flashcards.decks.cloze import render_cloze
from flashcards.sanitize import clean
from flashcards.scheduler import FOUR_BUTTONS, GRADE_WORDING, needs_drill
from flashcards.services.session_types import CardView
from flashcards.ui.plain import plain

SHORT_WORDING: dict[int, str] = {
    0: "Blackout",
    1: "Familiar",
    2: "Almost",
    3: "Difficult",
    4: "Hesitated",
    5: "Perfect",
}
"""Button-sized SM-2 grade names; the full wording (GRADE_WORDING) is in tooltips and help."""

FOUR_LABELS: dict[str, str] = {name: name.capitalize() for name in FOUR_BUTTONS}

HIGHLIGHT = "bold reverse"
"""Cloze deletions: reverse video reads on every theme, light or dark, and in monochrome."""


def grade_wording(quality: int) -> str:
    """The full SM-2 wording of a grade, for tooltips and help."""
    return GRADE_WORDING[quality]


def button_for_quality(quality: int) -> str:
    """The four-button name closest to an SM-2 grade (for preselecting a suggestion)."""
    if quality <= 2:
        return "again"
    return {3: "hard", 4: "good"}.get(quality, "easy")


def format_interval(days: int) -> str:
    """'today', '1d', '6d', '3mo', '1.5y': short enough for a grade button."""
    if days <= 0:
        return "today"
    if days < 60:
        return f"{days}d"
    if days < 365 * 2:
        return f"{round(days / 30)}mo"
    return f"{days / 365:.1f}y"


def format_seconds(seconds: float) -> str:
    """'45s', '3m 05s', '1h 02m' for the session summary."""
    total = int(round(seconds))
    if total < 60:
        return f"{total}s"
    minutes, secs = divmod(total, 60)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


def format_date(day: dt.date | None, today: dt.date) -> str:
    """A due date relative to today: 'tomorrow', 'in 5 days (2026-03-07)', or 'none'."""
    if day is None:
        return "no cards scheduled"
    delta = (day - today).days
    if delta <= 0:
        return f"today ({day.isoformat()})"
    if delta == 1:
        return f"tomorrow ({day.isoformat()})"
    return f"in {delta} days ({day.isoformat()})"


def _segments(parts: list[tuple[str, bool]]) -> Content:
    return Content.assemble(*((clean(text), HIGHLIGHT if hi else "") for text, hi in parts))


def question_content(card: CardView) -> Content:
    """The question side: the front, or the cloze text with this card's deletions hidden."""
    if card.kind == "cloze":
        return _segments(render_cloze(card.front, card.ordinal, False))
    return plain(card.front)


def revealed_question(card: CardView) -> Content | None:
    """For cloze cards, the text with this card's deletions filled in; None for other kinds."""
    if card.kind != "cloze":
        return None
    return _segments(render_cloze(card.front, card.ordinal, True))


def answer_content(card: CardView) -> Content:
    """The answer side: the back (for cloze cards, the optional extra text)."""
    return plain(card.back)


DIFF_STYLES = {"same": "", "missing": "bold underline $success", "extra": "strike $error"}


def typed_answer_content(typed: str, expected: str, suggestion: str = "") -> Content:
    """What was typed against the right answer: extra characters struck, missing underlined."""
    if typed.strip():
        segments = diff_answer(typed, expected)
        diff = Content.assemble(*((clean(text), DIFF_STYLES[tag]) for text, tag in segments))
    else:
        diff = Content.assemble(("(nothing typed)", "italic"))
    parts: list = [("You typed: ", "dim"), diff]
    if suggestion:
        parts.extend(["\n", (f"Suggested grade: {suggestion} (Enter accepts it)", "dim")])
    return Content.assemble(*parts)


def interval_label(days: int, quality: int) -> str:
    """A grade button's second line: the interval, and '+today' when the card also comes back
    in today's drill (SM-2 step 6: grades below 4). Drills and cram preview 0: 'today'."""
    label = format_interval(days)
    return f"{label} +today" if days > 0 and needs_drill(quality) else label
