"""`flashcards` with no subcommand: open the TUI on the home screen.

Textual is imported inside `run` only, so the rest of the CLI never pays for loading it. The deck
list is counted before anything else is loaded (`services.first_home`, plain `sqlite3`) and
painted at once; the collection is opened as usual right after (`QuickHome`). Where that fast
path does not apply (a server, a new collection, another schema) the collection is opened first,
as every other command does.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from flashcards.cli.context import (
    app_collection_from,
    close_after_app,
    collector_paused,
    config_path_from,
    db_target_from,
    opener_after_first_paint,
    run_quick_start,
    run_upgrade_first,
    settings_from,
)
from flashcards.settings import Settings

if TYPE_CHECKING:
    import argparse


@collector_paused
def run(args: argparse.Namespace) -> int:
    """The home screen, its deck list painted before the collection is opened where it can be
    (with the garbage collector paused until then: `collector_paused`)."""
    from flashcards.clock import SystemClock
    from flashcards.services.first_home import first_home

    settings = settings_from(args)
    quick = first_home(db_target_from(args), settings, SystemClock(settings.rollover_hour).today())
    if quick is None:
        gc.enable()
        return _run_opened(args, settings)
    from flashcards.ui.app import FlashcardsApp
    from flashcards.ui.quick_home import QuickHome

    app = FlashcardsApp(
        None,
        settings,
        config_path=config_path_from(args),
        quick_home=QuickHome(quick.counts, opener_after_first_paint(args, settings)),
        images=quick.has_media,
    )
    return run_quick_start(app)


def _run_opened(args: argparse.Namespace, settings: Settings) -> int:
    """The home screen with the collection opened first (the usual path); an older one is
    upgraded on screen first (`run_upgrade_first`)."""
    upgraded = run_upgrade_first(args, settings, home=True)
    if upgraded is not None:
        return upgraded
    col = app_collection_from(args, settings)
    try:
        from flashcards.ui.app import FlashcardsApp

        app = FlashcardsApp(col, col.settings, config_path=config_path_from(args))
        app.run()
    finally:
        close_after_app(col)
    return app.return_code or 0
