"""Writing and organising a collection in the TUI: the Add screen, deck keys, deck options."""

from __future__ import annotations

from textual.widgets import Input, Select, TextArea

from flashcards.services.decks import deck_counts
from flashcards.storage import Card, Deck
from flashcards.ui.screens.add_note import AddNoteScreen
from flashcards.ui.screens.ask import AskScreen
from flashcards.ui.screens.confirm import ConfirmScreen
from flashcards.ui.screens.deck_options import DeckOptionsScreen
from flashcards.ui.screens.home import HomeScreen
from flashcards.ui.screens.review import ReviewScreen
from flashcards.ui.widgets.deck_table import DeckTable
from tests.conftest import add_cards
from tests.ui.helpers import shown, wait_until


def _row(app, deck: str) -> tuple[str, str]:  # noqa: ANN001
    _, new, due = app.screen.query_one(DeckTable).row_cells(deck)
    return new, due


async def _write(pilot, app, kind: str, front: str, back: str = "") -> None:  # noqa: ANN001
    app.screen.query_one("#add-type", Select).value = kind
    await pilot.pause()
    app.screen.query_one("#add-front", TextArea).focus()
    await pilot.press(*front)
    if back:
        app.screen.query_one("#add-back", TextArea).focus()
        await pilot.press(*back)
    await pilot.pause()


async def test_add_three_cards_from_home_and_review_them(col, make_app):
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AddNoteScreen)
        deck = app.screen.query_one("#add-deck", Input)
        deck.value = "Mine"
        await _write(pilot, app, "basic", "uno", "one")
        assert "makes 1 card" in shown(app.screen, "#add-status")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.query_one("#add-front", TextArea).text == ""  # ready for the next
        assert deck.value == "Mine"
        await _write(pilot, app, "reverse", "dos", "two")
        await pilot.press("ctrl+s")
        await _write(pilot, app, "cloze", "no deletion")
        assert "no deletion" in shown(app.screen, "#add-status")
        await pilot.press("ctrl+s")  # refused: nothing added
        app.screen.query_one("#add-front", TextArea).clear()
        await _write(pilot, app, "cloze", "{{c1::tres}} is {{c2::three}}")
        assert "makes 2 cards" in shown(app.screen, "#add-status")
        await pilot.press("ctrl+s")
        await _write(pilot, app, "basic", "UNO", "again")
        assert "already has this front" in shown(app.screen, "#add-status")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        # what a review offers: one card a note while siblings are buried (5 cards, 3 notes)
        assert _row(app, "Mine") == ("3", "0")
        app.screen.query_one(DeckTable).move_cursor_to("Mine")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        seen = []
        while isinstance(app.screen, ReviewScreen) and app.screen.card is not None:
            seen.append((app.screen.card.kind, app.screen.card.front))
            await pilot.press("space", "5")
            await pilot.pause()
    # the reverse and the cloze note each show one card today: their siblings are buried
    assert seen == [("basic", "uno"), ("basic", "dos"), ("cloze", "{{c1::tres}} is {{c2::three}}")]
    assert Card.select().join(Deck).where(Deck.name == "Mine").count() == 5


async def test_editing_a_reverse_card_changes_both_directions(col, make_app, tmp_path):
    from tests.conftest import import_toml

    import_toml(
        col,
        tmp_path,
        '[deck]\nname = "W"\n[[cards]]\ntype = "reverse"\nfront = "cat"\nback = "gato"\n',
    )
    app = make_app(start_review="W")
    async with app.run_test(size=(100, 32)) as pilot:
        assert app.screen.card.front == "cat"
        await pilot.press("space", "e")
        await pilot.pause()
        await pilot.press("tab", "end", *"s")  # the back: gato -> gatos
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
    fronts = dict(Card.select(Card.key, Card.front).tuples())
    backs = dict(Card.select(Card.key, Card.back).tuples())
    (forward,) = [k for k in fronts if not k.endswith("::reverse")]
    assert (fronts[forward], backs[forward]) == ("cat", "gatos")
    assert (fronts[forward + "::reverse"], backs[forward + "::reverse"]) == ("gatos", "cat")


async def _select(pilot, app, deck: str) -> None:  # noqa: ANN001
    table = app.screen.query_one(DeckTable)
    table.move_cursor_to(deck)
    await pilot.pause()


async def test_rename_and_delete_a_deck_from_home(col, make_app):
    add_cards(col, "Old::Sub", 2)
    add_cards(col, "Keep", 1, prefix="k")
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await _select(pilot, app, "Old")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, AskScreen)
        app.screen.query_one(Input).value = "New"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert {d.name for d in deck_counts(col)} == {"New", "New::Sub", "Keep"}
        await _select(pilot, app, "New")
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert [d.name for d in deck_counts(col)] == ["Keep"]
        assert app.screen.query_one(DeckTable).row_index("Keep") is not None


async def test_a_new_limit_of_five_shows_on_home_and_in_the_review(col, make_app):
    add_cards(col, "Big", 30)
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        assert _row(app, "Big") == ("20", "0")
        await _select(pilot, app, "Big")
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, DeckOptionsScreen)
        app.screen.query_one("#options-new", Input).value = "5"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert _row(app, "Big") == ("5", "0")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.session.counts().new == 5


async def _add_screen_ready(pilot) -> None:  # noqa: ANN001
    await pilot.press("a")
    await wait_until(pilot, lambda: pilot.app.screen.query("#add-status"))
    await pilot.press(*"{{c1::Madrid}} is in {{c2::Spain}}")
    pilot.app.screen.query_one("#add-type", Select).value = "cloze"
    await pilot.pause()


def test_add_screen_snapshot(col, make_app, snap_compare):
    add_cards(col, "Spanish", 2)
    assert snap_compare(make_app(), terminal_size=(100, 32), run_before=_add_screen_ready)


async def test_the_edit_dialog_edits_the_notes_tags_too(col, make_app, tmp_path):
    from tests.conftest import import_toml

    import_toml(
        col,
        tmp_path,
        '[deck]\nname = "W"\n[[cards]]\ntype = "reverse"\n'
        'front = "cat"\nback = "gato"\ntags = ["old"]\n',
    )
    app = make_app(start_review="W")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        tags = app.screen.query_one("#tags", Input)
        assert tags.value == "old"
        tags.value = "animals es"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
    assert {t for (t,) in Card.select(Card.tags).tuples()} == {"animals es"}


async def test_home_shows_the_selected_decks_description(col, make_app):
    from flashcards.services.deck_changes import set_deck_options

    add_cards(col, "A", 1)
    add_cards(col, "B", 1, prefix="b")
    set_deck_options(col, "B", description="Words [bold]for[/] the trip")
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await _select(pilot, app, "B")
        assert shown(app.screen, "#overview-description") == "Words [bold]for[/] the trip"
