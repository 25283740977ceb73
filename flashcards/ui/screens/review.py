"""The review screen: one card at a time, reveal, grade, and the session's side actions.

The screen owns presentation and timing only: the `StudySession` it is given decides the queue and
writes every answer before `answer()` returns. Answer time is UI timing, so it is measured here
with the app's `timer` (`time.monotonic` unless a test injects one) from the moment a card is
shown to the moment it is graded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Footer, Input

from flashcards.decks.answer_check import suggest_grade
from flashcards.errors import UserError
from flashcards.sanitize import clean_line
from flashcards.services.session_types import CardView
from flashcards.services.study import CardDeleted, StudySession
from flashcards.ui.formatting import (
    answer_content,
    button_for_quality,
    grade_wording,
    interval_label,
    question_content,
    revealed_question,
    typed_answer_content,
)
from flashcards.ui.widgets.card_face import CardFace
from flashcards.ui.widgets.grade_bar import Grade, GradeBar
from flashcards.ui.widgets.session_progress import SessionProgress

T = TypeVar("T")


class ReviewScreen(Screen[None]):
    """Reviews the cards of one `StudySession` until it is empty or the user leaves."""

    BINDINGS = [
        Binding("space,enter", "reveal", "Show answer", id="reveal"),
        *(Binding(str(d), f"grade('{d}')", f"Grade {d}", show=False) for d in range(6)),
        Binding("u", "undo", "Undo", id="undo"),
        Binding("b", "bury", "Bury", id="bury"),
        Binding("exclamation_mark", "suspend", "Suspend", key_display="!", id="suspend"),
        Binding("e", "edit", "Edit", id="edit"),
        Binding("E", "edit_in_editor", "Edit in $EDITOR", show=False, id="edit-in-editor"),
        Binding("q,escape", "leave", "Back", id="leave"),
    ]

    def __init__(self, session: StudySession, grading: str = "six") -> None:
        super().__init__()
        self.session = session
        self.grading = grading
        self.card: CardView | None = None
        self.revealed = False
        self.done = 0
        self.suggested: Grade | None = None
        self._shown_at = 0.0
        self.stale = False  # the card shown was answered, and the next could not be read yet

    def compose(self) -> ComposeResult:
        yield SessionProgress()
        yield CardFace()
        yield Input(placeholder="Type the answer, then Enter", id="typed-answer")
        yield GradeBar(self.grading)

    def on_mount(self) -> None:
        self.show_card(self.session.current())
        # The footer is the costliest widget here (~80 ms to build its keys): mounting it after
        # the first refresh puts the card on screen that much sooner, the keys a frame later.
        self.call_after_refresh(self._mount_footer)

    async def _mount_footer(self) -> None:
        await self.mount(Footer(compact=True))
        self.refresh_bindings()  # a footer mounted late must be told which keys there are

    # -- showing ------------------------------------------------------------------------------

    @property
    def grade_bar(self) -> GradeBar:
        return self.query_one(GradeBar)

    def _deck_label(self) -> str:
        name = self.session.deck or "All decks"
        return f"Cram: {name}" if self.session.cram else name

    def show_card(self, card: CardView | None) -> None:
        """Show a card's question (or hand over to the summary when the session is done)."""
        self.card = card
        self.stale = False
        self.revealed = False
        self.suggested = None
        self.query_one(SessionProgress).show(self._deck_label(), self.session.counts(), self.done)
        if card is None:
            self.app.finish_review(self.session)
            return
        self.query_one(CardFace).show_question(question_content(card))
        self.grade_bar.hide_intervals()
        answer_input = self.query_one("#typed-answer", Input)
        if card.kind == "type":
            answer_input.value = ""
            answer_input.disabled = False
            answer_input.display = True
            answer_input.focus()
        else:
            answer_input.display = False
            answer_input.disabled = True
            self.set_focus(None)
        self._shown_at = self.app.timer()
        self.refresh_bindings()

    def reveal(self, typed: str | None = None) -> None:
        """Show the answer and the grade buttons with the interval each would give."""
        card = self.card
        if card is None or self.revealed or self.stale:
            return
        self.revealed = True
        typed_content = None
        self.suggested = None
        if card.kind == "type":
            answer_input = self.query_one("#typed-answer", Input)
            typed = typed if typed is not None else answer_input.value
            self.suggested = self._suggestion(suggest_grade(typed, card.back))
            label = f"{self.suggested.key} {self.suggested.label}" if self.suggested else ""
            typed_content = typed_answer_content(typed, card.back, label)
            answer_input.disabled = True
            answer_input.display = False
            self.set_focus(None)
        self.query_one(CardFace).reveal(
            answer_content(card), question=revealed_question(card), typed=typed_content
        )
        intervals = {q: interval_label(self.session.preview(q), q) for q in range(6)}
        self.grade_bar.show_intervals(intervals)
        self.grade_bar.preselect(self.suggested)
        self.refresh_bindings()

    def _suggestion(self, quality: int) -> Grade | None:
        """The grade button for a suggested SM-2 grade in this grading mode."""
        if self.grading == "four":
            names = [g.button for g in self.grade_bar.grades]
            return self.grade_bar.grades[names.index(button_for_quality(quality))]
        return self.grade_bar.grade_for_key(str(quality))

    # -- actions ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Footer greys out what cannot be done right now."""
        if action == "undo":
            return True if self.session.can_undo else None
        if action in ("bury", "suspend", "edit") and (self.card is None or self.stale):
            return None
        return True

    def action_reveal(self) -> None:
        if self.stale:
            self._show_current()
        elif not self.revealed:
            self.reveal()
        elif self.suggested is not None:
            self.grade(self.suggested)

    def action_grade(self, key: str) -> None:
        grade = self.grade_bar.grade_for_key(key)
        if grade is not None and self.revealed:
            self.grade(grade)

    @on(GradeBar.Graded)
    def _on_graded(self, event: GradeBar.Graded) -> None:
        if self.revealed:
            self.grade(event.grade)

    @on(Input.Submitted, "#typed-answer")
    def _on_typed(self, event: Input.Submitted) -> None:
        event.stop()
        self.reveal(event.value)

    def _change(self, change: Callable[[], T], failed: str) -> tuple[bool, T | None]:
        """Run one change of the session (answer, undo, bury, suspend, edit).

        The session writes before it changes its queues, so a failure (a busy, read-only or
        unreachable collection) leaves the card on screen: it is one line in a notice, and the
        same key tries again. A card another process deleted is skipped to the next one.
        """
        try:
            return True, change()
        except CardDeleted:  # the session dropped it and left a notice (shown below)
            self._show_current()
        except (UserError, LookupError) as exc:
            self._notify_problem(f"{exc}. {failed}")
        finally:
            self._show_notices()
        return False, None

    def _notify_problem(self, text: str, severity: SeverityLevel = "error") -> None:
        """One line, shown as plain text (a path or a deck name is never read as markup)."""
        self.notify(clean_line(text), severity=severity, timeout=8, markup=False)

    def _show_notices(self) -> None:
        """What the session asked to be told once (a card deleted elsewhere and skipped)."""
        for notice in dict.fromkeys(self.session.notices):
            self._notify_problem(notice[:1].upper() + notice[1:], severity="warning")
        self.session.notices.clear()

    def _show_current(self) -> None:
        """Show the session's current card. If it cannot be read now (the server is down), the
        old card stays in view but takes no grade, bury, suspend or edit; space reads again."""
        ok, card = self._change(self.session.current, "Press space to try again.")
        if ok:
            self.show_card(card)
        else:
            self.stale = True
            self.revealed = False
            self.refresh_bindings()

    def grade(self, grade: Grade) -> None:
        """Record the answer (committed by the session) and move on."""
        duration_ms = int((self.app.timer() - self._shown_at) * 1000)
        ok, result = self._change(
            lambda: self.session.answer(
                grade.quality, button=grade.button, duration_ms=duration_ms
            ),
            "Not saved; grade again.",
        )
        if not ok or result is None:
            return
        if self.session.backup_problem:
            self.notify(
                f"Today's backup was not made: {self.session.backup_problem}",
                severity="warning",
                timeout=8,
                markup=False,
            )
            self.session.backup_problem = None
        self.done += 1
        if result.leech:
            self.notify(
                "Leech: this card keeps lapsing. It was tagged 'leech' and suspended; "
                "consider rewriting it.",
                title="Leech",
                severity="warning",
                timeout=8,
            )
        self._show_current()

    def action_undo(self) -> None:
        if not self.session.can_undo:
            self.notify("Nothing to undo")
            return
        ok, _ = self._change(self.session.undo_step, "Not undone; press u to try again.")
        if not ok:
            return
        self.done = max(0, self.done - 1)
        self.notify("Undone")
        self._show_current()

    def action_bury(self) -> None:
        self._set_aside(self.session.bury, "Buried until tomorrow")

    def action_suspend(self) -> None:
        self._set_aside(self.session.suspend, "Suspended")

    def _set_aside(self, change: Callable[[], None], done_message: str) -> None:
        """Bury or suspend the current card and show the next one."""
        if self.card is None or self.stale:
            return
        ok, _ = self._change(change, "Nothing was changed; try again.")
        if not ok:
            return
        self.done += 1
        self.notify(done_message)
        self._show_current()

    def action_edit(self) -> None:
        if self.card is None or self.stale:
            return
        from flashcards.ui.screens.edit_card import EditCardScreen  # not needed for first paint

        self.app.push_screen(EditCardScreen(self.card.front, self.card.back, self._save_edit))

    def _save_edit(self, front: str, back: str) -> bool:
        """Save the edit dialog's text; False keeps the dialog open (with the text) to retry."""
        editing = self.card
        ok, card = self._change(
            lambda: self.session.edit_current(front, back), "Not saved; ctrl+s tries again."
        )
        if not ok or card is None:
            return self.card is not editing  # the card was deleted elsewhere: nothing to save
        was_revealed = self.revealed
        shown_at = self._shown_at
        self.show_card(card)
        self._shown_at = shown_at  # editing does not restart the answer time
        if was_revealed and card.kind != "type":
            self.reveal()
        self.notify("Card saved")
        return True

    def action_edit_in_editor(self) -> None:
        """The note in $VISUAL/$EDITOR (the app suspended meanwhile); progress is kept."""
        if self.card is None or self.stale:
            return
        from flashcards.ui.external_editor import edit_note_in_editor

        if edit_note_in_editor(self.app, self.session.col, self.card.id):
            revealed, shown_at = self.revealed, self._shown_at
            self.show_card(self.session.reload_current())
            self._shown_at = shown_at
            if revealed and self.card is not None and self.card.kind != "type":
                self.reveal()

    def action_leave(self) -> None:
        self.app.finish_review(self.session)

    def help_extra(self) -> list[tuple[str, str]]:
        """Lines for the help overlay: what each grade key means in this grading mode."""
        lines = []
        for g in self.grade_bar.grades:
            meaning = grade_wording(g.quality)
            if g.button:
                meaning = f"{g.label}: q={g.quality}, {meaning}"
            lines.append((g.key, meaning))
        return lines
