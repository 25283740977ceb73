"""When to back up: the policy; the file-level work (copy, check, rotate, restore) is storage's.

A collection is backed up before the first change of each study day and before an import, so a
bad session or a bad deck file can always be undone with `flashcards restore`. Empty and server
collections are not backed up (there is nothing to lose, or no file to copy).
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from pathlib import Path

from peewee import DatabaseError, OperationalError

from flashcards.clock import Clock
from flashcards.errors import UserError
from flashcards.services.collection import Collection
from flashcards.storage import Card, Meta, Review, backup_child, backups, pending_backups
from flashcards.storage.backup_files import BackupStopped, StopSignal
from flashcards.storage.binding import bound, runs_on_collection
from flashcards.storage.database import describe_error, is_url

DAILY_KEY = "last_daily_backup"  # Meta key: the study day of the last first-write-of-day backup


def make_backup(
    col_or_path: Collection | str | Path, reason: str = "manual", *, clock: Clock | None = None
) -> Path:
    """`storage.backups.make_backup` for a collection (its file, its clock) or a path."""
    if isinstance(col_or_path, Collection):
        return backups.make_backup(col_or_path.target, reason, clock=clock or col_or_path.clock)
    return backups.make_backup(col_or_path, reason, clock=clock)


def _has_content(col: Collection) -> bool:
    return Card.select().exists() or Review.select().exists()


def daily_worker(day: dt.date) -> str:
    """The name of the collection's worker thread that finishes a day's backup (one a day)."""
    return f"daily-backup-{day.isoformat()}"


def _daily_due(col: Collection) -> str | None:
    """Today's study day if the day's backup is still to be made, else None."""
    today = col.clock.today().isoformat()
    row = Meta.get_or_none(Meta.key == DAILY_KEY)
    return None if row is not None and row.value == today else today


def _mark_daily(col: Collection, today: str) -> None:
    with col.db.atomic():
        Meta.put(DAILY_KEY, today)


def _mark_daily_here(col: Collection, today: str | None) -> None:
    """`_mark_daily` (or, given None, forget the mark) from a worker thread, on its own
    connection, closed before the thread ends."""
    with bound(col.db):
        try:
            if today is None:
                with col.db.atomic():
                    Meta.delete().where(Meta.key == DAILY_KEY).execute()
            else:
                _mark_daily(col, today)
        finally:
            col.db.close()


@runs_on_collection
def backup_before_first_write_today(col: Collection) -> Path | None:
    """Back up once per study day, before the day's first change; None when not needed.

    Remembers the study day in the Meta table (`last_daily_backup`), so calling it before every
    write costs one indexed read. Nothing to do for a server collection or an empty one, or
    while a study session's backup of the day is still being made (`start_daily_backup`).
    """
    if is_url(col.target) or col.worker_running(daily_worker(col.clock.today())):
        return None  # no server file; or a study session's backup of today is being made
    try:
        today = _daily_due(col)
        if today is None:
            return None
        path = make_backup(col, "daily") if _has_content(col) else None
        _mark_daily(col, today)
    except (OperationalError, DatabaseError) as exc:
        raise describe_error(exc, col.target) from None
    return path


@dataclass
class DailyBackup:
    """The day's backup finishing in the background: once `done`, its file or its problem."""

    done: threading.Event = field(default_factory=threading.Event)
    path: Path | None = None
    problem: str | None = None  # one line for the user: the copy failed its check, a full disk


@runs_on_collection
def start_daily_backup(col: Collection) -> DailyBackup | None:
    """`backup_before_first_write_today` for the study session: only the snapshot waits.

    The first answer of the day used to wait for the copy and its integrity check (40.9 s on a
    1.8 GB collection, issue 17). Here only the backup's read snapshot is taken before this
    returns; the copy, the check, the naming, the rotation and then the day's Meta mark run in
    a thread of the collection (`Collection.start_worker`, stopped by `close()`), while the
    session writes: the backup still shows the collection before the day's first change. A
    failure is the job's `problem`; the mark stays unset, so the next session tries again.
    Closing the collection stops the job (`Collection.close`) instead of waiting for it: a copy
    cut off is deleted, a process that outlives the app backs the collection up as it is then
    (storage/backup_child.py), and the day is left unmarked, so the next session backs up
    again; a complete copy is left for the next start to check and name
    (`finish_pending_backups`), and the day is marked.
    None when no backup is needed, or one is already running in this process.
    """
    if is_url(col.target) or col.worker_running(daily_worker(col.clock.today())):
        return None
    try:
        today = _daily_due(col)
        if today is None:
            return None
        if not _has_content(col):
            _mark_daily(col, today)
            return None
    except (OperationalError, DatabaseError) as exc:
        raise describe_error(exc, col.target) from None
    pending = backups.start_backup(col.target, "daily", clock=col.clock)
    job = DailyBackup()
    stop = StopSignal()

    def finish() -> None:
        try:
            try:
                job.path = pending.finish(stop)
            except BackupStopped as stopped:
                if stopped.left is None:  # the copy was cut off: a process of its own backs
                    backup_child.start(col.target, "daily")  # up the collection as it is now
                    return  # the day is not marked: the next session backs up again
            _mark_daily_here(col, today)  # made, or complete and left for the next start to check
        except UserError as exc:
            job.problem = str(exc)
        except (OperationalError, DatabaseError) as exc:
            job.problem = str(describe_error(exc, col.target))
        finally:
            job.done.set()

    if not col.start_worker(daily_worker(col.clock.today()), finish, stop=stop.stop):
        pending.source.close()
        return None
    return job


@runs_on_collection
def backup_before_import(col: Collection) -> Path | None:
    """Back up before an import changes the collection; None for an empty or server collection."""
    if is_url(col.target):
        return None
    try:
        if not _has_content(col):
            return None
    except (OperationalError, DatabaseError) as exc:
        raise describe_error(exc, col.target) from None
    return make_backup(col, "pre-import")


PENDING_WORKER = "pending-backups"


@runs_on_collection
def finish_pending_backups(col: Collection) -> bool:
    """Check and name, in the background, the complete copies an earlier process left
    unchecked, and delete the ones it cut off (storage/pending_backups.py); whether a worker
    started (only when there is something to do). `close()` stops it; the next start goes on.

    A copy that fails its check is deleted and the day's mark forgotten, so the next change
    backs up again and the study session reports the damage it finds.
    """
    path = col.path
    if path is None or col.worker_running(PENDING_WORKER) or not pending_backups.pending(path):
        return False
    stop = StopSignal()

    def work() -> None:
        try:
            done = pending_backups.finish_pending(path, stop)
            if done.problems:
                _mark_daily_here(col, None)
        except (UserError, OSError, OperationalError, DatabaseError):
            pass  # best effort: what is left waits for the next start

    return col.start_worker(PENDING_WORKER, work, stop=stop.stop)
