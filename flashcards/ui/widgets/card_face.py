"""The card in the middle of the review screen: a quiet line about the card, the question, and the
answer once revealed.

The card sits in a centred column of readable width (at most 80 columns); a short side is
centred, a paragraph left-aligned (centring each line of a paragraph makes it hard to read). A
card taller than the screen scrolls: the review screen binds the arrow and page keys to it.
Whether the answer shows is the screen's `-revealed` class, styled in app.tcss. The first frame
of a review holds the meta line and the question alone (cold start is a benchmark target): the
rule and the answer, hidden until a reveal, are mounted after it (`mount_answer`).

It only displays Content it is given (built by `ui.formatting` from plain text), so card text can
never be taken for markup.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widget import AwaitMount
from textual.widgets import Static

SHORT_TEXT = 56
"""Cells up to which a one-line side is centred: it fits the column at 60 columns."""


def _is_short(content: Content) -> bool:
    return "\n" not in content.plain and content.cell_length <= SHORT_TEXT


class CardFace(VerticalScroll, can_focus=False):
    """Meta line, question, a rule, then the answer (and for typed cards what was typed).

    Not focusable, so Space and Enter always reach the review screen; the screen scrolls it.
    """

    def __init__(self, meta: Content | None = None, question: Content | None = None) -> None:
        """Composed with the first card's meta line and question, so the first frame paints
        them as they are built rather than building empty lines and filling them in."""
        super().__init__()
        self._first = (meta or Content(""), question or Content(""))

    def compose(self) -> ComposeResult:
        meta, question = self._first
        aligned = "" if _is_short(question) else "-paragraph"  # the meta line with the question
        yield Static(meta, id="card-meta", classes=aligned)
        yield Static(question, id="question", classes=aligned)

    def mount_answer(self) -> AwaitMount:
        """The rule, the answer and (typed cards) what was typed, below the question."""
        from textual.widgets import Rule

        return self.mount(
            Rule(line_style="heavy", id="card-rule"), Static(id="answer"), Static(id="typed")
        )

    def _set(self, selector: str, content: Content) -> None:
        side = self.query_one(selector, Static)
        side.update(content)
        side.set_class(not _is_short(content), "-paragraph")

    def show_question(self, meta: Content, question: Content) -> None:
        """Show a new card, answer empty (the screen's class hides it anyway)."""
        self._set("#question", question)
        meta_line = self.query_one("#card-meta", Static)
        meta_line.update(meta)
        meta_line.set_class(not _is_short(question), "-paragraph")  # aligned with the question
        for side in self.query("#answer, #typed").results(Static):  # none at the first paint
            side.update("")
            side.remove_class("-paragraph")
        self.scroll_home(animate=False)

    def show_answer(
        self, answer: Content, *, question: Content | None = None, typed: Content | None = None
    ) -> None:
        """Fill in the answer; cloze cards replace the question with the revealed text."""
        if question is not None:
            self._set("#question", question)
        self._set("#answer", answer)
        self.query_one("#typed", Static).update(typed or "")
