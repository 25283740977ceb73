"""The Textual application: one factory for the CLI and the tests, and navigation between screens.

`FlashcardsApp` takes everything it needs (the open collection with its clock, the settings and
where they live), so tests build it with a `FixedClock` and a temporary database. Screens ask the
app to navigate (`open_review`, `finish_review`, `leave_review`) so the rules for where "back" goes
live in one place.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from textual.app import App
from textual.binding import Binding

from flashcards.errors import UserError
from flashcards.services.collection import Collection
from flashcards.services.daily_limits import next_due_date, raise_new_limit_today
from flashcards.services.study import StudySession
from flashcards.settings import Settings, save_settings
from flashcards.ui.commands import FlashcardsCommands
from flashcards.ui.screens.review import ReviewScreen

# Other screens are imported where they are opened: `flashcards review` paints its first card
# without loading the home, statistics, import or help screens (cold start is a benchmark target).


class Start(enum.Enum):
    """Where the app opens when no deck review was asked for."""

    HOME = "home"


HOME = Start.HOME


class FlashcardsApp(App[int]):
    """The TUI. `start_review`: HOME for the home screen, a deck name or None (every deck) to
    open straight into a review; in that case leaving the review exits the app. `timer` measures
    answer durations (UI timing, not the domain clock); tests pass a fake for stable snapshots."""

    CSS_PATH = "app.tcss"
    TITLE = "flashcards"
    COMMANDS = App.COMMANDS | {FlashcardsCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
    ]

    def __init__(
        self,
        collection: Collection,
        settings: Settings,
        config_path: Path | None = None,
        start_review: str | None | Start = HOME,
        *,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self.collection = collection
        self.timer = timer
        self.settings = settings
        self.config_path = config_path
        self.start_review = start_review
        self.exit_after_review = start_review is not HOME
        super().__init__()

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        if self.start_review is HOME:
            from flashcards.ui.screens.home import HomeScreen

            self.push_screen(HomeScreen())
        else:
            self.open_review(self.start_review)

    def watch_theme(self, theme: str) -> None:
        """Persist a theme change (palette, ctrl+p) in the config file."""
        settings = getattr(self, "settings", None)
        if settings is None or theme == settings.theme:
            return
        self.settings = replace(settings, theme=theme)
        try:
            save_settings(self.settings, self.config_path)
        except OSError as exc:
            self.notify(f"Could not save the theme: {exc}", severity="error")

    def toggle_dark_light(self) -> None:
        """Switch between textual-dark and textual-light."""
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    # -- navigation ---------------------------------------------------------------------------

    def open_review(self, deck: str | None, *, cram: bool = False, replace: bool = False) -> None:
        """Review a deck tree (None: every deck); 'nothing due' when the queue is empty."""
        try:
            session = StudySession(self.collection, deck, cram=cram)
        except UserError as exc:
            self.notify(str(exc), severity="error")
            return
        if session.current() is None:
            if cram:
                self.notify("This deck has no cards to cram", severity="warning")
                return
            from flashcards.ui.screens.nothing_due import NothingDueScreen

            today = self.collection.clock.today()
            next_due = next_due_date(self.collection, session.deck_ids, today)
            screen = NothingDueScreen(deck, next_due, today)
        else:
            if cram:
                self.notify("Cram session: nothing will be recorded")
            screen = ReviewScreen(session, self.settings.grading)
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def study_more_new(self, deck: str | None, extra: int) -> None:
        """Allow `extra` more new cards today, then review if that gave any."""
        raise_new_limit_today(self.collection, deck, extra)
        session = StudySession(self.collection, deck)
        if session.current() is None:
            self.notify("No new cards left in this deck", severity="warning")
            return
        self.switch_screen(ReviewScreen(session, self.settings.grading))

    def finish_review(self, session: StudySession) -> None:
        """The session ended or the user left it: the summary if anything was answered."""
        from flashcards.ui.screens.summary import SummaryScreen

        summary = session.summary()
        if summary.reviewed or summary.drills:
            self.switch_screen(SummaryScreen(summary, self.collection.clock.today(), session.cram))
        else:
            self.leave_review()

    def leave_review(self) -> None:
        """Back home, or out of the app when it was opened with `flashcards review`."""
        if self.exit_after_review:
            self.exit(0)
        else:
            self.pop_screen()

    def open_stats(self, deck: str | None) -> None:
        from flashcards.ui.screens.stats import StatsScreen

        self.push_screen(StatsScreen(self.collection, deck))

    def open_browse(self, query: str = "") -> None:
        from flashcards.ui.screens.browse import BrowseScreen

        self.push_screen(BrowseScreen(query))

    def open_import(self) -> None:
        from flashcards.ui.screens.import_dialog import ImportScreen

        self.push_screen(ImportScreen())

    def action_help(self) -> None:
        from flashcards.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen, self.BINDINGS))
