"""The study day shifts by the rollover hour; `now()` is UTC."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from flashcards.clock import FixedClock, SystemClock, study_day


@pytest.mark.parametrize(
    ("local", "rollover", "day"),
    [
        (dt.datetime(2026, 3, 2, 2, 0), 4, dt.date(2026, 3, 1)),  # 02:00 is still yesterday
        (dt.datetime(2026, 3, 2, 3, 59), 4, dt.date(2026, 3, 1)),
        (dt.datetime(2026, 3, 2, 4, 0), 4, dt.date(2026, 3, 2)),
        (dt.datetime(2026, 3, 2, 23, 59), 4, dt.date(2026, 3, 2)),
        (dt.datetime(2026, 3, 2, 0, 0), 0, dt.date(2026, 3, 2)),
        (dt.datetime(2026, 1, 1, 1, 0), 4, dt.date(2025, 12, 31)),  # across a year
    ],
)
def test_study_day(local: dt.datetime, rollover: int, day: dt.date) -> None:
    assert study_day(local, rollover) == day
    assert FixedClock(local, rollover_hour=rollover).today() == day


def test_fixed_clock_now_is_utc_and_moves() -> None:
    clock = FixedClock(dt.datetime(2026, 3, 2, 10, 0), utc_offset_hours=2)
    assert clock.now() == dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    clock.advance(days=1, hours=17)  # 03:00 on the 4th: still the 3rd
    assert clock.today() == dt.date(2026, 3, 3)


def test_system_clock_reads_the_real_time() -> None:
    with freeze_time("2026-06-01 01:30:00", tz_offset=0):
        clock = SystemClock(rollover_hour=4)
        assert clock.now() == dt.datetime(2026, 6, 1, 1, 30, tzinfo=dt.UTC)
        assert clock.now().tzinfo is not None


@pytest.mark.parametrize("hour", [-1, 24])
def test_system_clock_refuses_bad_rollover(hour: int) -> None:
    with pytest.raises(ValueError):
        SystemClock(hour)
