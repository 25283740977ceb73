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
    if q < 3:
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


def needs_drill(quality: int) -> bool:
    """Whether a grade sends the card back into today's drill (SM-2 step 6: below four)."""
    return check_quality(quality) < 4
