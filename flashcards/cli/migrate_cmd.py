"""`flashcards migrate-to TARGET`: copy the whole collection into an empty database elsewhere."""

from __future__ import annotations

import argparse

from flashcards.cli.context import db_target_from, open_noticed
from flashcards.cli.output import say
from flashcards.services.transfer import migrate_to


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "migrate-to",
        help="copy the collection into an empty PostgreSQL database (or SQLite file)",
        description=(
            "Copy every deck, card, review and statistic of the collection (--db) into TARGET, "
            "which must be empty: a postgresql://user:password@host:port/dbname URL to share it "
            "on a server, or a file path to take a server collection offline. Ids are kept; the "
            "row counts of every table are checked on both sides and printed. The source is not "
            "changed; point --db (or FLASHCARDS_DB) at TARGET afterwards to use the copy."
        ),
    )
    p.add_argument("target", metavar="TARGET", help="a postgresql:// URL or a collection file")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # Not collection_from: installing the bundled decks would write to the source first.
    col = open_noticed(db_target_from(args))
    try:
        report = migrate_to(col, args.target)
    finally:
        col.close()
    say(f"Copied the collection to {report.target}; rows per table (source = copy):")
    width = max(len(name) for name in report.counts)
    for name, n in report.counts.items():
        say(f"  {name:<{width}}  {n:>9,}")
    return 0
