"""A backup made by a process of its own, which outlives the app that started it.

`python -m flashcards.storage.backup_child COLLECTION REASON` makes one backup, as
`make_backup` does (copy, check, name, rotate), at a lower priority, and exits. The study
session starts one when closing cut its day's backup off (services/backup.py), so a person who
answers a card and quits at once still gets a backup of the day without waiting for it.

It only reads the collection (a read snapshot in WAL mode, which writers do not wait for) and
writes only in the backups folder, under the temporary names of storage/backup_files.py: a
later session may write meanwhile, and a child killed half-way leaves nothing that is taken
for a backup (the next start deletes or finishes it, storage/pending_backups.py). It does not
mark the study day in the collection, so the next session still backs up before its first
change: at worst a second backup that day, never none.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys

from flashcards.errors import UserError

LOWER_PRIORITY = 10  # `nice` steps: a backup must not slow the next session down


def start(target: str, reason: str) -> None:
    """Start the child in a session of its own (a Ctrl-C or a closed terminal that ends the app
    does not end it); returns at once. Nothing is raised: a backup not started is tried again
    by the next session."""
    with contextlib.suppress(OSError):
        subprocess.Popen(  # noqa: S603 - this interpreter, this module, a path: no shell
            [sys.executable, "-m", __name__, target, reason],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
        )


def main(argv: list[str]) -> int:
    """Make the backup; 0 when it is made, 1 when not (the next session tries again)."""
    from flashcards.storage.backups import make_backup

    target, reason = argv
    with contextlib.suppress(OSError, AttributeError):  # no nice() on some systems
        os.nice(LOWER_PRIORITY)
    try:
        make_backup(target, reason)
    except UserError:
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
