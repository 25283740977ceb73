"""The review screen: one card at a time, reveal and grade (the session's other changes are in
`ui/review_changes.py`).

The screen owns presentation and timing only: the `StudySession` it is given decides the queue and
writes every answer before `answer()` returns. Answer time is UI timing, so it is measured here
with the app's `timer` (`time.monotonic` unless a test injects one) from the moment a card is
shown to the moment it is graded.

The first paint is the card's meta line and question alone (cold start is a benchmark target):
the answer, the progress line, the images, the typed-answer box, the grade bar and the footer
are mounted right after it, and on a quick start the app's stylesheet is read then too
(ARCHITECTURE.md, "A style the review's first frame needs"). Given a
`first` card and a `load` instead of a session (`flashcards review`, see `ui/quick_start.py`), the
screen paints that card, then loads the session, and shows the session's first card if the
collection changed in between; no key but leaving acts before the session is there.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from flashcards.errors import UserError
from flashcards.services.card_view import CardView
from flashcards.settings import GradingMode
from flashcards.ui.formatting import card_meta, question_content
from flashcards.ui.heap import settle
from flashcards.ui.review_changes import CRAM_REFUSAL, TOAST_SECONDS, SessionChanges
from flashcards.ui.widgets.card_face import CardFace

if TYPE_CHECKING:
    from textual.widgets import Input

    from flashcards.services.media import CardMedia as CardFiles
    from flashcards.services.study import StudySession
    from flashcards.ui.widgets.grade_bar import Grade, GradeBar

__all__ = ["CRAM_REFUSAL", "TOAST_SECONDS", "ReviewScreen"]


class ReviewScreen(SessionChanges, Screen[None]):
    """Reviews the cards of one `StudySession` until it is empty or the user leaves.

    `revealed` (the answer is showing) and `typing` (the card asks for a typed answer) are
    reactives that set the screen's `-revealed` and `-typing` classes; app.tcss shows and hides
    the answer, the typed-answer box and the grade bar from them. The footer shows only the keys
    that work in the current state (`check_action`)."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    AUTO_FOCUS = ""  # the typed-answer box is focused only for `type` cards (show_card)
    BINDINGS = [
        Binding("space,enter", "reveal", "Show answer", id="reveal"),
        Binding("enter", "accept", "Accept", id="accept"),
        *(Binding(str(d), f"grade('{d}')", f"Grade {d}", show=False) for d in range(6)),
        Binding("down", "scroll_card('down')", "Scroll", key_display="↑↓", id="scroll"),
        *(
            Binding(key, f"scroll_card('{key}')", "Scroll", show=False)
            for key in ("up", "pageup", "pagedown", "home", "end")
        ),
        Binding("u", "undo", "Undo", id="undo"),
        Binding("b", "bury", "Bury", id="bury"),
        Binding("exclamation_mark", "suspend", "Suspend", key_display="!", id="suspend"),
        # In cram the two keys above are shown disabled; pressed, these say why.
        Binding("b,exclamation_mark", "cram_refusal", "", show=False),
        Binding("e", "edit", "Edit", id="edit"),
        Binding("E", "edit_in_editor", "Edit in $EDITOR", show=False, id="edit-in-editor"),
        Binding("p", "play", "Play sound", id="play"),
        Binding("q,escape", "leave", "Back", id="leave"),
    ]

    revealed: reactive[bool] = reactive(False, bindings=True)
    typing: reactive[bool] = reactive(False)

    def __init__(
        self,
        session: StudySession | None,
        grading: GradingMode = GradingMode.SIX,
        *,
        lenient: bool = True,
        timer: Callable[[], float] = time.monotonic,
        first: CardView | None = None,
        load: Callable[[], StudySession] | None = None,
        images: bool = True,
    ) -> None:
        """`session`, or (None) the `first` card to paint and `load` to get the session; with
        `images` False (a collection with no media) the card's images are not drawn, so the
        image libraries need not be loaded."""
        super().__init__()
        assert session is not None or (first is not None and load is not None)
        self.session = session  # type: ignore[assignment]  (None until `load` gave it)
        self._first = first
        self._load = load
        self.images = images
        self.ready = False  # every widget mounted and the session there
        self._reveal_when_ready = False
        self.grading = grading
        self.lenient = lenient
        self.timer = timer
        self.card: CardView | None = None
        self.done = 0
        self.suggested: Grade | None = None
        self._shown_at = 0.0
        self._finished = False
        self.stale = False  # the card shown was answered, and the next could not be read yet
        self.media: CardFiles | None = None  # the images and sounds of the visible sides

    def watch_revealed(self, revealed: bool) -> None:
        self.set_class(revealed, "-revealed")

    def watch_typing(self, typing: bool) -> None:
        self.set_class(typing, "-typing")

    def compose(self) -> ComposeResult:
        card = self._first if self.session is None else self.session.current()
        if card is None:
            yield CardFace()
        else:
            yield CardFace(card_meta(card), question_content(card))

    def on_mount(self) -> None:
        if self._first is not None:
            self._shown_at = self.timer()  # the answer time starts when the card is painted
        self.call_after_refresh(self._complete)

    async def _complete(self) -> None:
        """After the first paint: the session (when it was not given), then every other widget
        (the footer alone took ~80 ms to build), then the session's current card in full."""
        from textual.widgets import Footer, Input

        from flashcards.ui.widgets.grade_bar import GradeBar
        from flashcards.ui.widgets.session_progress import SessionProgress

        if self.session is None:
            assert self._load is not None
            try:
                self.session = self._load()
            except UserError:
                return  # the app is exiting with the message
        if not self.is_attached:
            return  # left at the first paint: the app is exiting, nothing more is shown
        face = self.query_one(CardFace)
        await face.mount_answer()
        await self.mount(SessionProgress(), before=face)
        if self.images:
            from flashcards.ui.widgets.card_media import CardMedia

            await self.mount(CardMedia(), after=face)
        await self.mount(
            Input(placeholder="Type the answer, then Enter", id="typed-answer"),
            GradeBar(self.grading),
            Footer(compact=True),
        )
        self.ready = True
        shown_at = self._shown_at
        first = self._first
        self.show_card(self.session.current())
        if first is not None and self.card is not None and self.card.id == first.id:
            self._shown_at = shown_at  # the answer time started with the first paint
        if self._reveal_when_ready:
            self.action_reveal()
        settle()  # the start's objects frozen: later collector passes skip them (`heap.py`)

    # -- showing ------------------------------------------------------------------------------

    @property
    def grade_bar(self) -> GradeBar:
        from flashcards.ui.widgets.grade_bar import GradeBar

        return self.query_one(GradeBar)

    def _deck_label(self) -> str:
        name = self.session.deck or "All decks"
        return f"Cram: {name}" if self.session.cram else name

    def _finish(self) -> None:
        """Hand the session to the app (summary or back), once."""
        if not self._finished:
            self._finished = True
            from flashcards.ui.navigation import ReviewFinished

            self.post_message(ReviewFinished(self.session))

    def show_card(self, card: CardView | None) -> None:
        """Show a card's question (or hand over to the summary when the session is done)."""
        self.card = card
        self.stale = False
        self.revealed = False
        self.suggested = None
        from textual.widgets import Input

        from flashcards.ui.widgets.session_progress import SessionProgress

        self.query_one(SessionProgress).show(self._deck_label(), self.session.counts(), self.done)
        if card is None:
            self._finish()
            return
        self.query_one(CardFace).show_question(card_meta(card), question_content(card))
        self._show_media(card.front)
        self.typing = card.kind == "type"
        answer_input = self.query_one("#typed-answer", Input)
        if self.typing:
            answer_input.value = ""
            answer_input.focus()
        else:
            self.set_focus(None)
        self._shown_at = self.timer()
        self._refresh_keys()

    def _refresh_keys(self) -> None:
        """The footer's keys, once the new card is laid out (scrolling depends on its height)."""
        self.refresh_bindings()
        self.call_after_refresh(self.refresh_bindings)

    def on_resize(self) -> None:
        self.call_after_refresh(self.refresh_bindings)

    def reveal(self, typed: str | None = None) -> None:
        """Show the answer and the grade buttons with what each grade would do."""
        from textual.widgets import Input

        from flashcards.decks.answer_check import check_answer
        from flashcards.ui.formatting import (
            answer_content,
            grade_effect,
            revealed_question,
            typed_answer_content,
        )

        card = self.card
        if card is None or self.revealed or self.stale or not self.ready:
            return
        typed_content = None
        self.suggested = None
        if card.kind == "type":
            answer_input = self.query_one("#typed-answer", Input)
            typed = typed if typed is not None else answer_input.value
            check = check_answer(typed, card.back, self.lenient)
            self.suggested = self._suggestion(check.grade)
            label = f"{self.suggested.key} {self.suggested.label}" if self.suggested else ""
            typed_content = typed_answer_content(check, label)
            self.set_focus(None)
        self.query_one(CardFace).show_answer(
            answer_content(card), question=revealed_question(card), typed=typed_content
        )
        self._show_media(card.front, card.back)
        drill = card.queue == "drill" or self.session.cram
        effects = {q: grade_effect(self.session.preview(q), q, drill) for q in range(6)}
        self.grade_bar.show_effects(effects, self.suggested)
        self.revealed = True
        self._refresh_keys()

    def _show_media(self, *sides: str) -> None:
        from flashcards.services.media import card_media

        self.media = card_media(*sides)
        images = self.media.images if self.images else ()
        if self.images:
            from flashcards.ui.widgets.card_media import CardMedia

            self.query_one(CardMedia).show(images)
        self.set_class(bool(images), "-media")  # the text sits just above them

    def _suggestion(self, quality: int) -> Grade | None:
        """The grade button for a suggested SM-2 grade in this grading mode."""
        from flashcards.ui.formatting import button_for_quality

        if self.grading == GradingMode.FOUR:
            names = [g.button for g in self.grade_bar.grades]
            return self.grade_bar.grades[names.index(button_for_quality(quality))]
        return self.grade_bar.grade_for_key(str(quality))

    # -- actions ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only the keys that work now are in the footer (False hides a key, None dims it)."""
        if not self.ready:  # the first paint, before the session is loaded: space waits for it
            return action in ("reveal", "leave")
        has_card = self.card is not None and not self.stale
        if action == "reveal":
            return self.stale or (has_card and not self.revealed)
        if action == "accept":
            return has_card and self.revealed and self.suggested is not None
        if action == "grade":
            key = str(parameters[0]) if parameters else ""
            return has_card and self.revealed and self.grade_bar.grade_for_key(key) is not None
        if action == "scroll_card":
            return self.query_one(CardFace).max_scroll_y > 0
        if action == "undo":
            return self.session.can_undo
        if action in ("bury", "suspend"):
            return None if self.session.cram else has_card
        if action == "cram_refusal":
            return self.session.cram
        if action == "edit":
            return has_card
        if action == "play":
            return has_card and self.media is not None and bool(self.media.sounds)
        return True

    def action_reveal(self) -> None:
        if not self.ready:
            self._reveal_when_ready = True
        elif self.stale:
            self._show_current()
        elif not self.revealed:
            self.reveal()

    def action_accept(self) -> None:
        if self.revealed and self.suggested is not None:
            self.grade(self.suggested)

    def action_grade(self, key: str) -> None:
        grade = self.grade_bar.grade_for_key(key)
        if grade is not None and self.revealed:
            self.grade(grade)

    def action_scroll_card(self, key: str) -> None:
        """Arrow and page keys scroll a card taller than the screen."""
        face = self.query_one(CardFace)
        {
            "down": face.scroll_down,
            "up": face.scroll_up,
            "pagedown": face.scroll_page_down,
            "pageup": face.scroll_page_up,
            "home": face.scroll_home,
            "end": face.scroll_end,
        }[key](animate=False)

    def on_grade_bar_graded(self, event: GradeBar.Graded) -> None:
        if self.revealed:
            self.grade(event.grade)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "typed-answer":
            event.stop()
            self.reveal(event.value)

    def action_leave(self) -> None:
        if self.session is None:  # left at the first paint: nothing was answered
            from flashcards.ui.navigation import LeaveReview

            self.post_message(LeaveReview())
        else:
            self._finish()

    def help_extra(self) -> list[tuple[str, str]]:
        """Lines for the help overlay: the grade keys of this grading mode and what each means,
        and the scroll keys."""
        from flashcards.ui.formatting import grade_wording

        lines = []
        for g in self.grade_bar.grades:
            meaning = grade_wording(g.quality)
            if g.button:
                meaning = f"{g.label}: q={g.quality}, {meaning}"
            lines.append((g.key, meaning))
        lines.append(("pgup, pgdn, home, end", "Scroll the card by a page, to its top or end"))
        return lines
