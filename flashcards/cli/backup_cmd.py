"""`flashcards backup`: copy the collection into its backups folder now; print the copy's path."""

from __future__ import annotations

import argparse

from flashcards.cli.context import db_target_from, open_noticed
from flashcards.cli.output import say
from flashcards.services.backup import make_backup
from flashcards.storage.backups import ROTATED_REASONS, list_backups, refuse_server
from flashcards.storage.files import backup_dir


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "backup",
        help="back up the collection now",
        description=(
            "Check the collection and copy it (safely, even while it is in use) into the backups "
            "folder beside it, then print the new file's path. A damaged collection is not backed "
            "up (exit 1). Backups made with this command are never deleted by rotation; the "
            "automatic ones (daily, pre-import) keep the newest of each of the last 7 days and "
            "of the last 4 weeks."
        ),
    )
    p.add_argument("--list", action="store_true", help="list the existing backups instead")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    target = db_target_from(args)
    refuse_server(target)
    col = open_noticed(target)  # not collection_from: a backup never writes (no bundled decks)
    try:
        if args.list:
            path = col.path
            assert path is not None
            backups = list_backups(path)
            if not backups:
                say(f"No backups yet in {backup_dir(path)}.")
            for b in reversed(backups):
                kept = "rotated" if b.reason in ROTATED_REASONS else "kept"
                say(f"{b.path}  {b.taken_at:%Y-%m-%d %H:%M} UTC  {b.reason} ({kept})")
            return 0
        say(make_backup(col, "manual"))
    finally:
        col.close()
    return 0
