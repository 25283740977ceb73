"""Fixtures for the UI tests: an app factory over the shared `col` fixture.

The app gets the same FixedClock-driven collection the services tests use, so dates in screens
and snapshots never depend on the day the tests run, and a stepping timer, so every answer takes
exactly ANSWER_SECONDS and durations in the log and the summary are stable too.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from flashcards.services.collection import Collection
from flashcards.ui.app import HOME, FlashcardsApp

ANSWER_SECONDS = 4.0


def stepping_timer() -> Callable[[], float]:
    """A monotonic clock that moves ANSWER_SECONDS each time it is read (show, then grade)."""
    return itertools.count(0.0, ANSWER_SECONDS).__next__


@pytest.fixture
def make_app(col: Collection, tmp_path: Path) -> Callable[..., FlashcardsApp]:
    """Build the app like the CLI does; `grading`/`start_review` vary per test."""

    def factory(start_review=HOME, grading: str = "six") -> FlashcardsApp:
        settings = replace(col.settings, grading=grading)
        col.settings = settings
        return FlashcardsApp(
            col,
            settings,
            config_path=tmp_path / "config.toml",
            start_review=start_review,
            timer=stepping_timer(),
        )

    return factory
