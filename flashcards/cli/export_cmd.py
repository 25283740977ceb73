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
            "Write the deck's own cards (not its subdecks') to PATH. TOML keeps every card's key, "
            "so importing it again matches the same cards; CSV keeps the text only; .apkg opens "
            "in Anki. Review progress is not exported."
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
        "--format",
        choices=("toml", "csv", "apkg"),
        help="the file's format (default: from its extension)",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from flashcards.services.decks import resolve_deck_name
    from flashcards.services.exporter import export_deck, subdecks_with_cards  # loads genanki

    col = collection_from(args)
    try:
        args.deck = resolve_deck_name(col, args.deck)  # "muscle spasms" is "Muscle spasms"
        count = export_deck(col, args.deck, args.path, args.format, force=args.force)
        left_out = subdecks_with_cards(col, args.deck)
    finally:
        col.close()
    cards = f"{count} card{'s' if count != 1 else ''}"
    say(f"Exported {cards} of {args.deck} to {args.path}")
    if left_out:
        say(
            f"Subdecks are exported separately; not included: {', '.join(left_out)}",
            err=True,
        )
    return 0
