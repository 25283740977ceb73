"""`flashcards restore FILE`: check a backup, save the current collection, then restore it."""

from __future__ import annotations

import argparse

from flashcards.cli.context import db_target_from, open_noticed
from flashcards.cli.output import say
from flashcards.storage.backups import refuse_server
from flashcards.storage.database import display_location
from flashcards.storage.restore import restore_backup


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "restore",
        help="replace the collection with a backup",
        description=(
            "Check that FILE is a healthy flashcards collection this version can read (integrity, "
            "the schema of its version with no foreign trigger or view, valid dates and card "
            "states), back up the current collection and say where, then copy FILE into it. "
            "Nothing is changed when FILE is refused. Close any running flashcards first."
        ),
    )
    p.add_argument(
        "file", metavar="FILE", help="the backup to restore (see `flashcards backup --list`)"
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    target = db_target_from(args)
    refuse_server(target)
    # Not through collection_from: restoring must work when the current file is damaged.
    saved = restore_backup(target, args.file)
    if saved is not None:
        say(f"The previous collection was saved to {saved}")
    open_noticed(target).close()  # migrates a restored older schema and proves it opens
    say(f"Restored {args.file} into {display_location(target)}")
    return 0
