"""`flashcards backup`: copy the collection into its backups folder now; print the copy's path."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from flashcards.cli.context import db_target_from, open_noticed
from flashcards.cli.output import print_json, say
from flashcards.services.backup import make_backup
from flashcards.storage.backup_files import UNCHECKED
from flashcards.storage.backups import ROTATED_REASONS, list_backups, refuse_server
from flashcards.storage.files import backup_dir
from flashcards.storage.pending_backups import waiting_copies


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
    p.add_argument("--json", action="store_true", help="print the path (or the list) as JSON")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    target = db_target_from(args)
    refuse_server(target)
    col = open_noticed(target)  # not collection_from: a backup never writes (no bundled decks)
    try:
        if args.list:
            assert col.path is not None
            _list(col.path, args.json)
            return 0
        made = make_backup(col, "manual")
        if args.json:
            print_json({"path": str(made)})
        else:
            say(made)
    finally:
        col.close()
    return 0


WAITING = {
    UNCHECKED: "complete, waiting for its check (the next `flashcards` start checks and names it)",
    "in progress": "being made now",
    "abandoned": "left by a process that ended (the next `flashcards` start deals with it)",
}


def _list(path: Path, as_json: bool) -> None:
    """The backups, newest first, then the copies not yet named (pending_backups.py)."""
    backups = list_backups(path)[::-1]
    waiting = waiting_copies(path)
    if as_json:
        print_json(
            {
                "backups": [
                    {
                        "path": str(b.path),
                        "taken_at": b.taken_at.replace(tzinfo=dt.UTC).isoformat(),  # the name's UTC
                        "reason": b.reason,
                        "rotated": b.reason in ROTATED_REASONS,
                    }
                    for b in backups
                ],
                "waiting": [{"path": str(c.path), "state": c.state} for c in waiting],
            }
        )
        return
    if not backups:
        say(f"No backups yet in {backup_dir(path)}.")
    for b in backups:
        kept = "rotated" if b.reason in ROTATED_REASONS else "kept"
        say(f"{b.path}  {b.taken_at:%Y-%m-%d %H:%M} UTC  {b.reason} ({kept})")
    for c in waiting:
        say(f"{c.path}  not a backup yet: {WAITING[c.state]}")
