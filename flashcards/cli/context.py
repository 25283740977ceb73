"""What every command that touches the collection does first: settings, then the database.

A collection opened here for the first time also gets the decks that ship with flashcards, so
`flashcards decks` on a fresh install already lists one to study.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from flashcards.cli.output import say
from flashcards.errors import UserError
from flashcards.settings import Settings, load_settings

if TYPE_CHECKING:  # `review` reads its first card before the services are loaded
    import argparse

    from flashcards.services.collection import Collection
    from flashcards.storage.upgrade_progress import UpgradeReporter
    from flashcards.ui.app import FlashcardsApp


def settings_from(args: argparse.Namespace) -> Settings:
    return load_settings(Path(args.config) if args.config else None)


def db_target_from(args: argparse.Namespace) -> str:
    """The collection `--db` names (`--db ""` too: the default location), as a path or URL.

    The default location's module (a parser of database URLs) is loaded only when it is
    needed: `flashcards` and `flashcards review` paint before the rest is imported."""
    if args.db:
        return str(args.db)
    from flashcards.storage.location import default_db_target

    return default_db_target()


def collection_from(
    args: argparse.Namespace,
    settings: Settings | None = None,
    progress: UpgradeReporter | None = None,
) -> Collection:
    """Open the collection the global options name, with the user's settings and the real clock.

    The bundled decks are installed on the first open; if that cannot be done now (a busy or
    read-only collection) the command still runs, and the next open tries again. An upgrade
    is said on stderr, or told to `progress` (the TUI's upgrade screen) when one is given.
    """
    from flashcards.services.bundled import install_bundled_decks_once
    from flashcards.services.collection import open_collection

    settings = settings or settings_from(args)
    target = db_target_from(args)
    if progress is None:
        col = open_noticed(target, settings)
    else:
        col = open_collection(target, settings=settings, progress=progress)
    try:
        install_bundled_decks_once(col)
    except UserError as exc:
        say(f"flashcards: the bundled decks were not installed this time: {exc}", err=True)
    return col


def open_noticed(target: str, settings: Settings | None = None) -> Collection:
    """`open_collection(target)`, saying on stderr when it upgrades an older collection first
    (cli/upgrade_notice.py): a command that would otherwise sit silent for seconds."""
    from flashcards.cli.upgrade_notice import upgrade_notice
    from flashcards.services.collection import open_collection

    with upgrade_notice(target) as progress:
        return open_collection(target, settings=settings, progress=progress)


def config_path_from(args: argparse.Namespace) -> Path | None:
    """The --config file, where a theme change is saved (None: the default location)."""
    return Path(args.config) if getattr(args, "config", None) else None


def run_upgrade_first(
    args: argparse.Namespace, settings: Settings, *, home: bool, deck: str | None = None
) -> int | None:
    """For a TUI command whose collection is older: run the app on the upgrade screen, which
    goes on to the home screen (`home`) or the review of `deck` once it is done
    (ui/upgrade_start.py), and return its exit code; None when there is nothing to upgrade.
    `deck` is found as stored once the collection is open: "muscle spasms" finds "Muscle
    spasms"."""
    from flashcards.storage.location import display_location
    from flashcards.storage.migrations import SCHEMA_VERSION, upgrade_pending

    target = db_target_from(args)
    source = upgrade_pending(target)
    if source is None:
        return None
    from flashcards.ui.upgrade_start import UpgradeStart

    def opened(progress: UpgradeReporter) -> tuple[Collection, str | None]:
        from flashcards.services.decks import resolve_deck_name

        col = app_collection_from(args, settings, progress)
        try:
            return col, None if deck is None else resolve_deck_name(col, deck)
        except BaseException:
            col.close()
            raise

    from flashcards.ui.app import FlashcardsApp

    upgrade = UpgradeStart(display_location(target), source, SCHEMA_VERSION, opened)
    config = config_path_from(args)
    return run_quick_start(FlashcardsApp(None, settings, config, home=home, upgrade=upgrade))


def app_collection_from(
    args: argparse.Namespace,
    settings: Settings | None = None,
    progress: UpgradeReporter | None = None,
) -> Collection:
    """`collection_from` for the TUI, which also finishes in the background the backups an
    earlier run left unchecked (services/backup.py `finish_pending_backups`): a session lasts
    long enough for that, a one-line command does not."""
    from flashcards.services.backup import finish_pending_backups

    col = collection_from(args, settings, progress)
    finish_pending_backups(col)
    return col


def close_after_app(col: Collection) -> None:
    """Close the collection the TUI used: at once, since closing stops the day's backup rather
    than wait for it (services/backup.py); the next start finishes what it left."""
    col.close()


def run_quick_start(app: FlashcardsApp) -> int:
    """Run an app that opens the collection after its first paint (a quick start of the review
    or of the home screen): close the collection if it was opened, and raise the UserError that
    kept it from opening, which the CLI prints as one line."""
    try:
        app.run()
    finally:
        if app.collection is not None:
            close_after_app(app.collection)
    if app.start_error is not None:
        raise app.start_error
    return app.return_code or 0


def collector_paused(command: Callable[[argparse.Namespace], int]) -> Callable[..., int]:
    """`command` (one that may paint before it opens the collection: `flashcards`, `flashcards
    review`) run with Python's cyclic garbage collector paused. Start-up allocates many objects
    and frees few, and the collector's passes over them were ~15 ms of the home screen's wait and
    ~4 ms of the review's (cold start is a benchmark target). It runs again from the first paint
    on (`opener_after_first_paint`), on the usual path, and in any case when the command ends."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        gc.disable()
        try:
            return command(args)
        finally:
            gc.enable()

    return run


def opener_after_first_paint(
    args: argparse.Namespace, settings: Settings
) -> Callable[[], Collection]:
    """What a quick start calls once its first frame is on screen: the collector runs again
    (see `collector_paused`), then the collection opens as every command opens it."""

    def open_collection() -> Collection:
        gc.enable()
        return app_collection_from(args, settings)

    return open_collection
