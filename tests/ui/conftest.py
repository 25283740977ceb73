"""Fixtures for the UI tests: an app factory over the shared `col` fixture.

The app gets the same FixedClock-driven collection the services tests use, so dates in screens
and snapshots never depend on the day the tests run, and a stepping timer, so every answer takes
exactly ANSWER_SECONDS and durations in the log and the summary are stable too.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from flashcards.services.collection import Collection
from flashcards.ui.app import FlashcardsApp

ANSWER_SECONDS = 4.0


def stepping_timer() -> Callable[[], float]:
    """A monotonic clock that moves ANSWER_SECONDS each time it is read (show, then grade)."""
    return itertools.count(0.0, ANSWER_SECONDS).__next__


@dataclass(frozen=True)
class Notice:
    """One toast the app was asked to show, as the screen gave it."""

    message: str
    title: str = ""
    timeout: float | None = None  # seconds; None is Textual's default


class RecordingApp(FlashcardsApp):
    """The app, keeping every toast it is asked for in `notices`, so tests read them through
    the public `notify` rather than Textual's private notification list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notices: list[Notice] = []

    def notify(
        self, message: str, *, title: str = "", timeout: float | None = None, **kwargs: Any
    ) -> None:
        self.notices.append(Notice(str(message), str(title), timeout))
        super().notify(message, title=title, timeout=timeout, **kwargs)


@pytest.fixture
def make_app(col: Collection, tmp_path: Path) -> Callable[..., RecordingApp]:
    """Build the app like the CLI does: on the home screen, or, given `start_review` (a deck
    name), as `flashcards review DECK` (`review_all=True`: `flashcards review`)."""

    def factory(
        start_review: str | None = None, grading: str = "six", *, review_all: bool = False
    ) -> RecordingApp:
        settings = replace(col.settings, grading=grading)
        col.settings = settings
        return RecordingApp(
            col,
            settings,
            config_path=tmp_path / "config.toml",
            home=start_review is None and not review_all,
            review_deck=start_review,
            timer=stepping_timer(),
        )

    return factory


@pytest.fixture
def deck_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder the app is started in, which the import dialog lists: three deck files (one
    with an invalid card), a note that is no deck, and a subfolder."""
    folder = tmp_path / "my-decks"
    (folder / "more").mkdir(parents=True)
    (folder / "spanish.csv").write_text("front,back\nuno,one\n")
    (folder / "mixed.csv").write_text("front,back\nuno,one\n,no front\n")
    (folder / "medicine.toml").write_text('[deck]\nname = "Medicine"\n')
    (folder / "notes.txt").write_text("not a deck")
    (folder / "more" / "anatomy.toml").write_text('[deck]\nname = "Anatomy"\n')
    monkeypatch.chdir(folder)
    return folder
