"""`flashcards` paints its deck list before the collection is opened (`QuickHome`).

The list painted first is the fast path's, with the real New and Due counts; the collection is
opened right after and the counts read again through the services before any key acts. Enter
typed ahead of that reviews the deck once it is open; the mouse and a resize work; a collection
that cannot be opened ends the app with its message; a collection with images loads the image
widgets before Textual starts, so an image card shows its image. And at the first frame, neither
Peewee nor the services, the review screen, Pillow or another command's module is imported.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flashcards.decks.media_names import MediaFile
from flashcards.errors import UserError
from flashcards.services.bundled import INSTALLED_FLAG
from flashcards.services.collection import Collection
from flashcards.services.first_home import first_home
from flashcards.services.media import store_media
from flashcards.storage import Card, Meta
from flashcards.ui.quick_home import QuickHome
from flashcards.ui.screens.home import HomeScreen
from flashcards.ui.screens.review import ReviewScreen
from flashcards.ui.screens.stats import StatsScreen
from flashcards.ui.widgets.deck_table import DeckTable
from tests.conftest import add_cards
from tests.ui.conftest import RecordingApp, stepping_timer
from tests.ui.helpers import add_card, shown, wait_for_footer, wait_until
from tests.ui.test_review_media import png


@pytest.fixture
def sqlite_col(col: Collection, db_target: str) -> Collection:
    if "://" in db_target:
        pytest.skip("the fast deck list is read from SQLite files only")
    Meta.put(INSTALLED_FLAG, "2026-03-01")
    add_cards(col, "Spanish::Verbs", 3, "es")
    add_cards(col, "Medicine", 2, "med")
    return col


def quick_app(col: Collection, opener=None) -> RecordingApp:
    """The app as `flashcards` builds it on the fast path (the collection already open in the
    test stands for the one `opener` would open)."""
    fast = first_home(col.target, col.settings, col.clock.today())
    assert fast is not None
    return RecordingApp(
        None,
        col.settings,
        timer=stepping_timer(),
        quick_home=QuickHome(fast.counts, opener or (lambda: col)),
        images=fast.has_media,
    )


def reviewing(app: RecordingApp) -> bool:
    return isinstance(app.screen, ReviewScreen) and app.screen.ready


def counts(table: DeckTable) -> dict[str, tuple[str, str]]:
    return {key: table.row_cells(key)[1:] for key in table.row_keys()}


async def test_the_first_list_is_the_services_and_keys_act_once_ready(
    sqlite_col: Collection,
) -> None:
    painted: list[dict[str, tuple[str, str]]] = []

    widths: list[tuple[int, int]] = []

    def opening() -> Collection:  # after the first paint: what it showed
        table = app.screen.query_one(DeckTable)
        painted.append(counts(table))
        header = table.render_line(0).text.rstrip()  # the header line as drawn
        widths.append((len(header) + 3, table.size.width))  # 3: a cell's padding, a scrollbar
        return sqlite_col

    app = quick_app(sqlite_col, opener=opening)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        await wait_until(pilot, lambda: screen.ready)
        assert app.collection is sqlite_col
        first = painted[0]
        assert first["Spanish::Verbs"] == ("3", "0") and first["Medicine"] == ("2", "0")
        assert counts(screen.query_one(DeckTable)) == first  # the services' are the same
        columns, table_width = widths[0]
        assert columns == table_width  # the deck column fills the list: Due at its right edge
        await wait_for_footer(pilot)
        assert "All decks" in shown(screen, "#overview-title")  # the first row, selected
        # app.tcss, read after the first paint, styles what is mounted after it
        assert screen.query_one("#overview").styles.border_left[0] == "vkey"
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, StatsScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        await pilot.press("down", "enter")  # Medicine
        await wait_until(pilot, lambda: reviewing(app))
        assert "med front 0" in shown(app.screen, "#question")
        await pilot.press("q")  # back home: the quick home is the app's first screen
        await wait_until(pilot, lambda: app.screen is screen)
        assert len(app.screen_stack) == 1


async def test_enter_typed_ahead_reviews_once_the_collection_is_open(
    sqlite_col: Collection,
) -> None:
    def opening() -> Collection:  # Enter on Medicine arrives while the collection opens
        table = app.screen.query_one(DeckTable)
        table.move_cursor_to("Medicine")
        table.action_select()
        assert not app.screen.ready
        return sqlite_col

    app = quick_app(sqlite_col, opener=opening)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_until(pilot, lambda: reviewing(app))
        assert "med front 0" in shown(app.screen, "#question")


async def test_the_mouse_and_a_resize_work(sqlite_col: Collection) -> None:
    app = quick_app(sqlite_col)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: screen.ready)
        await pilot.resize_terminal(60, 20)
        await wait_until(pilot, lambda: screen.has_class("-narrow"))
        table = screen.query_one(DeckTable)
        row = table.row_index("Spanish")
        await pilot.click(DeckTable, offset=(4, row + 1))  # below the header row
        await wait_until(pilot, lambda: table.selected_deck() == "Spanish")
        await wait_until(pilot, lambda: "Spanish" in shown(screen, "#overview-title"))
        await pilot.click(DeckTable, offset=(4, row + 1))  # a click on the selected row
        await wait_until(pilot, lambda: reviewing(app))


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


async def test_an_image_card_shows_its_image(sqlite_col: Collection) -> None:
    from flashcards.ui.widgets.card_media import CardMedia

    store_media(sqlite_col, [MediaFile("map.png", png())])
    add_card(sqlite_col, "Geo", "g1", "Which country?\n[image: map.png]", "France")
    app = quick_app(sqlite_col)
    assert app.images  # the collection has media: the image widgets load before Textual
    async with app.run_test(size=(80, 30)) as pilot:
        await wait_until(pilot, lambda: app.screen.ready)
        table = app.screen.query_one(DeckTable)
        table.move_cursor_to("Geo")
        await pilot.press("enter")
        await wait_until(pilot, lambda: reviewing(app))
        await wait_for_footer(pilot)
        media = app.screen.query_one(CardMedia)
        assert media.display and len(media.query(".card-image")) == 1
    assert Card.select().count() == 6


FIRST_FRAME = textwrap.dedent(
    """
    import os, sys
    from textual.app import App
    from flashcards.ui.screens.home import HomeScreen

    mounted = HomeScreen.on_mount

    def on_mount(self):  # the deck list is filled here; the first frame is composed next
        mounted(self)
        loaded = [m for m in ("peewee", "flashcards.services.decks", "flashcards.storage.models",
                              "flashcards.ui.screens.review", "flashcards.cli.decks_cmd",
                              "flashcards.services.session_types", "PIL", "textual_image",
                              "textual.widgets._data_table")
                  if m in sys.modules]
        print("loaded:", ",".join(loaded), flush=True)
        styles = [os.path.basename(path) for path, _ in self.app.stylesheet.source
                  if path.endswith(".tcss")]
        print("styles:", ",".join(styles), flush=True)
        os._exit(0)

    HomeScreen.on_mount = on_mount
    real_run = App.run
    App.run = lambda self, *a, **k: real_run(self, headless=True)
    from flashcards.cli import main
    main(["--db", sys.argv[1]])
    """
)


def test_nothing_the_deck_list_does_not_need_is_imported_before_it_is_painted(
    sqlite_col: Collection,
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
    assert "styles: first_paint_home.tcss\n" in result.stdout


@pytest.mark.parametrize(
    ("images", "media_files", "said"),
    [(False, 2, True), (True, 2, False), (False, 0, False)],
)
def test_pictures_imported_without_the_image_widgets_are_promised_for_the_next_start(
    images: bool, media_files: int, said: bool
) -> None:
    """A collection with no media starts without the image widgets (the terminal can only be
    asked how to draw pictures before Textual starts); an import that brings pictures says when
    they will show. The card meanwhile shows its `[image: NAME]` marker."""
    from flashcards.services.import_plan import ImportReport
    from flashcards.ui.screens.import_dialog import NEXT_START_PICTURES, report_content

    report = ImportReport(added=3, media_cards=3, media_files=media_files)
    assert (NEXT_START_PICTURES in report_content(report, images=images).plain) == said


def test_the_garbage_collector_is_paused_only_until_the_first_paint(
    sqlite_col: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`flashcards` pauses Python's cyclic collector for its start-up (cold start is a target);
    it runs again from the first paint on (the collection's opener), and after the app."""
    import gc
    from types import SimpleNamespace

    from flashcards.cli import home_cmd
    from flashcards.ui.app import FlashcardsApp

    seen: list[tuple[str, bool]] = []

    def run(app: FlashcardsApp) -> None:  # stands for Textual: paint, then open
        seen.append(("first paint", gc.isenabled()))
        app.collection = app.quick_home.open()
        seen.append(("opened", gc.isenabled()))

    monkeypatch.setattr(FlashcardsApp, "run", run)
    monkeypatch.setattr("flashcards.cli.context.collection_from", lambda *_: sqlite_col)
    monkeypatch.setattr("flashcards.cli.context.close_after_app", lambda _col: None)
    args = SimpleNamespace(db=sqlite_col.target, config=None, command=None)
    assert home_cmd.run(args) == 0
    assert seen == [("first paint", False), ("opened", True)]
    assert gc.isenabled()
