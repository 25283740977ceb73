"""Which backups a collection has, and which of them rotation keeps.

Rotation (run after every backup storage/backups.py makes) touches only the automatic kinds, `daily`
(before the first change of a study day) and `pre-import`, each kind on its own, and keeps, among
the finished backups of that kind of one collection in its backups folder:

* the newest backup of each of the 7 most recent UTC days that have a backup ("daily"), and
* the newest backup of each of the 4 most recent ISO weeks that have a backup ("weekly");

a backup kept by either rule stays, so at most 11 of each kind remain, and the backup just made
is always kept. Days without a backup are not counted: after a month away you still have the last
7 days you studied on. Every other kind is never deleted by rotation: `manual` (`flashcards
backup`), `pre-migration` (before an upgrade), `pre-restore`, `pre-delete`, and any file whose
name does not follow the pattern above (your own copies are safe).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from flashcards.storage.files import backup_dir

KEEP_DAILY = 7
KEEP_WEEKLY = 4
ROTATED_REASONS = ("daily", "pre-import")  # the automatic kinds; every other kind is kept
NAME_RE = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{6}Z)(?:-(?P<n>\d+))?-(?P<reason>[a-z0-9-]+)\.db$"
)
"""A finished backup's name: `<collection stem>-<stamp>[-<n>]-<reason>.db`."""
STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
"""The UTC time in a backup's (or a collection moved aside's) name; sorts as it reads."""


@dataclass(frozen=True)
class BackupFile:
    """A finished backup found in a backups folder."""

    path: Path
    taken_at: dt.datetime  # UTC, naive
    reason: str


def list_backups(db_path: str | Path) -> list[BackupFile]:
    """The finished backups of this collection, oldest first."""
    db_path = Path(db_path).expanduser()
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = NAME_RE.match(path.name)
        if not match or match["stem"] != db_path.stem or not path.is_file():
            continue
        taken = dt.datetime.strptime(match["stamp"], STAMP_FORMAT)
        found.append((taken, int(match["n"] or 0), BackupFile(path, taken, match["reason"])))
    return [b for _, _, b in sorted(found, key=lambda t: (t[0], t[1]))]


def backups_to_keep(backups: list[BackupFile]) -> set[Path]:
    """The rotation rule (see the module docstring), as a pure function of the backup list."""
    keep: set[Path] = {b.path for b in backups if b.reason not in ROTATED_REASONS}
    for reason in ROTATED_REASONS:
        newest_by_day: dict[dt.date, BackupFile] = {}
        newest_by_week: dict[tuple[int, int], BackupFile] = {}
        for b in backups:  # oldest first, so the last one seen per day or week is its newest
            if b.reason != reason:
                continue
            newest_by_day[b.taken_at.date()] = b
            iso = b.taken_at.isocalendar()
            newest_by_week[(iso.year, iso.week)] = b
        for day in sorted(newest_by_day)[-KEEP_DAILY:]:
            keep.add(newest_by_day[day].path)
        for week in sorted(newest_by_week)[-KEEP_WEEKLY:]:
            keep.add(newest_by_week[week].path)
    return keep


def rotate_backups(db_path: str | Path, keep: Path | None = None) -> list[Path]:
    """Delete the backups the rotation rule does not keep; returns what was deleted.

    `keep` is the backup just made (and checked): kept whatever the rule says, so rotation
    never leaves a collection without its last good backup.
    """
    backups = list_backups(db_path)
    kept = backups_to_keep(backups)
    if keep is not None:
        kept.add(keep)
    deleted = []
    for b in backups:
        if b.path not in kept:
            with contextlib.suppress(FileNotFoundError):
                b.path.unlink()
            deleted.append(b.path)
    return deleted
