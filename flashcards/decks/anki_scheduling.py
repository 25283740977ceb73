"""An Anki card's scheduling as SM-2 state: review cards keep their due day and interval,
learning and relearning cards come due today, suspended and buried cards stay so."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from flashcards.decks.anki_schema import DayCutOff
from flashcards.decks.spec import ImportedScheduling
from flashcards.scheduler import MAX_INTERVAL, START_EASINESS, imported_easiness


def created_day(cut: DayCutOff) -> datetime.date | None:
    """The study day a collection was created on, from which review due days are counted.

    Anki counts days as `(local date now) - (local date of crt)`, less one before the day
    cut-off, both dates in the zone the collection was made in (`creationOffset`), so the
    count means the same whatever zone the import runs in. Without `creationOffset` (older
    collections, whose `crt` is the cut-off hour of the creation day), the creation day is the
    UTC date of `crt + 12 h - rollover`: right for every zone from UTC-11 to UTC+12.
    """
    if cut.crt is None:
        return None
    try:
        stamp = datetime.datetime.fromtimestamp(cut.crt, datetime.UTC)
        if cut.creation_offset is not None:
            return (stamp - datetime.timedelta(minutes=cut.creation_offset)).date()
        return (stamp + datetime.timedelta(hours=12 - cut.rollover)).date()
    except (OverflowError, ValueError, OSError):  # past year 9999: no creation day
        return None


@dataclass(frozen=True)
class AnkiCard:
    """The scheduling columns of one Anki card, range-checked (see limits.ANKI_RANGES)."""

    type: int  # 0 new, 1 learning, 2 review, 3 relearning
    queue: int  # -3/-2 buried, -1 suspended, else as type (4: preview)
    due: int
    odue: int  # the home deck's due of a card in a filtered deck, else 0
    ivl: int
    factor: int
    lapses: int
    reps: int


NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3
SUSPENDED, BURIED = -1, (-2, -3)


def anki_scheduling(
    card: AnkiCard, crt_day: datetime.date | None, today: datetime.date | None
) -> ImportedScheduling | None:
    """SM-2 state for an Anki card; None for a plain new card.

    - review (type 2): due = the creation day + `due` days (`odue` for a card in a filtered
      deck); if that cannot be computed, `today`, or the progress is dropped without a `today`.
      interval = ivl days (1 to the 36,500-day cap); repetitions: Anki does not store the run
      of successful reviews, so 2 when the interval is 6 days or more (past SM-2's fixed 1- and
      6-day steps), else 1.
    - learning (type 1): due today, repetitions 0, interval 0 (SM-2 has no steps inside a day).
    - relearning (type 3): due today, repetitions 0, its previous interval and lapses kept.
    - easiness = factor // 10 (Anki's 2500 is our 250 = 2.50), at least 130; 250 if unset.
    - queue -1: suspended; queue -2/-3 (buried): hidden until the next study day.
    """
    easiness = imported_easiness(card.factor)
    interval = min(max(card.ivl, 1), MAX_INTERVAL)
    lapses = max(0, card.lapses)
    suspended = card.queue == SUSPENDED
    buried_until = today + datetime.timedelta(days=1) if today and card.queue in BURIED else None
    state: tuple[int, int, int, datetime.date | None, int] = (0, 0, START_EASINESS, None, 0)
    if card.type == REVIEW:
        due_date: datetime.date | None = None
        if crt_day is not None:
            try:
                due_date = crt_day + datetime.timedelta(days=card.odue or card.due)
            except OverflowError:
                due_date = None
        due_date = due_date or today
        if due_date is not None:
            state = (2 if interval >= 6 else 1, interval, easiness, due_date, lapses)
    elif card.type == LEARNING and today is not None:
        state = (0, 0, easiness, today, lapses)
    elif card.type == RELEARNING and today is not None:
        state = (0, interval, easiness, today, lapses)
    if state[3] is None and not suspended and buried_until is None:
        return None
    return ImportedScheduling(*state, suspended=suspended, buried_until=buried_until)
