"""Checking a backup's copy before it gets its name: a damaged collection is never backed up.

The online backup API copies pages as they are, so the copy shows every fault of its source, and
checking the copy holds no lock on the collection. Split from backups.py, which makes the copy.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from flashcards.errors import UserError
from flashcards.sanitize import clean_line
from flashcards.storage.backup_files import BackupStopped, StopSignal
from flashcards.storage.schema_check import integrity
from flashcards.storage.upgrade_progress import UpgradeReporter

CHECK_OPS_PER_PAGE = 1400  # integrity_check's steps a page: 1,398 at 100k cards, 1,217 at 1M


class DamagedCollection(UserError):
    """The collection failed its integrity check: it is not backed up, it may be restored over."""


def damaged(db_path: Path, finding: str) -> DamagedCollection:
    """The one-line error for a collection whose copy failed its check."""
    return DamagedCollection(
        f"{clean_line(db_path)}: the collection is damaged ({clean_line(finding)}); it was not "
        "backed up and the existing backups were kept: run `flashcards check`, then "
        "`flashcards restore FILE` with one of `flashcards backup --list`"
    )


def verify_copy(
    db_path: Path,
    copy: Path,
    *,
    quick: bool = False,
    reporter: UpgradeReporter | None = None,
    stop: StopSignal | None = None,
) -> None:
    """Refuse a copy that fails its check (`quick_check` if `quick`): the collection is damaged.

    The online backup API copies pages as they are, so the copy shows every fault of the source;
    checking the copy (integrity_check: about 0.1 s for 20 MB, 89–111 s for 1.8 GB; quick_check
    9.7 s) holds no lock on the collection. `stop` interrupts it (`BackupStopped`): what an
    interrupted check found means nothing.
    """
    if stop is not None and stop.stopped:
        raise BackupStopped(None)
    conn = sqlite3.connect(str(copy), check_same_thread=False)
    try:
        if reporter is not None:  # an upgrade's backup: never stopped, only interrupted
            assert stop is None, "one progress handler a connection"
            (pages,) = conn.execute("PRAGMA page_count").fetchone()
            with reporter.ticking(conn, pages * CHECK_OPS_PER_PAGE):
                finding = integrity(conn, quick=quick)
                reporter.check()  # a check a stop interrupted is no finding of damage
                if finding == "interrupted":  # by a KeyboardInterrupt the handler swallowed
                    raise KeyboardInterrupt
        elif stop is not None:
            with stop.interrupting(conn):
                finding = integrity(conn, quick=quick)
        else:
            finding = integrity(conn, quick=quick)
    finally:
        conn.close()
    if stop is not None and stop.stopped:
        raise BackupStopped(None)
    if finding != "ok":
        raise damaged(db_path, finding)
