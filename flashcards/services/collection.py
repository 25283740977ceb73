"""An open collection: the database, the clock and the settings, passed together to use cases."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from peewee import Database

from flashcards.clock import Clock, SystemClock
from flashcards.settings import Settings
from flashcards.storage import open_database
from flashcards.storage.backups import pre_migration_backup
from flashcards.storage.location import default_db_target, display_location


@dataclass
class Collection:
    """What every use case needs; the UI and the CLI build one and hand it down."""

    db: Database
    clock: Clock
    settings: Settings = field(default_factory=Settings)
    target: str = ""

    def __repr__(self) -> str:
        """Without a URL's password: a crash report may show this object among its locals."""
        return f"Collection(target={display_location(self.target)!r}, clock={self.clock!r})"

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None for a server database."""
        return None if "://" in self.target else Path(self.target)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Collection:
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Close the database however the block ends (`with open_collection(...) as col:`)."""
        self.close()


def open_collection(
    target: str | Path | None = None,
    *,
    clock: Clock | None = None,
    settings: Settings | None = None,
) -> Collection:
    """Open the collection at `target` (or the default location) with the user's settings."""
    settings = settings or Settings()
    clock = clock or SystemClock(settings.rollover_hour)
    target = str(target) if target is not None else default_db_target()
    db = open_database(target, before_migration=pre_migration_backup(target, clock))
    return Collection(db=db, clock=clock, settings=settings, target=target)
