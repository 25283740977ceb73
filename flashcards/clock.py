"""Where domain code gets the time from.

Nothing outside this module reads the system clock: services take a `Clock`, so tests pin the time
with `FixedClock` and every date rule (the rollover hour above all) is checked without freezegun.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

DEFAULT_ROLLOVER_HOUR = 4


class Clock(Protocol):
    """What domain code may ask about time."""

    def now(self) -> dt.datetime:
        """The current instant, timezone-aware, in UTC."""
        ...

    def today(self) -> dt.date:
        """The study day: the local date shifted back by the rollover hour."""
        ...


def study_day(local: dt.datetime, rollover_hour: int) -> dt.date:
    """The study day of a local time: before the rollover hour it is still the previous day.

    Anki does the same, so a session that runs past midnight counts for the evening it began in.
    """
    return (local - dt.timedelta(hours=rollover_hour)).date()


class SystemClock:
    """The real clock, in the machine's local zone."""

    def __init__(self, rollover_hour: int = DEFAULT_ROLLOVER_HOUR) -> None:
        if not 0 <= rollover_hour <= 23:
            raise ValueError(f"rollover hour must be 0..23, not {rollover_hour}")
        self.rollover_hour = rollover_hour

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def today(self) -> dt.date:
        return study_day(dt.datetime.now().astimezone(), self.rollover_hour)


class FixedClock:
    """A clock that says what it is told; for tests and benchmarks.

    `local` is the user's wall-clock time (naive, in their zone); `utc_offset_hours` says how
    far that zone is from UTC, so `now()` stays consistent with it.
    """

    def __init__(
        self,
        local: dt.datetime,
        rollover_hour: int = DEFAULT_ROLLOVER_HOUR,
        utc_offset_hours: float = 0,
    ) -> None:
        self.local = local.replace(tzinfo=None)
        self.rollover_hour = rollover_hour
        self.offset = dt.timedelta(hours=utc_offset_hours)

    def now(self) -> dt.datetime:
        return (self.local - self.offset).replace(tzinfo=dt.UTC)

    def today(self) -> dt.date:
        return study_day(self.local, self.rollover_hour)

    def advance(self, **delta: float) -> None:
        """Move time forward, e.g. `clock.advance(days=1)` or `clock.advance(seconds=8)`."""
        self.local += dt.timedelta(**delta)

    def set(self, local: dt.datetime) -> None:
        """Jump to a wall-clock time (backwards too: the tests of a clock moved back use it)."""
        self.local = local.replace(tzinfo=None)
