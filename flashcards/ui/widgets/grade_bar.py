"""The row of grade buttons under the card, one per grade, each saying what it would do.

In "six" mode the buttons are SM-2's grades 0-5; in "four" mode Again/Hard/Good/Easy, mapped to
q = 2/3/4/5 by `scheduler.FOUR_BUTTONS`. Buttons never take focus, so Enter and Space always mean
"show the answer" to the screen and a grade is given only by its digit key or by a click.

Each button holds its long and its short name; the stylesheet shows one or the other by the
screen's width class (`-narrow` under 100 columns), so six buttons fit in 60 columns.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from flashcards.scheduler import FOUR_BUTTONS
from flashcards.settings import GradingMode
from flashcards.ui.formatting import FOUR_LABELS, NARROW_WORDING, SHORT_WORDING, grade_wording


@dataclass(frozen=True)
class Grade:
    """One button: the key that presses it, the q it gives and, in four mode, the button name."""

    key: str
    quality: int
    button: str | None
    label: str
    short: str


def grades_for(mode: GradingMode) -> list[Grade]:
    """The grades of a grading mode, in the order they appear on screen."""
    if mode == GradingMode.FOUR:
        return [
            Grade(str(i), q, name, FOUR_LABELS[name], FOUR_LABELS[name])
            for i, (name, q) in enumerate(FOUR_BUTTONS.items(), start=1)
        ]
    return [Grade(str(q), q, None, SHORT_WORDING[q], NARROW_WORDING[q]) for q in range(6)]


class GradeButton(Vertical, can_focus=False):
    """A grade: its key and name (long and short), and what it would do (an interval)."""

    def __init__(self, grade: Grade) -> None:
        super().__init__(id=f"grade-{grade.key}", classes="grade-button")
        self.grade = grade
        self.tooltip = f"{grade.key}: q={grade.quality}, {grade_wording(grade.quality)}"

    def compose(self) -> ComposeResult:
        key = (self.grade.key, "bold")
        yield Static(Content.assemble(key, " ", self.grade.label), classes="long")
        yield Static(Content.assemble(key, " ", self.grade.short), classes="short")
        yield Static(" ", classes="interval")

    def show_effect(self, effect: str) -> None:
        """The second line: the interval this grade gives, or what it does in a drill."""
        self.query_one(".interval", Static).update(effect)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(GradeBar.Graded(self.grade))


class GradeBar(Horizontal):
    """The grade buttons; the screen shows the bar only once the answer is shown."""

    @dataclass
    class Graded(Message):
        """A grade button was clicked."""

        grade: Grade

    def __init__(self, mode: GradingMode, **kwargs) -> None:
        super().__init__(**kwargs)
        self.grades = grades_for(mode)

    def compose(self) -> ComposeResult:
        for grade in self.grades:
            yield GradeButton(grade)

    def grade_for_key(self, key: str) -> Grade | None:
        """The grade a digit key stands for in this mode (None: not a grade key here)."""
        return next((g for g in self.grades if g.key == key), None)

    def show_effects(self, effects: dict[int, str], suggested: Grade | None) -> None:
        """Label each button with what its q would do; mark a suggested grade (typed answers)
        so Enter accepts it."""
        for button in self.query(GradeButton):
            button.show_effect(effects.get(button.grade.quality, " "))
            button.set_class(button.grade == suggested, "-suggested")
