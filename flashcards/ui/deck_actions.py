"""What the home screen's deck keys do: new deck, rename, delete, options, add a note.

Kept out of `screens/home.py` so that screen stays the deck list; each function asks through a
dialog, calls the deck service, says what happened in a toast and refreshes the screen.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen

from flashcards.errors import UserError
from flashcards.sanitize import clean_line
from flashcards.services.collection import Collection
from flashcards.services.deck_changes import (
    create_deck,
    deck_tree_size,
    delete_deck,
    rename_deck,
)


def _run(screen: Screen, work: Callable[[], str], refresh: Callable[[], None]) -> None:
    try:
        message = work()
    except UserError as exc:
        screen.notify(str(exc), severity="error")
        return
    screen.notify(message)
    refresh()


def new_deck(screen: Screen, col: Collection, refresh: Callable[[], None]) -> None:
    from flashcards.ui.screens.ask import AskScreen

    def answered(name: str | None) -> None:
        if name:
            _run(screen, lambda: f"Created deck {create_deck(col, name)}", refresh)

    screen.app.push_screen(AskScreen("Name of the new deck", "Parent::Child nests it"), answered)


def rename(screen: Screen, col: Collection, deck: str | None, refresh: Callable[[], None]) -> None:
    from flashcards.ui.screens.ask import AskScreen

    if deck is None:
        screen.notify("Select a deck to rename", severity="warning")
        return

    def answered(name: str | None) -> None:
        if name and name != deck:
            _run(screen, lambda: f"Renamed {rename_deck(col, deck, name)} deck(s)", refresh)

    question = f"Rename {clean_line(deck)} (its subdecks follow) to"
    screen.app.push_screen(AskScreen(question, value=deck), answered)


def delete(screen: Screen, col: Collection, deck: str | None, refresh: Callable[[], None]) -> None:
    from flashcards.ui.screens.confirm import ConfirmScreen

    if deck is None:
        screen.notify("Select a deck to delete", severity="warning")
        return
    try:
        decks, cards = deck_tree_size(col, deck)
    except UserError as exc:
        screen.notify(str(exc), severity="error")
        return

    def answered(yes: bool | None) -> None:
        if yes:

            def work() -> str:
                report = delete_deck(col, deck)
                return f"Deleted {report.decks} deck(s) and {report.cards} card(s)"

            _run(screen, work, refresh)

    question = (
        f"Delete {clean_line(deck)}: {decks} deck(s) with {cards} card(s)? A backup is "
        "made first; their answers stay in the statistics."
    )
    screen.app.push_screen(ConfirmScreen(question), answered)


def options(screen: Screen, col: Collection, deck: str | None, refresh: Callable[[], None]) -> None:
    from flashcards.ui.screens.deck_options import DeckOptionsScreen

    if deck is None:
        screen.notify("Select a deck first", severity="warning")
        return
    try:
        dialog = DeckOptionsScreen(col, deck)
    except UserError as exc:
        screen.notify(str(exc), severity="error")
        return
    screen.app.push_screen(dialog, lambda saved: refresh() if saved else None)
