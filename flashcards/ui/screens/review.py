"""The review screen: one card at a time, reveal, grade, and the session's side actions.

The screen owns presentation and timing only: the `StudySession` it is given decides the queue and
writes every answer before `answer()` returns. Answer time is UI timing, so it is measured here
with the app's `timer` (`time.monotonic` unless a test injects one) from the moment a card is
shown to the moment it is graded.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Input

from flashcards.decks.answer_check import check_answer
from flashcards.errors import UserError
from flashcards.sanitize import clean_line
from flashcards.services.media import CardMedia as CardFiles
from flashcards.services.media import card_media, play_sound
from flashcards.services.session_types import CardView
from flashcards.services.study import CardDeleted, StudySession
from flashcards.ui.formatting import (
    answer_content,
    button_for_quality,
    card_meta,
    grade_effect,
    grade_wording,
    question_content,
    revealed_question,
    typed_answer_content,
)
from flashcards.ui.navigation import ReviewFinished
from flashcards.ui.widgets.card_face import CardFace
from flashcards.ui.widgets.card_media import CardMedia
from flashcards.ui.widgets.grade_bar import Grade, GradeBar
from flashcards.ui.widgets.session_progress import SessionProgress

T = TypeVar("T")

TOAST_SECONDS = 2.0
"""How long a confirmation (undone, buried, saved) shows; errors stay longer."""
CRAM_REFUSAL = "Cram records nothing, so cards cannot be buried or suspended here."


class ReviewScreen(Screen[None]):
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
        session: StudySession,
        grading: str = "six",
        *,
        lenient: bool = True,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.session = session
        self.grading = grading
        self.lenient = lenient
        self.timer = timer
        self.card: CardView | None = None
        self.done = 0
        self.suggested: Grade | None = None
        self._shown_at = 0.0
        self._finished = False
        self.stale = False  # the card shown was answered, and the next could not be read yet
        self.media = CardFiles()  # the images and sounds of the card's visible sides

    def watch_revealed(self, revealed: bool) -> None:
        self.set_class(revealed, "-revealed")

    def watch_typing(self, typing: bool) -> None:
        self.set_class(typing, "-typing")

    def compose(self) -> ComposeResult:
        yield SessionProgress()
        yield CardFace()
        yield CardMedia()
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

    def _finish(self) -> None:
        """Hand the session to the app (summary or back), once."""
        if not self._finished:
            self._finished = True
            self.post_message(ReviewFinished(self.session))

    def show_card(self, card: CardView | None) -> None:
        """Show a card's question (or hand over to the summary when the session is done)."""
        self.card = card
        self.stale = False
        self.revealed = False
        self.suggested = None
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
        card = self.card
        if card is None or self.revealed or self.stale:
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
        self.media = card_media(*sides)
        self.query_one(CardMedia).show(self.media.images)
        self.set_class(bool(self.media.images), "-media")  # the text sits just above them

    def _suggestion(self, quality: int) -> Grade | None:
        """The grade button for a suggested SM-2 grade in this grading mode."""
        if self.grading == "four":
            names = [g.button for g in self.grade_bar.grades]
            return self.grade_bar.grades[names.index(button_for_quality(quality))]
        return self.grade_bar.grade_for_key(str(quality))

    # -- actions ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only the keys that work now are in the footer (False hides a key, None dims it)."""
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
            return has_card and bool(self.media.sounds)
        return True

    def action_reveal(self) -> None:
        if self.stale:
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

    def action_cram_refusal(self) -> None:
        self.notify(CRAM_REFUSAL, severity="warning", timeout=TOAST_SECONDS + 1)

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
        duration_ms = int((self.timer() - self._shown_at) * 1000)
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
        self.notify("Undone", timeout=TOAST_SECONDS)
        self._show_current()

    def action_bury(self) -> None:
        self._set_aside(self.session.bury, "Buried until tomorrow")

    def action_suspend(self) -> None:
        self._set_aside(self.session.suspend, "Suspended")

    def _set_aside(self, change: Callable[[], None], done_message: str) -> None:
        """Bury or suspend the current card and show the next one."""
        if self.card is None or self.stale or self.session.cram:
            return
        ok, _ = self._change(change, "Nothing was changed; try again.")
        if not ok:
            return
        self.done += 1
        self.notify(done_message, timeout=TOAST_SECONDS)
        self._show_current()

    def action_edit(self) -> None:
        if self.card is None or self.stale:
            return
        from flashcards.ui.screens.edit_card import EditCardScreen  # not needed for first paint

        card = self.card
        self.app.push_screen(EditCardScreen(card.front, card.back, self._save_edit, card.tags))

    def _save_edit(self, front: str, back: str, tags: tuple[str, ...] | None = None) -> bool:
        """Save the edit dialog's text (the whole note's: its siblings change too); False keeps
        the dialog open (with the text) to retry."""
        editing = self.card
        ok, card = self._change(
            lambda: self.session.edit_current(front, back, tags), "Not saved; ctrl+s tries again."
        )
        if not ok or card is None:
            return self.card is not editing  # the card was deleted elsewhere: nothing to save
        was_revealed = self.revealed
        shown_at = self._shown_at
        self.show_card(card)
        self._shown_at = shown_at  # editing does not restart the answer time
        if was_revealed and card.kind != "type":
            self.reveal()
        self.notify("Card saved", timeout=TOAST_SECONDS)
        return True

    def action_play(self) -> None:
        if self.media.sounds and play_sound(self.media.sounds[0]) is None:
            self._notify_problem(
                "No sound player found (looked for ffplay, mpv, paplay, afplay)", "warning"
            )

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
        self._finish()

    def help_extra(self) -> list[tuple[str, str]]:
        """Lines for the help overlay: the grade keys of this grading mode and what each means,
        and the scroll keys."""
        lines = []
        for g in self.grade_bar.grades:
            meaning = grade_wording(g.quality)
            if g.button:
                meaning = f"{g.label}: q={g.quality}, {meaning}"
            lines.append((g.key, meaning))
        lines.append(("pgup, pgdn, home, end", "Scroll the card by a page, to its top or end"))
        return lines
