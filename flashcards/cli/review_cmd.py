"""`flashcards review [DECK]`: open the TUI straight into a review of a deck and its subdecks.

An unknown deck is a one-line error before the TUI starts. Leaving the review (q, escape, or the
summary) exits the app rather than going to the home screen: the command asked for one review.
"""

from __future__ import annotations

import argparse

from flashcards.cli.context import collection_from
from flashcards.cli.home_cmd import config_path_from
from flashcards.services.decks import resolve_deck_name


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "review",
        help="review a deck (and its subdecks) in the terminal UI",
        description="Open a review session of DECK and its subdecks, or of every deck.",
    )
    p.add_argument("deck", nargs="?", metavar="DECK", help="deck name, e.g. 'Spanish::Verbs'")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    col = collection_from(args)
    try:
        # UserError for a deck that does not exist; "muscle spasms" finds "Muscle spasms"
        deck = resolve_deck_name(col, args.deck) if args.deck is not None else None
        from flashcards.ui.app import FlashcardsApp

        app = FlashcardsApp(
            col, col.settings, config_path=config_path_from(args), home=False, review_deck=deck
        )
        app.run()
    finally:
        col.close()
    return app.return_code or 0
