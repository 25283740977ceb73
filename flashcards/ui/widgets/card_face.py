"""The card in the middle of the review screen: the question, and the answer once revealed.

It only displays Content it is given (built by `ui.formatting` from plain text), so card text can
never be taken for markup.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, VerticalScroll
from textual.content import Content
from textual.widgets import Rule, Static


class CardFace(VerticalScroll, can_focus=False):
    """Question on top, a rule, then the answer (and for typed cards what was typed).

    Not focusable, so Space and Enter always reach the review screen (long cards scroll with
    the mouse wheel).
    """

    DEFAULT_CSS = """
    CardFace {
        height: 1fr;
        align: center middle;
        & Static { width: auto; max-width: 100%; text-align: center; }
        & Center { height: auto; }
        & #question { text-style: bold; }
        & Rule.-horizontal { width: 60%; margin: 0; display: none; }
        & #answer, #typed { display: none; }
        &.-revealed Rule.-horizontal, &.-revealed #answer { display: block; }
        &.-typed #typed { display: block; margin-top: 1; }
    }
    """

    def compose(self) -> ComposeResult:
        with Center():
            yield Static(id="question")
        with Center():
            yield Rule(line_style="heavy")
        with Center():
            yield Static(id="answer")
        with Center():
            yield Static(id="typed")

    def show_question(self, question: Content) -> None:
        """Show a new card, answer hidden."""
        self.set_classes("")
        self.query_one("#question", Static).update(question)
        self.query_one("#answer", Static).update("")
        self.query_one("#typed", Static).update("")
        self.scroll_home(animate=False)

    def reveal(
        self, answer: Content, *, question: Content | None = None, typed: Content | None = None
    ) -> None:
        """Show the answer; cloze cards replace the question with the revealed text."""
        if question is not None:
            self.query_one("#question", Static).update(question)
        self.query_one("#answer", Static).update(answer)
        self.add_class("-revealed")
        if typed is not None:
            self.query_one("#typed", Static).update(typed)
            self.add_class("-typed")
