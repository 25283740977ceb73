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
row, the O(N log N) part: at 1,000,000 cards 9.7 s against 89 s. A backup finished in the
background (`PendingBackup.finish` with a `StopSignal`) can be stopped, between two steps of
its copy or in its check, so closing the collection never waits for it (backup_files.py).
Rotation (backup_rotation.py) runs after every backup this module makes, and only after one
that passed its check.

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
from flashcards.storage.backup_check import DamagedCollection as DamagedCollection
from flashcards.storage.backup_check import damaged, verify_copy
from flashcards.storage.backup_files import (
    CHECKING,
    PARTIAL,
    STEP_PAGES,
    UNCHECKED,
    BackupStopped,
    StopSignal,
    claim,
    move_no_clobber,
    release,
    temp_name,
)
from flashcards.storage.backup_rotation import (  # the listing and rotation, re-exported
    NAME_RE,
    ROTATED_REASONS,
    STAMP_FORMAT,
    rotate_backups,
)
from flashcards.storage.backup_rotation import BackupFile as BackupFile
from flashcards.storage.backup_rotation import backups_to_keep as backups_to_keep
from flashcards.storage.backup_rotation import list_backups as list_backups
from flashcards.storage.database import describe_error, display_location, is_url
from flashcards.storage.files import backup_dir, fsync_path
from flashcards.storage.schema_check import readonly_uri
from flashcards.storage.upgrade_progress import UpgradeReporter

QUICK_CHECKED = ROTATED_REASONS  # checked with quick_check (module docstring); the rest in full
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT = 5.0  # seconds a backup or restore waits for another writer (as busy_timeout)
UPGRADE_STAGES = ("backing up the collection", "checking the backup")
"""The stages a pre-migration backup reports to an upgrade's progress (upgrade_progress.py)."""

_REASON_RE = re.compile(r"[^a-z0-9-]+")


def utc_stamp(clock: Clock) -> str:
    """The clock's now in STAMP_FORMAT."""
    return clock.now().astimezone(dt.UTC).strftime(STAMP_FORMAT)


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
    *,
    stop: StopSignal | None = None,
) -> None:
    """`source.backup(dest)`, but giving up after `BUSY_TIMEOUT` seconds of being locked out;
    with a `reporter` (an upgrade's) or a `stop` (the day's backup), copying `STEP_PAGES` at a
    time, reporting the share copied, or raising `BackupStopped` once stopped.

    Python's `Connection.backup` retries a locked step forever (sleeping between tries, in C,
    where not even a signal gets through); a progress callback that raises is the only way out.
    Copying step by step keeps the snapshot: `source` holds its read transaction between steps
    (start_backup), so a write meanwhile neither shows in the copy nor restarts it.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT

    def progress(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise _Busy
        if reporter is not None and total:
            reporter.advance(1 - remaining / total)
        if stop is not None and stop.stopped:
            raise BackupStopped(None)

    stepped = stop is not None or reporter is not None
    pages = STEP_PAGES if stepped else -1  # -1: all in one step
    try:
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
    *,
    stop: StopSignal | None = None,
) -> None:
    """Copy a consistent snapshot of `source` into a new file with the online backup API."""
    dest = sqlite3.connect(str(dest_path))
    try:
        backup_within(source, dest, source_path, reporter, stop=stop)
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

    def finish(self, stop: StopSignal | None = None) -> Path:
        """Copy the snapshot under a temporary name, check it, name it, rotate; the backup.

        The temporary names (storage/backup_files.py) are not a backup's name (`list_backups`),
        so a copy killed half-way is never taken for one. Raises `DamagedCollection` for a copy
        that fails its check (nothing named, no backup deleted), `UserError` for the rest, and,
        once `stop` is stopped, `BackupStopped`: a cut-off copy is deleted, a complete one is
        left unchecked for the next start (storage/pending_backups.py).
        """
        partial = temp_name(self.final, PARTIAL)  # this process's own names
        checking = temp_name(self.final, CHECKING)
        claim(partial)
        claim(checking)
        try:
            with _as_user_errors(self.db_path, self.final.parent):
                with contextlib.suppress(FileNotFoundError):
                    partial.unlink()
                self._copy(partial, stop)
                self.source.close()
                fsync_path(partial)
                os.replace(partial, checking)  # complete: from now on a kill leaves it whole
        except BaseException:
            release(checking)
            raise
        finally:  # a copy cut off (stopped, failed) is deleted
            self.source.close()
            with contextlib.suppress(OSError):
                partial.unlink()
            release(partial)
        named = check_and_name(
            self.db_path, checking, self.final, quick=self.quick, stop=stop, reporter=self.reporter
        )
        rotate_backups(self.db_path, keep=named)
        return named

    def _copy(self, partial: Path, stop: StopSignal | None) -> None:
        if self.reporter is None:
            return copy_database(self.source, self.db_path, partial, stop=stop)
        with self.reporter.stage(0):
            copy_database(self.source, self.db_path, partial, self.reporter, stop=stop)


def check_and_name(
    db_path: Path,
    checking: Path,
    final: Path,
    *,
    quick: bool,
    stop: StopSignal | None = None,
    reporter: UpgradeReporter | None = None,
) -> Path:
    """Check the complete copy `checking` (claimed by this process) and give it `final`'s name,
    or the next free name of its time and reason; the name it got. An upgrade's `reporter`
    hears the check as its second stage.

    A damaged copy is deleted (`DamagedCollection`); a stopped check leaves the copy as
    `….unchecked` (`BackupStopped`). Never replaces a file: see `move_no_clobber`.
    """
    folder = final.parent
    try:
        with _as_user_errors(db_path, folder):
            try:
                if reporter is None:
                    verify_copy(db_path, checking, quick=quick, stop=stop)
                else:
                    with reporter.stage(1):
                        verify_copy(db_path, checking, quick=quick, reporter=reporter)
            except BackupStopped:
                left = temp_name(final, UNCHECKED)
                if not move_no_clobber(checking, left):
                    raise
                fsync_path(folder, directory=True)
                raise BackupStopped(left) from None
            named = final
            match = NAME_RE.match(final.name)
            while not move_no_clobber(checking, named):  # a backup of that name appeared
                assert match is not None
                named = _unique_name(folder, match["stem"], match["stamp"], match["reason"])
            fsync_path(folder, directory=True)
    finally:
        with contextlib.suppress(OSError):
            checking.unlink()  # gone once named or left; what a failed check leaves
        release(checking)
    return named


@contextlib.contextmanager
def _as_user_errors(db_path: Path, folder: Path) -> Iterator[None]:
    """A backup's SQLite and file errors as the one-line errors a user can act on."""
    try:
        yield
    except sqlite3.Error as exc:
        if _is_damage(exc):
            raise damaged(db_path, str(exc)) from None
        raise describe_error(exc, str(db_path)) from None
    except OSError as exc:
        raise UserError(
            f"{clean_line(folder)}: cannot write the backup ({exc.strerror or exc})"
        ) from None


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
