"""`flashcards review` paints its first card before the collection is opened (`QuickStart`).

The card painted first is the fast path's; the session is loaded right after, before any key
acts, and its card is the one answered (and committed before the next shows). A collection that
changed in between shows the session's card; one that cannot be opened ends the app with its
message. And at the first frame, neither Peewee nor the study service has been imported, and
the stylesheet holds the first paint's rules alone.
"""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from flashcards.cli import review_cmd
from flashcards.errors import UserError
from flashcards.services.bundled import INSTALLED_FLAG
from flashcards.services.collection import Collection
from flashcards.services.first_card import first_card
from flashcards.storage import Card, Meta, Review
from flashcards.ui.app import FlashcardsApp
from flashcards.ui.quick_start import QuickStart
from flashcards.ui.screens.review import ReviewScreen
from flashcards.ui.screens.summary import SummaryScreen
from flashcards.ui.stylesheets import APP_CSS
from tests.conftest import add_cards
from tests.ui.conftest import RecordingApp, stepping_timer
from tests.ui.helpers import shown, wait_until


@pytest.fixture
def sqlite_col(col: Collection, db_target: str) -> Collection:
    if "://" in db_target:
        pytest.skip("the fast first card is read from SQLite files only")
    Meta.put(INSTALLED_FLAG, "2026-03-01")
    add_cards(col, "Spanish", 3, "es")
    return col


def quick_app(col: Collection, card_id: int | None = None, opener=None) -> RecordingApp:
    """The app as `flashcards review` builds it on the fast path (the collection already open
    in the test stands for the one `opener` would open)."""
    fast = first_card(col.target, None, col.settings, col.clock.today())
    assert fast is not None
    card = fast.card
    if card_id is not None:  # the collection changed after the fast read
        card = Card.get_by_id(card_id)
        card = fast.card._replace(id=card.id, front=card.front)
    return RecordingApp(
        None,
        col.settings,
        home=False,
        timer=stepping_timer(),
        quick=QuickStart(card, opener or (lambda: col)),
        images=fast.has_media,
    )


def usual_app(col: Collection) -> RecordingApp:
    """The app as `flashcards review` builds it where the fast path does not apply."""
    return RecordingApp(col, col.settings, home=False, timer=stepping_timer())


async def test_the_first_card_is_painted_then_answered_through_the_session(
    sqlite_col: Collection,
) -> None:
    app = quick_app(sqlite_col)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert "es front 0" in shown(screen, "#question")
        await pilot.press("space")  # pressed at once: it waits for the session
        while not screen.revealed:
            await pilot.pause()
        assert "es back 0" in shown(screen, "#answer")
        await pilot.press("4")
        await pilot.pause()
        assert Review.select().count() == 1  # committed before the next card shows
        # timed from the first paint: two reads of the stepping timer (paint, grade) and the
        # one the full card's display takes in between (4 s each), not the timer's origin
        assert Review.get().duration_ms == 8_000
        assert "es front 1" in shown(screen, "#question")


async def test_the_rest_of_the_stylesheet_applies_once_the_first_card_is_painted(
    sqlite_col: Collection,
) -> None:
    """The first frame is styled by first_paint.tcss alone; app.tcss is read right after it,
    before the grade bar, the typed-answer box and the answer are mounted, so they start hidden
    as on the usual path and show on a reveal."""
    app = quick_app(sqlite_col)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: screen.ready)
        assert app.stylesheet.has_source(str(APP_CSS))
        hidden = ("GradeBar", "#typed-answer", "#card-rule", "#answer")
        assert not any(screen.query_one(selector).display for selector in hidden)
        assert screen.query_one("SessionProgress").styles.height.value == 1  # app.tcss
        await pilot.press("space")
        await wait_until(pilot, lambda: screen.revealed)
        assert all(screen.query_one(s).display for s in ("GradeBar", "#card-rule", "#answer"))


async def test_the_quick_review_is_the_apps_one_screen_and_ends_it_after_the_summary(
    sqlite_col: Collection,
) -> None:
    """No screen lies beneath the quick start's review (it is the app's first screen); the
    summary comes over it, and leaving the summary, or the review itself, ends the app."""
    app, left_at_once = quick_app(sqlite_col), quick_app(sqlite_col)
    async with left_at_once.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")  # at once, before the session is there
    assert left_at_once.return_code == 0

    async with app.run_test(size=(80, 24)) as pilot:
        assert len(app.screen_stack) == 1 and isinstance(app.screen, ReviewScreen)
        for _ in range(3):
            await pilot.press("space", "4")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await pilot.press("enter")
    assert app.return_code == 0
    assert Review.select().count() == 3


async def pictures(app: RecordingApp, size: tuple[int, int]) -> tuple[str, str]:
    """Screenshots of the review once it is ready: the question, then the answer."""
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        screen = app.screen
        await wait_until(pilot, lambda: screen.ready)
        await pilot.pause()
        question = app.export_screenshot()
        await pilot.press("space")
        await wait_until(pilot, lambda: screen.revealed)
        await pilot.pause()
        return question, app.export_screenshot()


@pytest.mark.parametrize("size", [(60, 20), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_quick_review_looks_as_the_usual_one_once_ready(
    sqlite_col: Collection, size: tuple[int, int]
) -> None:
    """The first paint's stylesheet with app.tcss read after it, on the app's first screen,
    draws exactly what the usual path draws (both stylesheets at once, the review pushed):
    the question, then the answer with its grade bar."""
    quick = await pictures(quick_app(sqlite_col), size)
    assert quick == await pictures(usual_app(sqlite_col), size)


async def test_a_collection_changed_after_the_fast_read_shows_the_sessions_card(
    sqlite_col: Collection,
) -> None:
    first_id = Card.get(Card.key == "es0").id
    app = quick_app(sqlite_col)
    Card.update(suspended=True).where(Card.id == first_id).execute()  # after the fast read
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        while not screen.ready:
            await pilot.pause()
        assert screen.card is not None and screen.card.id != first_id
        assert "es front 1" in shown(screen, "#question")


async def test_a_collection_that_cannot_be_opened_ends_with_its_message(
    sqlite_col: Collection,
) -> None:
    def broken() -> Collection:
        raise UserError("collection.db: the file is damaged")

    app = quick_app(sqlite_col, opener=broken)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    assert app.start_error is not None and "damaged" in str(app.start_error)
    assert app.return_code == 1


FIRST_FRAME = textwrap.dedent(
    """
    import os, sys
    from textual.app import App
    from flashcards.ui.screens.review import ReviewScreen

    mounted = ReviewScreen.on_mount

    def on_mount(self):  # the first card is set here; the first frame is composed next
        mounted(self)
        loaded = [m for m in ("peewee", "flashcards.services.study", "tomlkit",
                              "flashcards.cli.import_cmd", "PIL", "flashcards.decks.spec",
                              "flashcards.services.session_types", "textual.widgets._rule",
                              "textual.widgets._footer", "argparse") if m in sys.modules]
        print("loaded:", ",".join(loaded), flush=True)
        styles = [os.path.basename(path) for path, _ in self.app.stylesheet.source
                  if path.endswith(".tcss")]
        print("styles:", ",".join(styles), flush=True)
        os._exit(0)

    ReviewScreen.on_mount = on_mount
    real_run = App.run
    App.run = lambda self, *a, **k: real_run(self, headless=True)
    from flashcards.cli import main
    main(["--db", sys.argv[1], "review"])
    """
)


def test_nothing_the_first_card_does_not_need_is_imported_before_it_is_painted(
    sqlite_col: Collection, tmp_path: Path
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, sqlite_col.target],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).parents[2],
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "loaded: \n" in result.stdout
    assert "styles: first_paint.tcss\n" in result.stdout


def test_the_garbage_collector_is_paused_only_until_the_first_paint(
    sqlite_col: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`flashcards review` pauses Python's cyclic collector for its start-up (cold start is a
    target); it runs again from the first paint on (the collection's opener), and after the
    app."""
    seen: list[tuple[str, bool]] = []

    def run(app: FlashcardsApp) -> None:  # stands for Textual: paint, then open
        assert app.quick is not None
        seen.append(("first paint", gc.isenabled()))
        app.collection = app.quick.open()
        seen.append(("opened", gc.isenabled()))

    monkeypatch.setattr(FlashcardsApp, "run", run)
    monkeypatch.setattr("flashcards.cli.context.collection_from", lambda *_: sqlite_col)
    monkeypatch.setattr("flashcards.cli.context.close_after_app", lambda _col: None)
    args = SimpleNamespace(db=sqlite_col.target, config=None, deck=None)
    assert review_cmd.run(args) == 0
    assert seen == [("first paint", False), ("opened", True)]
    assert gc.isenabled()
