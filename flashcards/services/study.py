"""A study session: today's queue, answering, the same-day drill, undo, bury and suspend.

The session holds only ids and small snapshots in memory; every answer is written in one
transaction before `answer()` returns, so quitting (or being killed) never loses a graded card.
Which cards make today's queue is study_queue.py's job; what a step records for undo, and the
writes that put it back, study_undo.py's; what a grade does to a card, grading.py's.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from flashcards import scheduler
from flashcards.decks.spec import card_kind
from flashcards.errors import UserError
from flashcards.services import notes, study_queue
from flashcards.services.collection import Collection
from flashcards.services.daily_limits import next_due_date
from flashcards.services.decks import tree_deck_ids
from flashcards.services.grading import Outcome, grade_card, review_log_row, stored_state
from flashcards.services.session_types import (
    AnswerResult,
    CardView,
    Queue,
    QueueCounts,
    SessionSummary,
)
from flashcards.services.study_backup import SessionBackup
from flashcards.services.study_undo import Entry, Gone, UndoStep, put_back, update_card
from flashcards.storage import Deck
from flashcards.storage.binding import bound
from flashcards.storage.card_rows import CardRow, CardRows
from flashcards.storage.database import run_read, run_write
from flashcards.storage.notes import bury_siblings
from flashcards.storage.notes import note_rows as rows_of_note

DELETED_NOTICE = "a card was deleted by another flashcards (an import with --prune?); skipped"
T = TypeVar("T")


class CardDeleted(UserError):
    """The card being answered, buried, suspended, edited or undone was deleted by another
    process; the session has dropped it, so the UI shows the next card."""


class StudySession:
    """Today's reviews of one deck tree (or of every deck when `deck` is None)."""

    def __init__(self, col: Collection, deck: str | None = None, *, cram: bool = False) -> None:
        self.col = col
        self.deck = deck
        self.cram = cram
        self.deck_ids = tree_deck_ids(col, deck)
        self._main: deque[Entry] = deque()
        self._drill: deque[Entry] = deque()
        self._undo: list[UndoStep] = []
        self._answers: list[AnswerResult] = []
        self._durations: list[int] = []
        self._current: CardRow | None = None
        self._rows = CardRows(col.db)
        self._backup = SessionBackup(col, needed=not cram)
        self.notices: list[str] = []  # things the UI should mention once (a skipped card)
        self.day = col.clock.today()
        with bound(col.db):
            self._deck_names: dict[int, str] = dict(
                Deck.select(Deck.id, Deck.name).where(Deck.id.in_(self.deck_ids)).tuples()
            )
            if cram:
                entries = study_queue.cram_queue(self.deck_ids)
            else:
                entries = study_queue.todays_queue(
                    col, deck, self.deck_ids, self._deck_names, self.day
                )
        self._main.extend(Entry(card_id, queue) for card_id, queue in entries)

    # -- reading ----------------------------------------------------------------------------

    def _head(self) -> Entry | None:
        if self._main:
            return self._main[0]
        if self._drill:
            return self._drill[0]
        return None

    def current(self) -> CardView | None:
        """The card to show now, or None when the session is done.

        A card deleted meanwhile by another process (an import with --prune) is skipped, with a
        line in `notices` for the UI to show.
        """
        while True:
            entry = self._head()
            if entry is None:
                self._current = None
                return None
            if self._current is None or self._current.id != entry.card_id:
                try:
                    self._current = self._read(partial(self._rows.load, entry.card_id))
                except KeyError:
                    self._forget(entry.card_id)
                    continue
            return self._view(self._current, entry.queue)

    def _read(self, work: Callable[[], T]) -> T:
        """A read outside a transaction (reconnecting once to a server that dropped us), bound
        to the session's collection: with `_write`, the only way the session reaches it."""
        with bound(self.col.db):
            return run_read(self.col.db, work, self.col.target)

    def _forget(self, card_id: int) -> None:
        """Take a card deleted by another process out of the session (and out of undo)."""
        self._main = deque(e for e in self._main if e.card_id != card_id)
        self._drill = deque(e for e in self._drill if e.card_id != card_id)
        self._undo = [u for u in self._undo if u.card.id != card_id]
        self._current = None
        self.notices.append(DELETED_NOTICE)

    def _view(self, card: CardRow, queue: Queue) -> CardView:
        return CardView(
            id=card.id,
            deck=self._deck_names.get(card.deck_id, ""),
            kind=card_kind(card.kind),
            front=card.front,
            back=card.back,
            tags=tuple(card.tags.split()),
            ordinal=card.ordinal,
            state=stored_state(card),
            is_new=card.due is None,
            due=card.due,
            lapses=card.lapses,
            queue=queue,
        )

    def counts(self) -> QueueCounts:
        """Cards left in the session, by where they came from."""
        new = sum(1 for e in self._main if e.queue is Queue.NEW)
        return QueueCounts(new=new, review=len(self._main) - new, drill=len(self._drill))

    def pending(self) -> list[tuple[int, Queue]]:
        """The cards still to show, in order, without reading them: (card id, queue), the main
        queue first, then today's drill."""
        return [(e.card_id, e.queue) for e in (*self._main, *self._drill)]

    @property
    def answered(self) -> int:
        """Answers given in this session, drills included (undone ones not)."""
        return len(self._answers)

    @property
    def undo_depth(self) -> int:
        """How many steps `undo` can take back."""
        return len(self._undo)

    def preview(self, quality: int) -> int:
        """The interval in days that grading the current card `quality` would give (0: today)."""
        view = self.current()
        if view is None:
            raise LookupError("no card to preview")
        if view.queue is Queue.DRILL or self.cram:
            return 0
        return scheduler.review(view.state, quality).interval

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    # -- changing -----------------------------------------------------------------------------

    @property
    def backup_problem(self) -> str | None:
        """Why today's backup was not made (study_backup.py), for the UI to mention once."""
        return self._backup.problem

    @backup_problem.setter
    def backup_problem(self, value: None) -> None:
        """Set to None once the user has been told."""
        assert value is None, "backup_problem is only ever cleared"
        self._backup.forget_problem()

    def _write(self, work: Callable[[], T], card_id: int) -> T:
        """The one way the session writes: `work` runs in one write transaction (after the day's
        backup's snapshot), and a failure becomes a one-line `UserError` with nothing written.

        Callers change the queues and the undo stack only after this returns, so a failed
        answer, undo, bury, suspend or edit leaves the session as it was and can be retried. A
        card another process deleted is taken out of the session (`CardDeleted`).
        """
        self._backup.before_first_write()  # the snapshot only: the copy runs meanwhile
        try:
            with bound(self.col.db):
                return run_write(self.col.db, work, self.col.target)
        except Gone:
            self._forget(card_id)
            raise CardDeleted(DELETED_NOTICE) from None

    def _load_locked(self, card_id: int) -> CardRow:
        """The card's row, locked for this write transaction; `Gone` if it was deleted."""
        try:
            return self._rows.load(card_id, locked=True)
        except KeyError:
            raise Gone from None

    def _take_head(self, entry: Entry) -> bool:
        """Remove `entry` (the head) from its queue; True when it came from the main queue."""
        if self._main and self._main[0] is entry:
            self._main.popleft()
            return True
        self._drill.popleft()
        return False

    def answer(
        self, quality: int, *, button: str | None = None, duration_ms: int = 0
    ) -> AnswerResult:
        """Grade the current card; committed before this returns.

        The new state is computed from the card's row as read inside the write transaction, so
        if another process answered the same card meanwhile, this answer builds on that one
        (both are logged, and replaying the log gives the card's state). If the write fails (a
        busy or full database), the session is left exactly as it was, so the same answer can
        be given again.
        """
        quality = scheduler.check_quality(quality)
        if self.current() is None:  # also skips a card deleted meanwhile
            raise LookupError("the session has no card left")
        entry = self._head()
        assert entry is not None and self._current is not None
        is_drill = entry.queue is Queue.DRILL
        duration_ms = max(0, int(duration_ms))
        if self.cram:
            outcome = grade_card(self._current, quality, drill=True, clock=self.col.clock)
            review_id, buried = None, {}
        else:

            def write() -> tuple[Outcome, int, dict[int, object]]:
                card = self._load_locked(entry.card_id)
                outcome = grade_card(card, quality, drill=is_drill, clock=self.col.clock)
                log = review_log_row(
                    outcome, quality, button, is_drill, duration_ms, self.col.clock
                )
                review_id = self._rows.write_answer(
                    card.id, None if is_drill else outcome.card, log
                )
                buried: dict[int, object] = {}
                if self.col.settings.bury_siblings and not is_drill:
                    buried = bury_siblings(card.id, card.deck_id, card.note, self.day)
                return outcome, review_id, buried

            outcome, review_id, buried = self._write(write, entry.card_id)
        queues = (deque(self._main), deque(self._drill)) if buried else None
        from_main = self._take_head(entry)
        if buried:  # the siblings wait until tomorrow: out of this session too
            self._main = deque(e for e in self._main if e.card_id not in buried)
            self._drill = deque(e for e in self._drill if e.card_id not in buried)
        self._current = None
        again = scheduler.needs_drill(quality) and not outcome.leech
        if again:
            self._drill.append(Entry(entry.card_id, Queue.DRILL))
        self._undo.append(
            UndoStep(
                outcome.before_row,
                review_id,
                len(self._answers),
                entry,
                from_main,
                again,
                queues,
                buried or None,
            )
        )
        result = AnswerResult(
            card_id=entry.card_id,
            quality=quality,
            drill=is_drill,
            before=outcome.before,
            after=outcome.after,
            due=outcome.due,
            lapse=outcome.lapse,
            leech=outcome.leech,
            again_today=again,
            was_new=outcome.before_row.due is None and not is_drill,
            review_id=review_id,
        )
        self._answers.append(result)
        self._durations.append(duration_ms)
        return result

    def _set_aside(self, **changes: object) -> None:
        """Bury or suspend the current card: out of every queue, written first."""
        if self.current() is None:
            raise LookupError("the session has no card left")
        card = self._current
        assert card is not None
        card_id = card.id
        if not self.cram:
            changes["modified_at"] = self.col.clock.now().replace(tzinfo=None)
            self._write(lambda: update_card(card_id, changes), card_id)
        queues = (deque(self._main), deque(self._drill))
        self._main = deque(e for e in self._main if e.card_id != card_id)
        self._drill = deque(e for e in self._drill if e.card_id != card_id)
        self._current = None
        self._undo.append(UndoStep(card, None, len(self._answers), queues=queues))

    def bury(self) -> None:
        """Hide the current card until tomorrow."""
        self._set_aside(buried_until=self.col.clock.today() + dt.timedelta(days=1))

    def suspend(self) -> None:
        """Take the current card out of every queue until it is unsuspended."""
        self._set_aside(suspended=True)

    def undo(self) -> CardView | None:
        """Reverse the last answer, bury or suspend; the card to show now."""
        self.undo_step()
        return self.current()

    def undo_step(self) -> None:
        """Reverse the last answer, bury or suspend: card state, log row and queue as they were.

        The step is taken off the undo stack only once the database has been put back, so an
        undo that fails (a busy collection) can be tried again; nothing is read after the
        write, so an undo that raised was not done.
        """
        if not self._undo:
            raise LookupError("nothing to undo")
        step = self._undo[-1]
        if not self.cram:
            self._write(lambda: put_back(step), step.card.id)
        self._undo.pop()
        self._main, self._drill = step.queues_before(self._main, self._drill)
        del self._answers[step.answers_len :]
        del self._durations[step.answers_len :]
        self._current = None

    def edit_current(self, front: str, back: str, tags: tuple[str, ...] | None = None) -> CardView:
        """Change the current card's text (as the card shows it) and so its note's: every
        sibling changes with it (the other direction of a reverse pair, the other deletions of a
        cloze text); every card keeps its progress."""
        if self.current() is None:
            raise LookupError("no card to edit")
        entry = self._head()
        assert entry is not None
        card_id = entry.card_id

        def write() -> CardRow:
            siblings = rows_of_note(card_id)
            if not siblings:
                raise Gone
            note = notes.note_of(siblings, card_id, "")
            facing = (front, back)
            if note.kind == "reverse" and (front, back) != (note.front, note.back):
                current = self._load_locked(card_id)
                if (current.front, current.back) == (note.back, note.front):
                    facing = (back, front)  # the reverse direction shows the note backwards
            notes.edit_note_now(self.col, card_id, *facing, tags)
            return self._load_locked(card_id)

        self._current = self._write(write, card_id)
        return self._view(self._current, entry.queue)

    def reload_current(self) -> CardView | None:
        """The card on show read again (after its note was edited elsewhere, in an editor)."""
        self._current = None
        return self.current()

    def current_note(self) -> notes.Note | None:
        """The note of the card on show (for an editor that shows every field of it)."""
        if self.current() is None:
            return None
        return notes.load_note(self.col, self._head().card_id)  # type: ignore[union-attr]

    # -- the end ------------------------------------------------------------------------------

    def summary(self) -> SessionSummary:
        """The session's numbers (kept in memory). The next due date needs a read; when the
        collection cannot be read now (the server is down) it is left out, not the summary."""
        scheduled = [a for a in self._answers if not a.drill]
        try:
            next_due = self._read(
                lambda: next_due_date(self.col, self.deck_ids, self.col.clock.today())
            )
        except UserError:
            next_due = None
        return SessionSummary(
            reviewed=len(scheduled),
            correct=sum(1 for a in scheduled if scheduler.passed(a.quality)),
            seconds=sum(self._durations) / 1000,
            new_learned=0 if self.cram else sum(1 for a in scheduled if a.was_new),
            drills=sum(1 for a in self._answers if a.drill),
            next_due=next_due,
        )
