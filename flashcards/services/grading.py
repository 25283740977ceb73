"""What one grade does to a card: the SM-2 step, the due date, lapses and leeches.

Kept apart from the session, which decides *which* card is shown and keeps the queue; this is
the rule for what a grade changes, a function of the stored row, the grade and the clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flashcards import scheduler
from flashcards.clock import Clock
from flashcards.scheduler import Sm2State
from flashcards.storage.card_rows import CardRow
from flashcards.storage.card_states import LEECH_TAG

LEECH_LAPSES = 8  # the lapse that makes a card a leech; then every LEECH_REPEAT more, as Anki
LEECH_REPEAT = 4

# Bounds for the counters and state a stored card may hold. SM-2 itself never leaves them (an
# interval is capped at MAX_INTERVAL, an E-Factor grows 0.10 a perfect answer); a hand-edited or
# damaged row can, and 2**63-1 lapses plus one no longer fits the database's integer, so values
# are clamped into these bounds before grading rather than crashing the session.
MAX_COUNT = 1_000_000_000  # repetitions and lapses
MAX_EASINESS = 1_000_000  # hundredths: an E-Factor of 10,000


@dataclass(frozen=True)
class Outcome:
    """What one grade does to a card: its row before and after, and the SM-2 states."""

    before_row: CardRow
    card: CardRow
    before: Sm2State
    after: Sm2State
    due: dt.date | None
    lapse: bool
    leech: bool


def is_leech(lapses: int) -> bool:
    """A card becomes a leech at its 8th lapse, and again at every 4th after it (12, 16, …)."""
    return lapses >= LEECH_LAPSES and (lapses - LEECH_LAPSES) % LEECH_REPEAT == 0


def _clamp(value: object, low: int, high: int) -> int:
    number = value if type(value) is int else low
    return min(max(number, low), high)


def stored_state(card: CardRow) -> Sm2State:
    """The card's SM-2 state as the scheduler may take it: a stored value outside what SM-2 can
    reach (a damaged or hand-edited row) is clamped into range, so grading never overflows."""
    return Sm2State(
        _clamp(card.repetitions, 0, MAX_COUNT),
        _clamp(card.interval, 0, scheduler.MAX_INTERVAL),
        _clamp(card.easiness, scheduler.MIN_EASINESS, MAX_EASINESS),
    )


def grade_card(card: CardRow, quality: int, *, drill: bool, clock: Clock) -> Outcome:
    """The card after this grade (a drill, or any cram answer, changes nothing)."""
    before = stored_state(card)
    if drill:
        return Outcome(card, card, before, before, card.due, False, False)
    today, now = clock.today(), clock.now().replace(tzinfo=None)
    after = scheduler.review(before, quality)
    due = today + dt.timedelta(days=after.interval)
    lapse = not scheduler.passed(quality) and before.repetitions >= 1
    lapses, tags, suspended, leech = card.lapses, card.tags, card.suspended, False
    if lapse:
        lapses = _clamp(card.lapses, 0, MAX_COUNT - 1) + 1
        leech = is_leech(lapses)
    if leech:
        words = tags.split()
        if LEECH_TAG not in words:
            tags = " ".join([*words, LEECH_TAG])
        suspended = True
    graded = card._replace(
        repetitions=after.repetitions,
        interval=after.interval,
        easiness=after.easiness,
        due=due,
        lapses=lapses,
        tags=tags,
        suspended=suspended,
        modified_at=now,
    )
    return Outcome(card, graded, before, after, due, lapse, leech)


def review_log_row(
    outcome: Outcome, quality: int, button: str | None, drill: bool, ms: int, clock: Clock
) -> dict[str, object]:
    """The review-log row of one answer (SCHEDULING.md: state before and after, and more)."""
    return {
        "card_id": outcome.card.id,
        "reviewed_at": clock.now().replace(tzinfo=None),
        "review_day": clock.today(),
        "quality": quality,
        "button": button,
        "drill": drill,
        "duration_ms": ms,
        "scheduler": scheduler.NAME,
        "before_repetitions": outcome.before.repetitions,
        "before_interval": outcome.before.interval,
        "before_easiness": outcome.before.easiness,
        "before_due": outcome.before_row.due,
        "after_repetitions": outcome.after.repetitions,
        "after_interval": outcome.after.interval,
        "after_easiness": outcome.after.easiness,
        "after_due": outcome.due,
    }
