"""SM-2 exactly as SCHEDULING.md states it: worked examples, boundaries, invariants."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flashcards.scheduler import (
    EASINESS_DELTA,
    MAX_INTERVAL,
    MIN_EASINESS,
    Sm2State,
    check_quality,
    needs_drill,
    review,
)


def run(grades: list[int], state: Sm2State | None = None) -> list[tuple[int, int, int]]:
    state = state or Sm2State()
    out = []
    for q in grades:
        state = review(state, q)
        out.append((state.repetitions, state.interval, state.easiness))
    return out


@pytest.mark.parametrize(
    ("grades", "expected"),
    [
        ([4, 4, 4, 4, 4], [(1, 1, 250), (2, 6, 250), (3, 15, 250), (4, 38, 250), (5, 95, 250)]),
        ([3, 3, 3], [(1, 1, 236), (2, 6, 222), (3, 14, 208)]),
        (
            [5, 5, 5, 5, 5, 4],
            [(1, 1, 260), (2, 6, 270), (3, 17, 280), (4, 48, 290), (5, 140, 300), (6, 420, 300)],
        ),
        (
            [5, 5, 5, 5, 5, 1, 4, 4, 4],
            [
                (1, 1, 260),
                (2, 6, 270),
                (3, 17, 280),
                (4, 48, 290),
                (5, 140, 300),
                (0, 1, 300),
                (1, 1, 300),
                (2, 6, 300),
                (3, 18, 300),
            ],
        ),
        ([0, 0, 0], [(0, 1, 250)] * 3),
    ],
    ids=["4x5", "3x3", "5x5-then-4", "fail-and-relearn", "blackouts"],
)
def test_worked_examples(grades: list[int], expected: list[tuple[int, int, int]]) -> None:
    assert run(grades) == expected


@pytest.mark.parametrize(
    ("quality", "delta"), [(5, 10), (4, 0), (3, -14), (2, -32), (1, -54), (0, -80)]
)
def test_easiness_delta_per_grade(quality: int, delta: int) -> None:
    assert EASINESS_DELTA[quality] == delta


@pytest.mark.parametrize(
    ("quality", "expected"),
    [
        # q = 2 is a failure: back to the start, EF untouched.
        (2, Sm2State(0, 1, 250)),
        # q = 3 is the lowest pass: the interval grows, EF drops by 0.14.
        (3, Sm2State(3, 15, 236)),
        (4, Sm2State(3, 15, 250)),
        (5, Sm2State(3, 15, 260)),
    ],
)
def test_quality_boundaries_on_a_mature_card(quality: int, expected: Sm2State) -> None:
    assert review(Sm2State(2, 6, 250), quality) == expected


@pytest.mark.parametrize(
    ("state", "quality", "easiness"),
    [
        (Sm2State(3, 10, 130), 3, 130),
        (Sm2State(3, 10, 140), 3, 130),  # 1.40 - 0.14 = 1.26 -> floor
        (Sm2State(3, 10, 144), 3, 130),  # exactly the floor
        (Sm2State(3, 10, 145), 3, 131),
        (Sm2State(3, 10, 130), 5, 140),
    ],
)
def test_easiness_floor(state: Sm2State, quality: int, easiness: int) -> None:
    assert review(state, quality).easiness == easiness


@pytest.mark.parametrize(
    ("state", "interval"),
    [
        (Sm2State(5, 140, 300), 420),  # exact product, no float error
        (Sm2State(2, 6, 222), 14),  # 13.32 rounds up
        (Sm2State(2, 10, 250), 25),  # exact
        (Sm2State(2, 10, 251), 26),  # 25.1 rounds up
        (Sm2State(9, 30_000, 250), MAX_INTERVAL),  # capped
        (Sm2State(9, MAX_INTERVAL, 130), MAX_INTERVAL),
    ],
)
def test_interval_ceil_and_cap(state: Sm2State, interval: int) -> None:
    assert review(state, 4).interval == interval


def test_ten_perfect_grades_hit_the_cap() -> None:
    assert run([5] * 10)[-1][1] == MAX_INTERVAL


@pytest.mark.parametrize("bad", [True, False, 3.0, -1, 6, "4", None, 4.5])
def test_invalid_quality_is_refused(bad: object) -> None:
    with pytest.raises(ValueError):
        review(Sm2State(), bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        check_quality(bad)


@pytest.mark.parametrize(
    ("quality", "drill"), [(0, True), (2, True), (3, True), (4, False), (5, False)]
)
def test_drill_below_four(quality: int, drill: bool) -> None:
    assert needs_drill(quality) is drill


def test_state_is_frozen_with_spec_defaults() -> None:
    state = Sm2State()
    assert (state.repetitions, state.interval, state.easiness) == (0, 0, 250)
    with pytest.raises(AttributeError):
        state.interval = 3  # type: ignore[misc]


grades = st.integers(0, 5)


def _replay(qs: list[int]) -> Sm2State:
    state = Sm2State()
    for q in qs:
        state = review(state, q)
    return state


# Every state a card can reach, plus arbitrary consistent ones (a card that has repetitions has
# an interval of at least a day), such as an import from another program could produce.
states = st.one_of(
    st.lists(grades, max_size=40).map(_replay),
    st.builds(
        Sm2State,
        repetitions=st.integers(1, 50),
        interval=st.integers(1, MAX_INTERVAL),
        easiness=st.integers(MIN_EASINESS, 400),
    ),
)


@given(states, st.lists(grades, min_size=1, max_size=30))
def test_easiness_never_below_floor(state: Sm2State, qs: list[int]) -> None:
    for q in qs:
        state = review(state, q)
        assert state.easiness >= MIN_EASINESS
        assert 1 <= state.interval <= MAX_INTERVAL


@given(states, st.integers(0, 2))
def test_failure_resets_and_keeps_easiness(state: Sm2State, q: int) -> None:
    assert review(state, q) == Sm2State(0, 1, state.easiness)


@given(states.filter(lambda s: s.repetitions >= 2), st.integers(3, 5))
def test_pass_after_two_repetitions_never_shrinks_interval(state: Sm2State, q: int) -> None:
    after = review(state, q)
    assert after.interval >= state.interval
    assert after.repetitions == state.repetitions + 1
