"""SM-2 exactly as Wozniak published it, read literally (see shared SCHEDULING.md).

A pure function of (state, grade): no clock, no database. Easiness is kept in integer hundredths
because every reachable E-Factor is a whole number of hundredths, and `ceil(I * EF)` computed in
floats is wrong on exact products (140 * 3.0 would give 421).
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_EASINESS = 130
START_EASINESS = 250
MAX_INTERVAL = 36_500  # days; our one deviation, so due dates stay representable
NAME = "sm2"

PASS_MARK = 3
"""The lowest grade that counts as remembered: below it SM-2 starts the card over (a lapse), and
the statistics count an answer as correct from it. The review-log triggers (storage/schema_v2.py)
are generated from it, so changing it needs a new schema step."""
DRILL_BELOW = 4
"""SM-2 step 6: a grade below this sends the card back into today's drill."""
MATURE_DAYS = 21
"""The interval from which a card counts as mature, as in Anki (statistics, card states)."""

# Δ(EF) in hundredths for q = 0..5: 0.1 − (5−q)(0.08 + (5−q)·0.02), computed exactly.
EASINESS_DELTA = tuple(10 - (5 - q) * (8 + (5 - q) * 2) for q in range(6))

# The four-button mode: Again, Hard, Good, Easy mapped onto SM-2 grades.
FOUR_BUTTONS: dict[str, int] = {"again": 2, "hard": 3, "good": 4, "easy": 5}

GRADE_WORDING: dict[int, str] = {
    5: "perfect response",
    4: "correct after a hesitation",
    3: "correct with serious difficulty",
    2: "incorrect; the correct one seemed easy",
    1: "incorrect; the correct one remembered",
    0: "complete blackout",
}


@dataclass(frozen=True)
class Sm2State:
    """One card's SM-2 state: passes in a row, interval in days, EF in hundredths."""

    repetitions: int = 0
    interval: int = 0
    easiness: int = START_EASINESS


def check_quality(quality: object) -> int:
    """Return `quality` if it is an int grade 0..5; bools and floats are refused, not coerced."""
    if type(quality) is not int or not 0 <= quality <= 5:
        raise ValueError(f"quality must be an int from 0 to 5, not {quality!r}")
    return quality


def review(state: Sm2State, quality: int) -> Sm2State:
    """The state after one graded repetition."""
    q = check_quality(quality)
    if not passed(q):
        # "start repetitions for the item from the beginning without changing the E-Factor"
        return Sm2State(repetitions=0, interval=1, easiness=state.easiness)
    n = state.repetitions
    if n == 0:
        interval = 1
    elif n == 1:
        interval = 6
    else:
        # ceil(I * EF / 100) in integers, with EF as it was before this grade.
        interval = -(-state.interval * state.easiness // 100)
    easiness = max(MIN_EASINESS, state.easiness + EASINESS_DELTA[q])
    return Sm2State(repetitions=n + 1, interval=min(interval, MAX_INTERVAL), easiness=easiness)


def passed(quality: int) -> bool:
    """Whether a grade counts as remembered (at least PASS_MARK)."""
    return check_quality(quality) >= PASS_MARK


def needs_drill(quality: int) -> bool:
    """Whether a grade sends the card back into today's drill (SM-2 step 6: below four)."""
    return check_quality(quality) < DRILL_BELOW


def imported_easiness(factor_per_mille: int) -> int:
    """An easiness in hundredths from another program's ease factor in thousandths (Anki's
    2500 is our 250): at least MIN_EASINESS, START_EASINESS when the file has none (0)."""
    return max(MIN_EASINESS, factor_per_mille // 10) if factor_per_mille > 0 else START_EASINESS
