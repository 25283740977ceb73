"""The row of grade buttons under the card, one per grade, each with the interval it would give.

In "six" mode the buttons are SM-2's grades 0-5; in "four" mode Again/Hard/Good/Easy, mapped to
q = 2/3/4/5 by `scheduler.FOUR_BUTTONS`. Buttons never take focus, so Enter and Space always mean
"show the answer" to the screen and a grade is given only by its digit key or by a click.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Button

from flashcards.scheduler import FOUR_BUTTONS
from flashcards.ui.formatting import FOUR_LABELS, SHORT_WORDING, grade_wording


@dataclass(frozen=True)
class Grade:
    """One button: the key that presses it, the q it gives and, in four mode, the button name."""

    key: str
    quality: int
    button: str | None
    label: str


def grades_for(mode: str) -> list[Grade]:
    """The grades of a grading mode, in the order they appear on screen."""
    if mode == "four":
        return [
            Grade(str(i), q, name, FOUR_LABELS[name])
            for i, (name, q) in enumerate(FOUR_BUTTONS.items(), start=1)
        ]
    return [Grade(str(q), q, None, SHORT_WORDING[q]) for q in range(6)]


class GradeButton(Button, can_focus=False):
    """A grade button that keeps focus where it was (see the module docstring)."""


class GradeBar(Horizontal):
    """The grade buttons; disabled until the answer is shown."""

    DEFAULT_CSS = """
    GradeBar {
        height: 4;
        & GradeButton { width: 1fr; min-width: 8; height: 4; margin: 0; }
    }
    """

    @dataclass
    class Graded(Message):
        """A grade button was clicked."""

        grade: Grade

    def __init__(self, mode: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.grades = grades_for(mode)

    def compose(self) -> ComposeResult:
        for grade in self.grades:
            button = GradeButton(
                self._label(grade, None), id=f"grade-{grade.key}", disabled=True, compact=False
            )
            button.tooltip = f"{grade.key}: q={grade.quality}, {grade_wording(grade.quality)}"
            yield button

    @staticmethod
    def _label(grade: Grade, interval: str | None) -> Content:
        head = Content.assemble((grade.key, "bold"), " ", grade.label)
        return Content.assemble(head, "\n", (interval or " ", "dim"))

    def grade_for_key(self, key: str) -> Grade | None:
        """The grade a digit key stands for in this mode (None: not a grade key here)."""
        return next((g for g in self.grades if g.key == key), None)

    def show_intervals(self, intervals: dict[int, str]) -> None:
        """Label each button with the interval its q would give, and enable them all."""
        for grade in self.grades:
            button = self.query_one(f"#grade-{grade.key}", GradeButton)
            button.label = self._label(grade, intervals.get(grade.quality))
            button.disabled = False
            button.variant = "default"

    def hide_intervals(self) -> None:
        """Back to the question: no intervals, nothing clickable."""
        for grade in self.grades:
            button = self.query_one(f"#grade-{grade.key}", GradeButton)
            button.label = self._label(grade, None)
            button.disabled = True
            button.variant = "default"

    def preselect(self, grade: Grade | None) -> None:
        """Mark a suggested grade (typed answers) so Enter accepts it."""
        for g in self.grades:
            self.query_one(f"#grade-{g.key}", GradeButton).variant = (
                "primary" if g == grade else "default"
            )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        key = (event.button.id or "").removeprefix("grade-")
        grade = self.grade_for_key(key)
        if grade is not None:
            self.post_message(self.Graded(grade))
