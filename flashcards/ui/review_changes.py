"""What a review does to its session besides showing cards: answer, undo, bury, suspend, edit,
play a sound. Mixed into `ReviewScreen` (screens/review.py), which shows the cards.

Every change goes through `_change`: the session writes before it changes its queues, so a
failure leaves the card on screen with one line in a notice, and the same key tries again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from textual.notifications import SeverityLevel

from flashcards.errors import UserError
from flashcards.sanitize import clean_line

if TYPE_CHECKING:
    from flashcards.services.card_view import CardView
    from flashcards.services.media import CardMedia as CardFiles
    from flashcards.services.study import StudySession
    from flashcards.ui.widgets.grade_bar import Grade

T = TypeVar("T")

TOAST_SECONDS = 2.0
"""How long a confirmation (undone, buried, saved) shows; errors stay longer."""
CRAM_REFUSAL = "Cram records nothing, so cards cannot be buried or suspended here."


class SessionChanges:
    """The review screen's changes to its `session`. The screen provides the state declared
    here and `show_card`, `reveal`, and Textual's `notify`, `app` and `refresh_bindings`."""

    session: StudySession
    card: CardView | None
    media: CardFiles
    done: int
    stale: bool
    revealed: bool
    timer: Callable[[], float]
    _shown_at: float

    def action_cram_refusal(self) -> None:
        self.notify(CRAM_REFUSAL, severity="warning", timeout=TOAST_SECONDS + 1)

    def _change(self, change: Callable[[], T], failed: str) -> tuple[bool, T | None]:
        """Run one change of the session (answer, undo, bury, suspend, edit).

        The session writes before it changes its queues, so a failure (a busy, read-only or
        unreachable collection) leaves the card on screen: it is one line in a notice, and the
        same key tries again. A card another process deleted is skipped to the next one.
        """
        from flashcards.services.study import CardDeleted  # loaded after the first paint

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
        from flashcards.services.media import play_sound

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
