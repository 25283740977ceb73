"""The Textual application: one factory for the CLI and the tests, and navigation between screens.

`FlashcardsApp` takes everything it needs (the open collection with its clock, the settings and
where they live), so tests build it with a `FixedClock` and a temporary database. Screens ask the
app to navigate (messages such as `HomeScreen.ReviewRequested`, or `open_review`, `finish_review`,
`leave_review`) so the rules for where "back" goes live in one place.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen

from flashcards.errors import UserError
from flashcards.sanitize import clean, clean_line
from flashcards.settings import Settings, default_config_path, save_settings
from flashcards.ui.heap import release
from flashcards.ui.stylesheets import first_read, read_the_rest

if TYPE_CHECKING:
    from flashcards.services.collection import Collection
    from flashcards.services.study import StudySession
    from flashcards.ui.commands import FlashcardsCommands
    from flashcards.ui.navigation import CramRequested, LeaveReview, ReviewFinished, StudyMoreNew
    from flashcards.ui.quick_home import QuickHome
    from flashcards.ui.quick_start import QuickStart
    from flashcards.ui.screens.home import HomeScreen
    from flashcards.ui.screens.review import ReviewScreen
    from flashcards.ui.upgrade_start import UpgradeStart

# Screens and the services are imported where they are needed: `flashcards review` paints its
# first card without loading the home, statistics, import or help screens, nor (given a
# `QuickStart`) Peewee and the study service; `flashcards` paints its deck list without the
# review screen, nor (given a `QuickHome`) Peewee and the services (cold start is a benchmark
# target).

T = TypeVar("T")


def _commands() -> type[FlashcardsCommands]:
    """The palette's own commands, loaded when the palette first opens (Textual takes a
    callable here for that): they read deck counts through the services."""
    from flashcards.ui.commands import FlashcardsCommands

    return FlashcardsCommands


class FlashcardsApp(App[int]):
    """The TUI. It opens on the home screen, or with `home=False` straight into a review of
    `review_deck` (None: every deck), and then leaving the review exits the app (`flashcards
    review`). `timer` measures answer durations (UI timing, not the domain clock); tests pass a
    fake for stable snapshots.

    Raises UserError when the settings name a theme Textual does not have: the file is the
    user's to fix, and a theme silently ignored looked like a setting that did nothing."""

    TITLE = "flashcards"
    COMMANDS = App.COMMANDS | {_commands}
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
    ]

    def __init__(
        self,
        collection: Collection | None,
        settings: Settings,
        config_path: Path | None = None,
        *,
        home: bool = True,
        review_deck: str | None = None,
        timer: Callable[[], float] = time.monotonic,
        quick: QuickStart | None = None,
        images: bool = True,
        quick_home: QuickHome | None = None,
        upgrade: UpgradeStart | None = None,
    ) -> None:
        """`collection` is None only with `quick`: the review's first card is painted from it,
        and the collection opened right after (`quick.open`); or with `quick_home`, which
        paints the home screen's deck list first in the same way. `images` False (a collection
        that holds no media) leaves out the image widgets and their libraries; `upgrade`
        (no collection either) shows an older collection's upgrade first."""
        if images:  # it asks the terminal for its cell size, which must happen before Textual
            import flashcards.ui.widgets.card_media  # noqa: F401
        self.images = images
        self.collection: Collection = collection  # type: ignore[assignment]  (set by quick)
        self.quick = quick
        self.quick_home = quick_home
        self.upgrade = upgrade
        self.start_error: UserError | None = None  # the collection could not be opened
        self.timer = timer
        self.settings = settings
        self.config_path = config_path
        self.review_deck = review_deck
        self.exit_after_review = not home
        # A quick first paint reads its own rules alone, the others right after it.
        css_path = first_read(quick_review=quick is not None, quick_home=quick_home is not None)
        super().__init__(css_path=css_path)
        if settings.theme not in self.available_themes:
            themes = ", ".join(sorted(self.available_themes))
            raise UserError(
                f"{config_path or default_config_path()}: unknown theme"
                f" {clean_line(settings.theme)!r} (available: {themes})"
            )

    def on_mount(self) -> None:
        self.theme = self.settings.theme
        if self.quick is not None:
            return  # the review is the app's first screen (get_default_screen)
        if self.upgrade is not None and self.collection is None:
            from flashcards.ui.screens.upgrade import UpgradeScreen

            self.push_screen(UpgradeScreen(self.upgrade, self.timer), callback=self._upgraded)
        elif self.exit_after_review:
            self.open_review(self.review_deck)
        elif self.quick_home is None:
            from flashcards.ui.screens.home import HomeScreen

            self.push_screen(HomeScreen(self.collection))

    def on_unmount(self) -> None:
        release()  # the start's objects back to the collector (`heap.py`)

    def _upgraded(self, result: tuple[Collection, str | None] | UserError | None) -> None:
        """The upgrade screen's answer: the collection and deck, or the error ending the app."""
        if isinstance(result, tuple):
            self.collection, self.review_deck = result
            self.on_mount()
        else:
            self.start_error = result or UserError("the collection was not opened")
            self.exit(1, return_code=1)

    def get_default_screen(self) -> Screen:
        """With a quick start, the review of its first card is the app's one screen (leaving
        the review ends the app, so nothing is ever shown beneath it); with a quick home, its
        screen is the app's first one (the rest is pushed over it). Either way no empty screen
        beneath it to build, style and paint before the first frame (~5 ms)."""
        if self.quick is not None:
            return self._review_screen(None)
        if self.quick_home is None:
            return super().get_default_screen()
        from flashcards.ui.screens.home import HomeScreen

        first, load = self.quick_home.counts, self._open_quick_collection
        return HomeScreen(None, first=first, load=load)

    def watch_theme(self, theme: str) -> None:
        """Persist a theme change (palette, ctrl+p) in the config file."""
        settings = getattr(self, "settings", None)
        if settings is None or theme == settings.theme:
            return
        self.settings = replace(settings, theme=theme)
        try:
            save_settings(self.settings, self.config_path)
        except UserError as exc:  # the theme still applies to this session
            self.notify(
                clean_line(f"Could not save the theme: {exc}"), severity="error", markup=False
            )

    # -- navigation ---------------------------------------------------------------------------

    def open_review(self, deck: str | None, *, cram: bool = False, replace: bool = False) -> None:
        """Review a deck tree (None: every deck); 'nothing due' when the queue is empty."""
        from flashcards.services.daily_limits import new_cards_waiting, next_due_date
        from flashcards.services.study import StudySession

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
            waiting = new_cards_waiting(self.collection, session.deck_ids, today)
            screen = NothingDueScreen(deck, next_due, today, waiting)
        else:
            if cram:
                self.notify("Cram session: nothing will be recorded", timeout=2)
            screen = self._review_screen(session)
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def study_more_new(self, deck: str | None, extra: int) -> None:
        """Allow `extra` more new cards today, then review if that gave any."""
        from flashcards.services.daily_limits import raise_new_limit_today
        from flashcards.services.study import StudySession

        try:
            raise_new_limit_today(self.collection, deck, extra)
            session = StudySession(self.collection, deck)
        except UserError as exc:  # a busy or read-only collection: nothing changed
            self.notify(clean_line(exc), severity="error", markup=False)
            return
        if session.current() is None:
            self.notify("No new cards left in this deck", severity="warning")
            return
        self.switch_screen(self._review_screen(session))

    def _review_screen(self, session: StudySession | None) -> ReviewScreen:
        """The review of `session`, or with None the quick start's first card (see `QuickStart`)."""
        from flashcards.ui.screens.review import ReviewScreen

        quick = self.quick if session is None else None
        return ReviewScreen(
            session,
            self.settings.grading,
            lenient=self.settings.lenient_typing,
            timer=self.timer,
            images=self.images,
            first=quick.first if quick else None,
            load=self._open_quick_session if quick else None,
        )

    def _open_quick_session(self) -> StudySession:
        """The collection and the session behind the quick start's first card, once the card is
        on screen (`_after_first_paint`)."""
        from flashcards.services.study import StudySession

        assert self.quick is not None
        quick = self.quick

        def session() -> StudySession:
            self.collection = quick.open()
            return StudySession(self.collection, self.review_deck)

        return self._after_first_paint(session)

    def _open_quick_collection(self) -> Collection:
        """The collection behind the quick home's deck list, once the list is on screen."""
        assert self.quick_home is not None
        quick_home = self.quick_home

        def collection() -> Collection:
            self.collection = quick_home.open()
            return self.collection

        return self._after_first_paint(collection)

    def _after_first_paint(self, load: Callable[[], T]) -> T:
        """What a quick start's first paint left out: the rest of the stylesheet, then `load`
        (the collection, and what is built on it). A collection that cannot be opened ends the
        app with its message, which the CLI prints (`start_error`)."""
        read_the_rest(self)
        try:
            return load()
        except UserError as exc:
            self.start_error = exc
            self.exit(1, return_code=1)
            raise

    def on_review_finished(self, message: ReviewFinished) -> None:
        self.finish_review(message.session)

    def on_study_more_new(self, message: StudyMoreNew) -> None:
        self.study_more_new(message.deck, message.extra)

    def on_cram_requested(self, message: CramRequested) -> None:
        self.open_review(message.deck, cram=True, replace=True)

    def on_leave_review(self, message: LeaveReview) -> None:
        self.leave_review()

    def finish_review(self, session: StudySession) -> None:
        """The session ended or the user left it: the summary if anything was answered."""
        from flashcards.ui.screens.summary import SummaryScreen

        summary = session.summary()
        if summary.reviewed or summary.drills:
            screen = SummaryScreen(summary, self.collection.clock.today(), session.cram)
            if len(self.screen_stack) == 1:  # the quick start's review, the app's first screen:
                self.push_screen(screen)  # Textual switches only a screen that was pushed
            else:
                self.switch_screen(screen)
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

        self.push_screen(BrowseScreen(self.collection, query))

    def open_add(self, deck: str | None = None) -> None:
        """The Add screen, its deck set to `deck` (or the first deck)."""
        from flashcards.ui.screens.add_note import AddNoteScreen

        self.push_screen(AddNoteScreen(self.collection, deck))

    def open_import(self) -> None:
        from flashcards.ui.screens.import_dialog import ImportScreen

        self.push_screen(ImportScreen(self.collection, Path.cwd(), images=self.images))

    # The home screen asks for these; its module is imported only when it is shown.
    def on_home_screen_review_requested(self, message: HomeScreen.ReviewRequested) -> None:
        self.open_review(message.deck)

    def on_home_screen_stats_requested(self, message: HomeScreen.StatsRequested) -> None:
        self.open_stats(message.deck)

    def on_home_screen_import_requested(self, _message: HomeScreen.ImportRequested) -> None:
        self.open_import()

    def on_home_screen_add_requested(self, message: HomeScreen.AddRequested) -> None:
        self.open_add(message.deck)

    def on_home_screen_browse_requested(self, _message: HomeScreen.BrowseRequested) -> None:
        self.open_browse()

    def action_help(self) -> None:
        from flashcards.ui.screens.help import HelpScreen, binding_rows, help_title

        if isinstance(self.screen, ModalScreen):
            return
        rows = binding_rows(self.screen, self.BINDINGS)
        self.push_screen(HelpScreen(help_title(self.screen), rows))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A dialog (help, edit) shows and takes only its own keys: no help over it. Nor help or
        the palette in the moment between a screen's first paint and the rest of it (`ready`):
        both read what is mounted then, and the collection a quick start opens then."""
        if action in ("help", "command_palette") and not getattr(self.screen, "ready", True):
            return False
        if action == "quit" and self.upgrade is not None and self.collection is None:
            return False  # ctrl+q on the upgrade screen stops the upgrade (it ends the app)
        return not (action == "help" and isinstance(self.screen, ModalScreen))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast (screens' `notify` lands here) is plain, cleaned text: messages quote deck
        names, paths and error text, so they are never parsed as markup, whatever `markup` says."""
        super().notify(
            clean(message),
            title=clean_line(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    async def on_event(self, event: events.Event) -> None:
        """Pasted text is cleaned before any input gets it: an input or text area shows what it
        holds as it is, so a path or answer copied from elsewhere could carry an ESC sequence."""
        if isinstance(event, events.Paste):
            event.text = clean(event.text)
        await super().on_event(event)

    def action_help_quit(self) -> None:
        """ctrl+c does not quit: say which key does. Textual's own hint is markup, which `notify`
        above would show literally, so it is given here as plain text."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(f"Press {key} to quit the app", title="Do you want to quit?")
                return
