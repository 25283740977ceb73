"""Presentation helpers: turn card data and numbers into what the screens show.

Card text always goes through `Content` built from cleaned plain strings (never markup), so a deck
whose cards contain `[bold]` or `[/]` shows those characters literally instead of styling or
crashing, and an ESC in a card shows as ␛ instead of reaching the terminal.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.content import Content

from flashcards.sanitize import clean, clean_line
from flashcards.scheduler import FOUR_BUTTONS, GRADE_WORDING, needs_drill
from flashcards.services.card_view import CardView
from flashcards.ui.plain import plain

if TYPE_CHECKING:
    from flashcards.decks.answer_check import AnswerCheck

SHORT_WORDING: dict[int, str] = {
    0: "Blackout",
    1: "Familiar",
    2: "Almost",
    3: "Difficult",
    4: "Hesitated",
    5: "Perfect",
}
"""Button-sized SM-2 grade names; the full wording (GRADE_WORDING) is in tooltips and help."""

NARROW_WORDING: dict[int, str] = {
    0: "Blank",
    1: "Wrong",
    2: "Almost",
    3: "Hard",
    4: "Good",
    5: "Easy",
}
"""The same, for screens under 100 columns (six buttons in 60): the four-button names where
they mean the same grade (Hard 3, Good 4, Easy 5)."""

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
        from flashcards.decks.cloze import render_cloze  # a cloze card's first paint only

        return _segments(render_cloze(card.front, card.ordinal, False))
    return plain(card.front)


def revealed_question(card: CardView) -> Content | None:
    """For cloze cards, the text with this card's deletions filled in; None for other kinds."""
    if card.kind != "cloze":
        return None
    from flashcards.decks.cloze import render_cloze

    return _segments(render_cloze(card.front, card.ordinal, True))


MAX_TAGS_SHOWN = 5
KIND_NAMES = {"basic": "basic", "cloze": "cloze", "type": "type the answer"}


def card_meta(card: CardView, deck_label: str = "") -> Content:
    """The quiet line above a card: its deck, its kind and its tags."""
    parts = [deck_label or card.deck, KIND_NAMES.get(card.kind, card.kind)]
    if card.queue == "drill":
        parts.append("drill")
    if card.tags:
        more = f" +{len(card.tags) - MAX_TAGS_SHOWN}" if len(card.tags) > MAX_TAGS_SHOWN else ""
        parts.append(" ".join(f"#{tag[:40]}" for tag in card.tags[:MAX_TAGS_SHOWN]) + more)
    return Content.assemble((clean_line(" · ".join(parts)), "dim"))


def answer_content(card: CardView) -> Content:
    """The answer side: the back (for cloze cards, the optional extra text)."""
    return plain(card.back)


DIFF_STYLES = {"wrong": "strike $error", "missing": "bold underline $success"}
MARK = "^"
"""Under a character that differs: the difference reads without colour (NO_COLOR) too."""
MARKED_WIDTH = 44
"""Marker rows only for lines this short: a wrapped line would put the marks under the wrong
characters, so longer answers are marked by strike-through and underline alone."""


def _marked(text: str, marks: tuple[bool, ...], style: str) -> tuple[Content, str]:
    """The text exactly as given, marked characters styled, and its marker row."""
    shown = clean(text)
    if len(shown) != len(text):  # cleaning changed lengths (controls made visible): no marks
        return Content(shown), ""
    parts, row, start = [], [], 0
    for i in range(1, len(text) + 1):  # one part per run of marked or unmarked characters
        if i == len(text) or marks[i] != marks[start]:
            run = shown[start:i]  # cleaned: an ESC typed or in the card shows as ␛
            parts.append((run, style if marks[start] else ""))
            row.append((MARK if marks[start] else " ") * cell_len(run))
            start = i
    return Content.assemble(*parts), "".join(row).rstrip()


def typed_answer_content(check: AnswerCheck, suggestion: str = "") -> Content:
    """What was typed, exactly, over the closest right answer, differences struck through
    (typed) or underlined (missing), with a row of ^ under each when the lines are short."""
    label_typed, label_answer = "You typed  ", "Answer     "
    indent = " " * len(label_typed)
    lines: list = []
    if check.typed.strip():
        typed, typed_row = _marked(check.typed, check.wrong, DIFF_STYLES["wrong"])
    else:
        typed, typed_row = Content.assemble(("(nothing typed)", "italic")), ""
    answer, answer_row = _marked(check.expected, check.missing, DIFF_STYLES["missing"])
    short = "\n" not in check.expected and max(typed.cell_length, answer.cell_length) <= (
        MARKED_WIDTH
    )
    lines.extend([(label_typed, "dim"), typed])
    if short and typed_row:
        lines.extend(["\n", indent, (typed_row, "bold $error")])
    lines.extend(["\n", (label_answer, "dim"), answer])
    if short and answer_row:
        lines.extend(["\n", indent, (answer_row, "bold $success")])
    if suggestion:
        lines.extend(["\n", (f"Suggested grade: {suggestion} (Enter accepts it)", "dim")])
    return Content.assemble(*lines)


def grade_effect(days: int, quality: int, drill: bool) -> str:
    """A grade button's second line: what the grade does to the card.

    In a drill (or cram) nothing is scheduled: 0-3 bring the card back once more today
    ('+today'), 4-5 end its drill ('done'). Otherwise the interval it would give, and '+today'
    when the card also comes back in today's drill (SM-2 step 6: grades below 4)."""
    if drill:
        return "+today" if needs_drill(quality) else "done"
    label = format_interval(days)
    return f"{label} +today" if needs_drill(quality) else label
