"""collection_stats on known histories: every figure against a hand-computed value."""

from __future__ import annotations

import datetime as dt

import pytest

from flashcards.clock import FixedClock
from flashcards.errors import UserError
from flashcards.services.grading import LEECH_TAG
from flashcards.services.study import StudySession
from flashcards.stats import (
    CardCounts,
    DayCount,
    EaseCount,
    ForecastDay,
    RetentionFigure,
    Streak,
    TodayStats,
    collection_stats,
    home_figures,
)
from tests.conftest import add_cards
from tests.stats.history import card, log

TODAY = dt.date(2026, 3, 2)  # the study day of conftest's START (Monday 10:00)


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


# -- today ----------------------------------------------------------------------------------------


def test_today_counts_answers_new_cards_drills_correct_and_time(col):
    a, b, c = card(col), card(col), card(col)
    log(a, TODAY, 4, seconds=5)  # a new card learned
    log(b, TODAY, 2, reps=2, interval=6, seconds=10)  # a lapse…
    log(b, TODAY, 3, drill=True, seconds=4)  # …drilled twice
    log(b, TODAY, 4, drill=True, seconds=3)
    log(c, TODAY, 5, reps=1, interval=1, seconds=8)
    log(c, ago(1), 5, seconds=100)  # yesterday: not today
    stats = collection_stats(col)
    assert stats.today == TodayStats(reviews=3, new=1, drills=2, correct=2, seconds=30.0)
    assert stats.today.correct_share == pytest.approx(2 / 3)


def test_today_with_nothing_done(col):
    card(col)
    stats = collection_stats(col)
    assert stats.today == TodayStats(0, 0, 0, 0, 0.0)
    assert stats.today.correct_share is None


def test_an_answer_before_the_rollover_hour_counts_for_the_previous_day(col, clock):
    """Through a real session: 02:00 on Tuesday is still Monday's study day (rollover 04:00)."""
    add_cards(col, "D", 2)
    clock.set(dt.datetime(2026, 3, 3, 2, 0))  # Tuesday 02:00 → study day Monday
    session = StudySession(col, "D")
    session.answer(4)
    clock.set(dt.datetime(2026, 3, 3, 4, 30))  # Tuesday 04:30 → study day Tuesday
    session2 = StudySession(col, "D")
    session2.answer(4)
    stats = collection_stats(col)
    assert stats.day == dt.date(2026, 3, 3)
    assert stats.today.reviews == 1
    assert stats.reviews_per_day[-2:] == (
        DayCount(dt.date(2026, 3, 2), 1),
        DayCount(dt.date(2026, 3, 3), 1),
    )
    assert stats.streak == Streak(2, 2)


# -- streaks --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_ago", "expected", "home"),
    [
        ([], Streak(0, 0), 0),
        ([0], Streak(1, 1), 1),
        ([0, 1, 2], Streak(3, 3), 3),
        ([1, 2], Streak(2, 2), 2),  # nothing yet today: the streak stands until the day ends
        ([2, 3, 4], Streak(0, 3), 0),  # yesterday missed: broken
        ([0, 1, 3, 4, 5, 6], Streak(2, 4), 2),  # a gap on day -2 breaks the run
        ([0, 400, 401, 402, 403, 404], Streak(1, 5), 1),  # the longest run is older than a year
        ([0, 364, 365, 366], Streak(1, 3), 1),  # a run across the one-year boundary
    ],
)
def test_streaks(col, days_ago, expected, home):
    c = card(col)
    for d in days_ago:
        log(c, ago(d))
    assert collection_stats(col).streak == expected
    assert home_figures(col).streak == home


def test_a_drill_alone_keeps_a_day_in_the_streak(col):
    c = card(col)
    log(c, ago(1), drill=True)
    assert collection_stats(col).streak == Streak(1, 1)


# -- reviews per day ------------------------------------------------------------------------------


def test_reviews_per_day_cover_the_last_year_and_skip_drills(col):
    c = card(col)
    for d, n in [(0, 2), (3, 1), (29, 4), (30, 5), (364, 1), (365, 7)]:
        for _ in range(n):
            log(c, ago(d))
    log(c, ago(3), drill=True)
    stats = collection_stats(col)
    per_day = stats.reviews_per_day
    assert len(per_day) == 365
    assert per_day[0] == DayCount(ago(364), 1)
    assert per_day[-1] == DayCount(TODAY, 2)
    assert {d.date: d.count for d in per_day if d.count} == {
        TODAY: 2,
        ago(3): 1,
        ago(29): 4,
        ago(30): 5,
        ago(364): 1,
    }
    assert len(stats.last_30_days) == 30
    assert sum(d.count for d in stats.last_30_days) == 2 + 1 + 4


# -- true retention -------------------------------------------------------------------------------


def test_true_retention_by_window_and_maturity(col):
    c = card(col)
    rows = [
        # (days ago, q, reps before, interval before, drill)
        (0, 4, 2, 6, False),  # young ok          (7, 30, 365)
        (0, 2, 3, 15, False),  # young fail        (7, 30, 365)
        (0, 5, 0, 0, False),  # new card: not retention
        (0, 4, 0, 1, True),  # drill: never counts
        (0, 1, 3, 15, True),  # drill failure: never counts
        (6, 3, 4, 21, False),  # mature ok (21 is mature)  (7, 30, 365)
        (7, 2, 4, 40, False),  # mature fail       (30, 365)
        (29, 5, 1, 1, False),  # young ok          (30, 365)
        (30, 4, 5, 90, False),  # mature ok        (365)
        (364, 0, 5, 90, False),  # mature fail     (365)
        (365, 5, 5, 90, False),  # older than a year: nowhere
    ]
    for d, q, reps, interval, drill in rows:
        log(c, ago(d), q, reps=reps, interval=interval, drill=drill)
    by_days = {r.days: r for r in collection_stats(col).retention}
    assert set(by_days) == {7, 30, 365}
    expected = {
        7: (RetentionFigure(2, 1), RetentionFigure(1, 1)),
        30: (RetentionFigure(3, 2), RetentionFigure(2, 1)),
        365: (RetentionFigure(3, 2), RetentionFigure(4, 2)),
    }
    for days, (young, mature) in expected.items():
        assert (by_days[days].young, by_days[days].mature) == (young, mature), days
    assert by_days[365].total == RetentionFigure(7, 4)
    assert by_days[365].total.rate == pytest.approx(4 / 7)
    assert by_days[7].young.rate == 0.5


def test_retention_is_none_without_reviews(col):
    card(col)
    for r in collection_stats(col).retention:
        assert r.total == RetentionFigure(0, 0) and r.total.rate is None


# -- forecast and counts --------------------------------------------------------------------------


def test_forecast_counts_overdue_today_and_excludes_suspended_and_new(col):
    card(col, due=ago(10), repetitions=3, interval=15)  # overdue → today
    card(col, due=TODAY, repetitions=1, interval=1)
    card(col, due=TODAY + dt.timedelta(days=1), repetitions=2, interval=6)
    card(col, due=TODAY + dt.timedelta(days=29), repetitions=3, interval=30)  # last day shown
    card(col, due=TODAY + dt.timedelta(days=30), repetitions=3, interval=30)  # beyond
    card(col, due=TODAY + dt.timedelta(days=1), repetitions=2, interval=6, suspended=True)
    card(col)  # new
    buried = card(col, due=TODAY, repetitions=2, interval=6, buried_until=TODAY + dt.timedelta(1))
    assert buried
    fc = collection_stats(col).forecast
    assert len(fc) == 30
    assert fc[0] == ForecastDay(TODAY, 3)  # overdue + due today + the buried one
    assert fc[1] == ForecastDay(TODAY + dt.timedelta(days=1), 1)
    assert fc[29] == ForecastDay(TODAY + dt.timedelta(days=29), 1)
    assert sum(f.due for f in fc) == 5


def test_card_counts_by_state_and_easiness(col):
    card(col)  # new
    card(col)  # new
    card(col, due=TODAY, repetitions=1, interval=1, easiness=250)  # learning
    card(col, due=TODAY, repetitions=0, interval=1, easiness=230, lapses=1)  # relearning
    card(col, due=TODAY, repetitions=2, interval=6, easiness=250)  # young
    card(col, due=TODAY, repetitions=3, interval=20, easiness=260)  # young (20 < 21)
    card(col, due=TODAY, repetitions=3, interval=21, easiness=260)  # mature
    card(col, due=TODAY, repetitions=9, interval=300, easiness=130, lapses=8,
         suspended=True, tags=f"verb {LEECH_TAG}")  # fmt: skip
    card(col, suspended=True)  # a new card suspended
    card(col, due=TODAY, repetitions=2, interval=6, tags="leeches")  # not the leech tag
    stats = collection_stats(col)
    assert stats.counts == CardCounts(new=2, learning=2, young=3, mature=1, suspended=2, leech=1)
    assert stats.counts.total == 10
    assert stats.easiness == (
        EaseCount(130, 1),
        EaseCount(230, 1),
        EaseCount(250, 3),
        EaseCount(260, 2),
    )


def test_hardest_cards_most_lapses_then_lowest_easiness(col):
    ids = {}
    for name, lapses, ease in [("a", 3, 200), ("b", 5, 250), ("c", 3, 150), ("d", 0, 130)]:
        ids[name] = card(col, "Lang::Verbs", due=TODAY, repetitions=1, interval=1,
                         lapses=lapses, easiness=ease)  # fmt: skip
    card(col, lapses=9)  # never reviewed (due NULL): not listed
    for i in range(12):
        card(col, "Other", due=TODAY, repetitions=2, interval=6, easiness=250 + i)
    hardest = collection_stats(col).hardest
    assert len(hardest) == 10
    assert [h.id for h in hardest[:4]] == [ids["b"], ids["c"], ids["a"], ids["d"]]
    assert hardest[0].deck == "Lang::Verbs" and hardest[0].lapses == 5


# -- one deck and its subdecks --------------------------------------------------------------------


def test_a_deck_means_the_deck_and_its_subdecks(col):
    lang = card(col, "Lang", due=TODAY, repetitions=2, interval=6)
    verbs = card(col, "Lang::Verbs", due=TODAY, repetitions=2, interval=30)
    other = card(col, "Language", due=TODAY, repetitions=2, interval=6)  # a prefix, not a child
    geo = card(col, "Geo")
    for c in (lang, verbs, other, geo):
        log(c, TODAY, 4, reps=2, interval=6)
    log(verbs, ago(1), 2, reps=3, interval=30)
    log(other, ago(2), 4)

    whole = collection_stats(col)
    assert whole.today.reviews == 4 and whole.counts.total == 4
    assert whole.streak == Streak(3, 3)

    tree = collection_stats(col, "Lang")
    assert tree.deck == "Lang"
    assert tree.today.reviews == 2
    assert tree.counts == CardCounts(new=0, learning=0, young=1, mature=1, suspended=0, leech=0)
    assert tree.streak == Streak(2, 2)
    assert [f.due for f in tree.forecast][:1] == [2]
    assert tree.retention[0].mature == RetentionFigure(1, 0)

    sub = collection_stats(col, "Lang :: Verbs")
    assert sub.counts.mature == 1 and sub.counts.total == 1


def test_an_unknown_deck_is_a_user_error(col):
    card(col, "Lang")
    with pytest.raises(UserError, match="no deck named 'Nope'"):
        collection_stats(col, "Nope")


def test_future_days_from_a_clock_moved_back_are_ignored(col):
    c = card(col)
    log(c, TODAY + dt.timedelta(days=3))
    stats = collection_stats(col)
    assert stats.today.reviews == 0
    assert sum(d.count for d in stats.reviews_per_day) == 0


def test_stats_follow_the_clock(db_target):
    from flashcards.services.collection import open_collection

    clock = FixedClock(dt.datetime(2026, 3, 2, 3, 59))  # before the rollover: still March 1st
    with open_collection(db_target, clock=clock) as col:
        c = card(col)
        log(c, dt.date(2026, 3, 1))
        assert collection_stats(col).today.reviews == 1
        clock.set(dt.datetime(2026, 3, 2, 4, 0))
        assert collection_stats(col).today.reviews == 0
        assert collection_stats(col).streak == Streak(1, 1)
