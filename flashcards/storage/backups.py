"""Backups of a SQLite collection: made with SQLite's online backup API, checked, rotated.

A backup is a complete, self-contained SQLite file (journal mode `delete`, no `-wal` beside it)
written to `<folder of the collection>/backups/` as
`<collection stem>-<YYYYMMDD>T<HHMMSS>Z-<reason>.db`, the time in UTC from the collection's clock.
It is written under a temporary name and renamed into place, so a backup killed half-way never
looks like a finished one. `start_backup` takes the read snapshot a backup copies and returns the
rest of the work (`PendingBackup.finish`), which may run in another thread while the collection
is written to: the study session's daily backup does (services/backup.py).

Every backup is checked before it gets its final name, so a damaged collection is reported
(`DamagedCollection`, a `UserError`) and never backed up; and since rotation runs only after a
backup that passed, a damaged file can never push the good backups out. The backups a person
asks for or that guard a one-off change (`manual`, `pre-migration`, `pre-restore`, …) pass
`PRAGMA integrity_check`; the automatic kinds made on the way to something else (`daily`,
`pre-import`: `QUICK_CHECKED`) pass `PRAGMA quick_check`, which reads every page and record
(the damage an online backup copies from its source) but not every index entry against its
row, the O(N log N) part: at 1,000,000 cards 9.7 s against 89 s, and a person who answers one
card and quits waits for the day's backup to finish.

Rotation (run after every backup this module makes) touches only the automatic kinds, `daily`
(before the first change of a study day) and `pre-import`, each kind on its own, and keeps, among
the finished backups of that kind of one collection in its backups folder:

* the newest backup of each of the 7 most recent UTC days that have a backup ("daily"), and
* the newest backup of each of the 4 most recent ISO weeks that have a backup ("weekly");

a backup kept by either rule stays, so at most 11 of each kind remain, and the backup just made
is always kept. Days without a backup are not counted: after a month away you still have the last
7 days you studied on. Every other kind is never deleted by rotation: `manual` (`flashcards
backup`), `pre-migration` (before an upgrade), `pre-restore`, `pre-delete`, and any file whose
name does not follow the pattern above (your own copies are safe).

Server collections (`postgresql://…`) have no file to copy: `make_backup` and `restore_backup`
refuse them with a `UserError`; the automatic backups (`backup_before_*`) quietly do nothing.

Restoring one is restore.py's job. This module is the file-level work and takes a path; when to
back up (the first change of a study day, before an import) is the services' policy, in
services/backup.py.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from flashcards.clock import Clock, SystemClock
from flashcards.errors import UserError
from flashcards.sanitize import clean_line
from flashcards.storage.database import describe_error, display_location, is_url
from flashcards.storage.files import backup_dir, fsync_path
from flashcards.storage.schema_check import integrity, readonly_uri
from flashcards.storage.upgrade_progress import UpgradeReporter

KEEP_DAILY = 7
KEEP_WEEKLY = 4
ROTATED_REASONS = ("daily", "pre-import")  # the automatic kinds; every other kind is kept
QUICK_CHECKED = ROTATED_REASONS  # checked with quick_check (module docstring); the rest in full
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT = 5.0  # seconds a backup or restore waits for another writer (as busy_timeout)
UPGRADE_STAGES = ("backing up the collection", "checking the backup")
"""The stages a pre-migration backup reports to an upgrade's progress (upgrade_progress.py)."""
STEP_PAGES = 4096
"""Pages an online backup copies per step when its progress is reported (16 MiB at 4 KiB)."""
CHECK_OPS_PER_PAGE = 1400  # integrity_check's steps a page: 1,398 at 100k cards, 1,217 at 1M

_NAME_RE = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{6}Z)(?:-(?P<n>\d+))?-(?P<reason>[a-z0-9-]+)\.db$"
)
_REASON_RE = re.compile(r"[^a-z0-9-]+")
STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
"""The UTC time in a backup's (or a collection moved aside's) name; sorts as it reads."""


def utc_stamp(clock: Clock) -> str:
    """The clock's now in STAMP_FORMAT."""
    return clock.now().astimezone(dt.UTC).strftime(STAMP_FORMAT)


@dataclass(frozen=True)
class BackupFile:
    """A finished backup found in a backups folder."""

    path: Path
    taken_at: dt.datetime  # UTC, naive
    reason: str


def refuse_server(target: str) -> None:
    """Raise the one-line `UserError` for a server URL: there is no file to copy."""
    if is_url(target):
        raise UserError(
            f"{display_location(target)}: backups are for SQLite collections "
            "(use your server's tools)"
        )


def source_of(target: str | Path, clock: Clock | None) -> tuple[Path, Clock]:
    """The collection file behind `target` (a server URL refused) and the clock to stamp with."""
    refuse_server(str(target))
    return Path(target).expanduser().absolute(), clock or SystemClock()


def list_backups(db_path: str | Path) -> list[BackupFile]:
    """The finished backups of this collection, oldest first."""
    db_path = Path(db_path).expanduser()
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _NAME_RE.match(path.name)
        if not match or match["stem"] != db_path.stem or not path.is_file():
            continue
        taken = dt.datetime.strptime(match["stamp"], STAMP_FORMAT)
        found.append((taken, int(match["n"] or 0), BackupFile(path, taken, match["reason"])))
    return [b for _, _, b in sorted(found, key=lambda t: (t[0], t[1]))]


class DamagedCollection(UserError):
    """The collection failed its integrity check: it is not backed up, it may be restored over."""


def _damaged(db_path: Path, finding: str) -> DamagedCollection:
    return DamagedCollection(
        f"{clean_line(db_path)}: the collection is damaged ({clean_line(finding)}); it was not "
        "backed up and the existing backups were kept: run `flashcards check`, then "
        "`flashcards restore FILE` with one of `flashcards backup --list`"
    )


def _is_damage(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


class _Busy(Exception):
    """The backup API could not get its lock before the deadline."""


def backup_within(
    source: sqlite3.Connection,
    dest: sqlite3.Connection,
    where: Path,
    reporter: UpgradeReporter | None = None,
) -> None:
    """`source.backup(dest)`, but giving up after `BUSY_TIMEOUT` seconds of being locked out.

    Python's `Connection.backup` retries a locked step forever (sleeping between tries, in C,
    where not even a signal gets through); a progress callback that raises is the only way out.
    With a `reporter`, the copy goes `STEP_PAGES` at a time and reports the share copied.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT

    def progress(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise _Busy
        if reporter is not None and total:
            reporter.advance(1 - remaining / total)

    try:
        pages = STEP_PAGES if reporter is not None else -1
        source.backup(dest, pages=pages, progress=progress, sleep=0.02)
    except _Busy:
        raise UserError(
            f"{where}: the collection is busy (another flashcards is writing to it)"
        ) from None


def copy_database(
    source: sqlite3.Connection,
    source_path: Path,
    dest_path: Path,
    reporter: UpgradeReporter | None = None,
) -> None:
    """Copy a consistent snapshot of `source` into a new file with the online backup API."""
    dest = sqlite3.connect(str(dest_path))
    try:
        backup_within(source, dest, source_path, reporter)
        dest.execute("PRAGMA journal_mode=delete")
        dest.commit()
    finally:
        dest.close()


def _unique_name(folder: Path, stem: str, stamp: str, reason: str) -> Path:
    path = folder / f"{stem}-{stamp}-{reason}.db"
    n = 1
    while path.exists():
        path = folder / f"{stem}-{stamp}-{n}-{reason}.db"
        n += 1
    return path


def make_backup(
    target: str | Path,
    reason: str = "manual",
    *,
    clock: Clock | None = None,
    reporter: UpgradeReporter | None = None,
) -> Path:
    """Back up the collection file now into its backups folder, rotate old ones, return the copy.

    `reason` ends the file name (`manual`, `daily`, `pre-import`, …); the time comes from
    `clock`, else the system clock. Reads only: the collection may be in use by another process
    while this runs (SQLite copies a consistent snapshot). A `reporter` (an upgrade's) hears
    of the copy and the check as its first two stages (`UPGRADE_STAGES`).
    """
    pending = start_backup(target, reason, clock=clock)
    pending.reporter = reporter
    return pending.finish()


def start_backup(
    target: str | Path, reason: str = "manual", *, clock: Clock | None = None
) -> PendingBackup:
    """Take the read snapshot a backup will copy, and return the rest of the work to do.

    Only this part has to run before the collection changes: in WAL mode (every SQLite
    collection, storage/database.py) the snapshot is a read transaction that writers do not
    wait for, so `finish()` may run in another thread while the collection is written to, and
    the backup still shows the collection as it was here.
    """
    db_path, clock = source_of(target, clock)
    if not db_path.is_file():
        raise UserError(f"{clean_line(db_path)}: no collection there to back up")
    reason = _REASON_RE.sub("-", reason.lower()).strip("-") or "manual"
    stamp = utc_stamp(clock)
    folder = backup_dir(db_path)
    with _as_user_errors(db_path, folder):
        folder.mkdir(exist_ok=True)
        final = _unique_name(folder, db_path.stem, stamp, reason)
        # finish() may run in another thread; this connection is used by one thread at a time
        source = sqlite3.connect(
            readonly_uri(db_path), uri=True, isolation_level=None, check_same_thread=False
        )
        try:
            source.execute("BEGIN")
            source.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot
        except BaseException:
            source.close()
            raise
    return PendingBackup(db_path, final, source, quick=reason in QUICK_CHECKED)


@dataclass
class PendingBackup:
    """A backup whose snapshot is taken (`start_backup`): copy, check, name and rotate to go."""

    db_path: Path
    final: Path
    source: sqlite3.Connection
    quick: bool = False  # check the copy with quick_check (an automatic kind), else in full
    reporter: UpgradeReporter | None = None  # an upgrade's progress (`make_backup`)

    def finish(self) -> Path:
        """Copy the snapshot under a temporary name, check it, name it, rotate; the backup.

        The temporary name (`….db.<pid>.partial`) is not a backup's name (`list_backups`), so a copy
        killed half-way is never taken for one. Raises `DamagedCollection` for a copy that
        fails its check (nothing named, no backup deleted), `UserError` for the rest.
        """
        folder = self.final.parent
        # this process's own: two processes backing up in the same second never share one
        partial = self.final.with_name(f"{self.final.name}.{os.getpid()}.partial")
        try:
            with _as_user_errors(self.db_path, folder):
                with contextlib.suppress(FileNotFoundError):
                    partial.unlink()
                self._copy(partial)
                self.source.close()
                self._verify(partial)
                fsync_path(partial)
                if self.final.exists():  # never replace a finished backup, even a recent one
                    raise UserError(
                        f"{clean_line(self.final)}: a backup of that name appeared; try again"
                    )
                os.replace(partial, self.final)
                fsync_path(folder, directory=True)
        finally:
            self.source.close()
            with contextlib.suppress(OSError):
                partial.unlink()
        rotate_backups(self.db_path, keep=self.final)
        return self.final

    def _copy(self, partial: Path) -> None:
        if self.reporter is None:
            return copy_database(self.source, self.db_path, partial)
        with self.reporter.stage(0):
            copy_database(self.source, self.db_path, partial, self.reporter)

    def _verify(self, partial: Path) -> None:
        if self.reporter is None:
            return verify_copy(self.db_path, partial, quick=self.quick)
        with self.reporter.stage(1):
            verify_copy(self.db_path, partial, quick=self.quick, reporter=self.reporter)


@contextlib.contextmanager
def _as_user_errors(db_path: Path, folder: Path) -> Iterator[None]:
    """A backup's SQLite and file errors as the one-line errors a user can act on."""
    try:
        yield
    except sqlite3.Error as exc:
        if _is_damage(exc):
            raise _damaged(db_path, str(exc)) from None
        raise describe_error(exc, str(db_path)) from None
    except OSError as exc:
        raise UserError(
            f"{clean_line(folder)}: cannot write the backup ({exc.strerror or exc})"
        ) from None


def verify_copy(
    db_path: Path, copy: Path, *, quick: bool = False, reporter: UpgradeReporter | None = None
) -> None:
    """Refuse a copy that fails its check (`quick_check` if `quick`): the collection is damaged.

    The online backup API copies pages as they are, so the copy shows every fault of the source;
    checking the copy (integrity_check: about 0.1 s for 20 MB, 89–111 s for 1.8 GB; quick_check
    9.7 s) holds no lock on the collection.
    """
    conn = sqlite3.connect(str(copy))
    try:
        if reporter is None:
            finding = integrity(conn, quick=quick)
        else:
            (pages,) = conn.execute("PRAGMA page_count").fetchone()
            with reporter.ticking(conn, pages * CHECK_OPS_PER_PAGE):
                finding = integrity(conn, quick=quick)
                reporter.check()  # a check a stop interrupted is no finding of damage
                if finding == "interrupted":  # by a KeyboardInterrupt the handler swallowed
                    raise KeyboardInterrupt
    finally:
        conn.close()
    if finding != "ok":
        raise _damaged(db_path, finding)


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


def pre_migration_backup(
    target: str | Path, clock: Clock | None = None, reporter: UpgradeReporter | None = None
) -> Callable[[int], None]:
    """A `before_migration` hook for `open_database(target, before_migration=...)`.

    It backs the file up (reason `pre-migration`, never rotated away) before the first step
    runs, reporting to `reporter` (made with `before=UPGRADE_STAGES`) as it goes.
    """

    def hook(version: int) -> None:
        if not is_url(str(target)):
            make_backup(target, "pre-migration", clock=clock, reporter=reporter)

    return hook
