"""`flashcards export DECK PATH`: write a deck's cards to a TOML, CSV or Anki package file."""

from __future__ import annotations

import argparse
from pathlib import Path

from flashcards.cli.context import collection_from
from flashcards.cli.output import say


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="export a deck to TOML, CSV or an Anki package",
        description=(
            "Write the deck's own cards (not its subdecks') to PATH; a deck with only subdecks "
            "exports them (to .apkg or .csv). TOML keeps every card's key, so importing it again "
            "matches the same cards; CSV is Anki's notes in plain text (text only); .apkg opens "
            "in Anki with one note per note, each card's schedule and the review log."
        ),
    )
    p.add_argument("deck", metavar="DECK", help="the deck's full name, e.g. 'Languages::French'")
    p.add_argument(
        "path",
        type=Path,
        metavar="PATH",
        help="the file to write (not the collection or a backup; an existing one with --force)",
    )
    p.add_argument("--force", action="store_true", help="overwrite PATH if it exists")
    p.add_argument(
        "--no-scheduling",
        action="store_true",
        help="leave out progress and the review log (.apkg): every card arrives new",
    )
    p.add_argument(
        "--format",
        choices=("toml", "csv", "apkg"),
        help="the file's format (default: from its extension)",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from flashcards.services.decks import resolve_deck_name
    from flashcards.services.exporter import (  # loads genanki
        deck_spec,
        export_deck,
        subdecks_with_cards,
    )

    col = collection_from(args)
    try:
        args.deck = resolve_deck_name(col, args.deck)  # "muscle spasms" is "Muscle spasms"
        count = export_deck(
            col,
            args.deck,
            args.path,
            args.format,
            force=args.force,
            with_scheduling=not args.no_scheduling,
        )
        subdecks = subdecks_with_cards(col, args.deck)
        own = len(deck_spec(col, args.deck).cards)
    finally:
        col.close()
    cards = f"{count} card{'s' if count != 1 else ''}"
    if not own:
        say(
            f"Exported {cards} of the subdecks of {args.deck} ({', '.join(subdecks)}) "
            f"to {args.path}"
        )
        return 0
    say(f"Exported {cards} of {args.deck} to {args.path}")
    if subdecks:
        say(
            f"Subdecks are exported separately; not included: {', '.join(subdecks)}",
            err=True,
        )
    return 0
