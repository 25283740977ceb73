"""The statistics screen: opened from home with `s`, figures shown, scope toggle, back, snapshot."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from flashcards.ui.app import FlashcardsApp
from flashcards.ui.screens.stats import StatsScreen
from flashcards.ui.widgets.forecast_chart import ForecastChart
from flashcards.ui.widgets.hardest_cards import HardestCards
from flashcards.ui.widgets.heatmap import Heatmap
from tests.stats.history import card, log

TODAY = dt.date(2026, 3, 2)


def _history(col) -> None:
    """Two decks; 'Lang' (first on the home screen) has 2 reviews today, 'Maths' 1."""
    a = card(col, "Lang", due=TODAY, repetitions=2, interval=6, easiness=230, lapses=2)
    b = card(col, "Lang", due=TODAY + dt.timedelta(days=3), repetitions=3, interval=30)
    m = card(col, "Maths", due=TODAY + dt.timedelta(days=1), repetitions=1, interval=1)
    card(col, "Maths")
    for d in range(0, 40, 1):
        if d % 9 != 4:  # a gap every nine days
            log(a, TODAY - dt.timedelta(days=d), 4 if d % 3 else 2, reps=2, interval=6, seconds=7)
    log(b, TODAY, 5, reps=2, interval=30, seconds=5)
    log(m, TODAY, 3, reps=0, seconds=4)
    log(m, TODAY, 4, drill=True, seconds=3)


@pytest.fixture
def app(col, tmp_path: Path) -> FlashcardsApp:
    """The real app over the shared FixedClock collection, opening on the home screen."""
    return FlashcardsApp(col, col.settings, config_path=tmp_path / "config.toml")


def _text(screen, selector: str) -> str:
    return str(screen.query_one(selector).content)


async def _settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_s_on_home_opens_statistics_with_the_numbers(col, app):
    _history(col)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down", "s")  # the row under 'All decks' is 'Lang'
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        assert screen.stats is not None and screen.stats.deck == "Lang"
        today = _text(screen, "#stats-today")
        assert "reviews 2" in " ".join(today.split())
        assert "streak 4 d (best 8)" in " ".join(today.split())
        cards = " ".join(_text(screen, "#stats-cards").split())
        assert "young 1" in cards and "mature 1" in cards and "new 0" in cards
        assert screen.query_one(Heatmap).days == screen.stats.reviews_per_day
        assert screen.query_one(ForecastChart).days[0].due == 1

        await pilot.press("a")  # every deck
        await _settle(pilot)
        assert screen.stats.deck is None
        assert "reviews 3" in " ".join(_text(screen, "#stats-today").split())
        assert "new 1" in " ".join(_text(screen, "#stats-cards").split())

        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, StatsScreen)


async def test_q_goes_back_and_an_empty_collection_shows_zeros(col, app):
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(StatsScreen(col, None))
        await _settle(pilot)
        screen = app.screen
        assert "reviews 0" in " ".join(_text(screen, "#stats-today").split())
        assert "none yet" in str(screen.query_one(HardestCards).render())
        await pilot.press("a")  # nothing to switch to: a notice, no crash
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, StatsScreen)


def test_stats_screen_snapshot(col, app, snap_compare):
    _history(col)

    async def run_before(pilot) -> None:
        await pilot.press("down", "s")
        await _settle(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))
