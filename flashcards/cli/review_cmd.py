"""`flashcards review [DECK]`: open the TUI straight into a review of a deck and its subdecks.

An unknown deck is a one-line error before the TUI starts. Leaving the review (q, escape, or the
summary) exits the app rather than going to the home screen: the command asked for one review.

The first card is read before anything else is loaded (`services.first_card`, plain `sqlite3`)
and painted at once; the collection is opened as usual right after (`QuickStart`). Where that
fast path does not apply (a server, a new collection, a deck name to resolve, nothing due) the
collection is opened first, as every other command does.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from flashcards.cli.context import collector_paused, db_target_from, settings_from

if TYPE_CHECKING:  # `flashcards review` is read without argparse (cli.plain_review)
    import argparse

    from flashcards.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "review",
        help="review a deck (and its subdecks) in the terminal UI",
        description="Open a review session of DECK and its subdecks, or of every deck.",
    )
    p.add_argument("deck", nargs="?", metavar="DECK", help="deck name, e.g. 'Spanish::Verbs'")
    p.set_defaults(handler=run)


@collector_paused
def run(args: argparse.Namespace) -> int:
    """The review, its first card painted before the collection is opened where it can be
    (with the garbage collector paused until then: `collector_paused`)."""
    from flashcards.clock import SystemClock
    from flashcards.decks.names import validate
    from flashcards.services.first_card import first_card

    settings = settings_from(args)
    target = db_target_from(args)
    today = SystemClock(settings.rollover_hour).today()
    quick = first_card(target, args.deck, settings, today)
    if quick is None:
        gc.enable()
        return _run_opened(args, settings)
    from flashcards.cli.context import config_path_from, opener_after_first_paint, run_quick_start
    from flashcards.ui.app import FlashcardsApp
    from flashcards.ui.quick_start import QuickStart

    app = FlashcardsApp(
        None,
        settings,
        config_path=config_path_from(args),
        home=False,
        review_deck=None if args.deck is None else validate(args.deck),  # as stored
        quick=QuickStart(quick.card, opener_after_first_paint(args, settings)),
        images=quick.has_media,
    )
    return run_quick_start(app)


def _run_opened(args: argparse.Namespace, settings: Settings) -> int:
    """The review with the collection opened first (the usual path); an older one is upgraded
    on screen first (`run_upgrade_first`)."""
    from flashcards.cli.context import (
        app_collection_from,
        close_after_app,
        config_path_from,
        run_upgrade_first,
    )
    from flashcards.services.decks import resolve_deck_name

    upgraded = run_upgrade_first(args, settings, home=False, deck=args.deck)
    if upgraded is not None:
        return upgraded
    col = app_collection_from(args, settings)
    try:
        # UserError for a deck that does not exist; "muscle spasms" finds "Muscle spasms"
        deck = resolve_deck_name(col, args.deck) if args.deck is not None else None
        from flashcards.ui.app import FlashcardsApp

        app = FlashcardsApp(
            col, col.settings, config_path=config_path_from(args), home=False, review_deck=deck
        )
        app.run()
    finally:
        close_after_app(col)
    return app.return_code or 0
