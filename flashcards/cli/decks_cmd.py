"""`flashcards decks`: every deck with its card, new, due and suspended counts."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from flashcards.cli.context import collection_from
from flashcards.cli.output import print_json, print_table, say
from flashcards.decks import names
from flashcards.services.decks import deck_counts


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "decks",
        help="list decks with their new and due counts",
        description="List every deck with its counts (a deck's counts include its subdecks).",
    )
    p.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    col = collection_from(args)
    try:
        counts = deck_counts(col)
    finally:
        col.close()
    if args.json:
        print_json([asdict(c) for c in counts])
        return 0
    if not counts:
        say("No decks yet. Import one with `flashcards import FILE`.")
        return 0
    rows = [
        ("  " * c.depth + names.leaf(c.name), c.cards, c.new, c.due, c.suspended)
        for c in counts
    ]
    print_table(["deck", "cards", "new", "due today", "suspended"], rows)
    return 0
