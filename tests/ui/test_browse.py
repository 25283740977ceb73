"""The card browser: opened from home and the palette, searching, marking, and acting on cards."""

from __future__ import annotations

import datetime as dt

from rich.cells import cell_len
from textual import events
from textual.widgets import Input

from flashcards.services.bundled import install_bundled_decks_once
from flashcards.services.deck_changes import set_deck_options
from flashcards.services.study import StudySession
from flashcards.storage import Card
from flashcards.ui.screens.ask import AskScreen
from flashcards.ui.screens.browse import BrowseScreen
from flashcards.ui.screens.card_details import CardDetailsScreen
from flashcards.ui.screens.confirm import ConfirmScreen
from flashcards.ui.screens.home import HomeScreen
from flashcards.ui.widgets.card_pane import CardPane
from flashcards.ui.widgets.card_table import CardTable
from flashcards.ui.widgets.deck_table import DeckTable
from tests.ui.helpers import add_card, shown, wait_until


def new_count(app) -> str:  # noqa: ANN001
    table = app.screen.query_one(DeckTable)
    return table.row_cells("Muscle spasms")[1]


async def open_browser(app, pilot, query: str = "") -> CardTable:  # noqa: ANN001
    """Open the browser on `query` and wait for its first search; returns the card list."""
    app.open_browse(query)
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    return app.screen.query_one(CardTable)


def listed(table: CardTable) -> str:
    """The lines the card list shows now, header included, as plain text."""
    return "\n".join(table.render_line(y).text for y in range(table.size.height))


def wheel_down(table: CardTable) -> None:
    """One turn of the mouse wheel over the list."""
    table.post_message(events.MouseScrollDown(table, 2, 2, 0, 1, 0, False, False, False))


async def search(app, pilot, query: str) -> None:  # noqa: ANN001
    """Type a query and press Enter (which searches at once), then wait for the worker."""
    field = app.screen.query_one(Input)
    field.focus()
    field.value = ""
    await pilot.press(*query, "enter")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_browse_suspends_two_cards_and_home_counts_drop(col, make_app):
    install_bundled_decks_once(col)
    # Home shows what a review would offer today; above the default 20 a day, one card of each
    # of the 35 notes of the 47 cards (siblings are buried).
    set_deck_options(col, "Muscle spasms", new_per_day=100)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert new_count(app) == "35"
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        await search(app, pilot, "tag:dystonias")
        table = app.screen.query_one(CardTable)
        assert table.row_count == 4
        assert shown(app.screen, "#search-status") == "4 cards"
        assert "Dystonias" in str(app.screen.query_one(CardPane).visual)
        await pilot.press("space", "space")  # marks two, moving down
        assert len(table.marked) == 2
        assert shown(app.screen, "#search-status") == "4 cards · 2 marked"
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await search(app, pilot, "tag:dystonias is:suspended")
        assert table.row_count == 2
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        # one note fewer: the two marked are the two cards of the note dystonias-definition
        assert new_count(app) == "34"

        await pilot.press("slash")
        await pilot.pause()
        await search(app, pilot, "is:suspended")
        assert app.screen.query_one(CardTable).row_count == 2
        await pilot.press("space", "space", "u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query_one(CardTable).row_count == 0
        await pilot.press("escape")
        await pilot.pause()
        assert new_count(app) == "35"


async def test_a_bad_query_shows_its_error_and_changes_nothing(col, make_app):
    install_bundled_decks_once(col)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_browser(app, pilot)
        await search(app, pilot, "prp:x")
        assert shown(app.screen, "#search-status") == "unknown field 'prp' at column 1"


async def test_typing_searches_after_a_pause(col, make_app):
    install_bundled_decks_once(col)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_browser(app, pilot)
        assert table.row_count == 47
        await pilot.press(*"botox")  # no Enter: the debounce timer starts the search
        await wait_until(pilot, lambda: table.row_count == 8)
        assert shown(app.screen, "#search-status") == "8 cards"


async def test_delete_asks_first(col, make_app):
    install_bundled_decks_once(col)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_browser(app, pilot, "tag:dystonias")
        table.focus()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert table.row_count == 4
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 3


async def test_the_palette_opens_the_browser(col, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Browse cards", "enter")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)


async def test_table_and_pane_fit_at_80_by_24(col, make_app):
    install_bundled_decks_once(col)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_browser(app, pilot)
        pane = app.screen.query_one(CardPane)
        assert table.region.height >= 5
        assert pane.region.height == 7
        assert pane.region.bottom <= 23  # the footer's line stays below it
        assert table.region.right <= 80 and pane.region.right <= 80


def test_browser_snapshot_at_80_by_24(col, make_app, snap_compare):
    """The whole browser at the smallest supported size: every column and the pane visible."""
    install_bundled_decks_once(col)

    async def searched(pilot) -> None:  # noqa: ANN001
        await open_browser(pilot.app, pilot)
        await search(pilot.app, pilot, "tag:dystonias")
        await pilot.press("space")

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=searched)


async def test_set_due_move_and_tag_from_the_browser(col, make_app, clock):
    """r, m and t ask one line each, then act on the card under the cursor."""
    install_bundled_decks_once(col)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_browser(app, pilot)
        await search(app, pilot, '"Dystonias" tag:dystonias type:basic')
        card_id = table.selected_id()
        assert card_id is not None

        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, AskScreen)
        await pilot.press("3", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert Card.get_by_id(card_id).due == clock.today() + dt.timedelta(days=3)

        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*"+extra -dystonias", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert Card.get_by_id(card_id).tags.split() == ["extra"]

        await search(app, pilot, f"id:{card_id}")
        await pilot.press("m")
        await pilot.pause()
        await pilot.press(*"Moved::Here", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert Card.get_by_id(card_id).deck.name == "Moved::Here"

        await pilot.press("m")  # backing out of the question changes nothing
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        assert Card.get_by_id(card_id).deck.name == "Moved::Here"


async def test_enter_shows_the_card_with_its_whole_history(col, make_app, clock):
    """The pane shows the latest reviews; enter opens every one of them."""
    card_id = add_card(col, "History", "h1", "What is five times five?", "25")
    for grade in (5, 4, 2, 5, 5):  # answered on five study days
        StudySession(col, "History").answer(grade)
        clock.advance(days=30)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_browser(app, pilot, f"id:{card_id}")
        assert "Reviews (5, latest last" in str(app.screen.query_one(CardPane).visual)
        app.screen.query_one(CardTable).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardDetailsScreen)
        text = shown(app.screen, "#card-details")
        assert "What is five times five?" in text and "Reviews (5)" in text
        grades = [line.split()[3] for line in text.splitlines() if "→" in line]
        assert grades == ["5", "4", "2", "5", "5"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)


async def test_a_leech_found_by_is_leech_is_unsuspended(col, make_app):
    """A suspended leech stays suspended for ever unless something can unsuspend it."""
    card_id = add_card(
        col, "Hard", "l1", "leech front", "leech back", suspended=True, lapses=8, tags="leech"
    )
    add_card(col, "Hard", "ok", "fine front", "fine back")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_browser(app, pilot, "is:leech")
        assert table.row_count == 1 and table.selected_id() == card_id
        table.focus()
        await pilot.press("u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not Card.get_by_id(card_id).suspended
        assert "leech" in Card.get_by_id(card_id).tags.split()  # still found by tag:leech


async def test_every_card_of_a_long_list_is_reached_by_keys_and_wheel(col, make_app):
    """All matching cards are listed (only the lines on screen are drawn); the end key, page
    keys and the mouse wheel reach the last of them, and a mark survives the move."""
    for i in range(130):
        add_card(col, "Long", f"k{i}", f"question {i:03d}", "answer")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_browser(app, pilot, "deck:Long")
        assert shown(app.screen, "#search-status") == "130 cards"
        assert table.row_count == 130
        table.focus()
        await pilot.press("space")  # marks the first card, the cursor moves to the second
        await pilot.press("pagedown")
        assert table.selected_id() == Card.get(Card.key == f"k{1 + table.size.height - 2}").id
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert table.selected_id() == Card.get(Card.key == "k129").id
        assert "question 129" in listed(table)
        assert "question 129" in shown(app.screen, "#card-pane")
        assert table.marked == {Card.get(Card.key == "k0").id}
        await pilot.press("home")
        await pilot.pause()
        assert "question 000" in listed(table)
        for _ in range(5):
            wheel_down(table)
        await pilot.pause()
        assert table.scroll_y > 0
        assert "question 000" not in listed(table)
        assert table.selected_id() == Card.get(Card.key == "k0").id  # the wheel only scrolls


async def test_a_click_highlights_a_card_and_a_second_click_opens_it(col, make_app):
    for i in range(5):
        add_card(col, "Few", f"k{i}", f"question {i}", "answer")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_browser(app, pilot, "deck:Few")
        await pilot.click(table, offset=(5, 3))  # the header, then question 0, 1, 2
        await pilot.pause()
        assert table.selected_id() == Card.get(Card.key == "k2").id
        assert "question 2" in shown(app.screen, "#card-pane")
        await pilot.click(table, offset=(5, 0))  # the header: nothing
        await pilot.pause()
        assert table.selected_id() == Card.get(Card.key == "k2").id
        await pilot.click(table, offset=(5, 3))
        await pilot.pause()
        assert isinstance(app.screen, CardDetailsScreen)


async def test_wide_and_hostile_fronts_keep_every_line_the_same_width(col, make_app):
    """Wide characters are cut where a cell ends, control characters are shown as symbols,
    and markup is shown as typed: the deck column starts in the same cell on every line."""
    fronts = [
        "日本語の長い質問" * 6,
        "日本語",
        "emoji 🎉" * 12,
        "🎉",
        "[bold]not markup[/bold]",
        "esc \x1b]0;x\x07",
    ]
    for i, front in enumerate(fronts):
        add_card(col, "Wide", f"k{i}", front, "answer")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_browser(app, pilot, "deck:Wide")
        lines = [table.render_line(y).text for y in range(1, len(fronts) + 1)]
        assert len({cell_len(line[: line.index("Wide")]) for line in lines}) == 1
        text = listed(table)
        assert "[bold]not markup" in text and "\x1b" not in text
