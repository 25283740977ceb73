"""An open collection: the database, the clock and the settings, passed together to use cases."""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

from peewee import Database

from flashcards.clock import Clock, SystemClock
from flashcards.settings import Settings
from flashcards.storage import open_database
from flashcards.storage.backups import UPGRADE_STAGES, pre_migration_backup
from flashcards.storage.binding import bound
from flashcards.storage.location import default_db_target, display_location, is_url
from flashcards.storage.upgrade_progress import UpgradeReporter

STOP_POLL = 0.05  # seconds between two `stop()` calls while a worker is ending


@dataclass
class Collection:
    """What every use case needs; the UI and the CLI build one and hand it down."""

    db: Database
    clock: Clock
    settings: Settings = field(default_factory=Settings)
    target: str = ""
    _bindings: list[AbstractContextManager[Database]] = field(
        default_factory=list, init=False, repr=False, compare=False
    )
    _workers: dict[str, threading.Thread] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _stops: dict[str, Callable[[], None]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __repr__(self) -> str:
        """Without a URL's password: a crash report may show this object among its locals."""
        return f"Collection(target={display_location(self.target)!r}, clock={self.clock!r})"

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None for a server database."""
        return None if "://" in self.target else Path(self.target)

    def start_worker(
        self, name: str, work: Callable[[], None], *, stop: Callable[[], None] | None = None
    ) -> bool:
        """Run `work` in a thread that `close()` waits for; False (nothing started) while one of
        that name is still running.

        `stop`, if given, asks `work` to end soon and leave what it has not done in a state the
        next start takes up (a backup: storage/backup_files.py); `close()` calls it, again and
        again until the thread has ended, so closing never waits for long work. Not a daemon:
        a process that ends without closing still waits for it, so work is never cut off by an
        ordinary exit in a state nobody could take up. `work` starts with nothing bound
        (storage/binding.py) and must close any connection it opens in its thread.
        """
        if self.worker_running(name):
            return False
        thread = threading.Thread(target=work, name=f"flashcards-{name}")
        self._workers[name] = thread
        if stop is not None:
            self._stops[name] = stop
        else:
            self._stops.pop(name, None)
        thread.start()
        return True

    def worker_running(self, name: str) -> bool:
        """Is the thread `start_worker` started under `name` still running?"""
        running = self._workers.get(name)
        return running is not None and running.is_alive()

    def workers_running(self) -> bool:
        """Is any thread `start_worker` started still running?"""
        return any(thread.is_alive() for thread in self._workers.values())

    def wait_for_workers(self) -> None:
        """Wait until every thread `start_worker` started has finished."""
        for thread in list(self._workers.values()):
            thread.join()
        self._workers.clear()
        self._stops.clear()

    def stop_workers(self) -> None:
        """Ask every worker started with a `stop` to end, until it has; wait for the others."""
        for name, thread in list(self._workers.items()):
            stop = self._stops.get(name)
            while stop is not None and thread.is_alive():
                stop()  # again: an interrupt that reaches SQLite between statements is lost
                thread.join(STOP_POLL)
        self.wait_for_workers()

    def close(self) -> None:
        """Close the database, once the work started in the background has stopped or finished
        (the day's backup is stopped, and what it leaves is finished at the next start)."""
        try:
            self.stop_workers()
        finally:
            self.db.close()

    def __enter__(self) -> Collection:
        """`with open_collection(...) as col:` runs the block bound to this collection's
        database (storage/binding.py), as a service decorated `@runs_on_collection` is."""
        self._bindings.append(bound(self.db))
        self._bindings[-1].__enter__()
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Unbind and close the database however the block ends."""
        try:
            self._bindings.pop().__exit__(None, None, None)
        finally:
            self.close()


def open_collection(
    target: str | Path | None = None,
    *,
    clock: Clock | None = None,
    settings: Settings | None = None,
    progress: UpgradeReporter | None = None,
) -> Collection:
    """Open the collection at `target` (or the default location) with the user's settings.

    An older collection is backed up and upgraded first; `progress` hears of it, the backup's
    copy and check as its first stages (a file's), and may stop it (upgrade_progress.py).
    """
    settings = settings or Settings()
    clock = clock or SystemClock(settings.rollover_hour)
    target = str(target) if target is not None else default_db_target()
    if progress is not None:
        progress.before = () if is_url(target) else UPGRADE_STAGES
    backup = pre_migration_backup(target, clock, progress)
    db = open_database(target, before_migration=backup, progress=progress)
    return Collection(db=db, clock=clock, settings=settings, target=target)
