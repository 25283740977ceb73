"""`flashcards` with no subcommand: open the TUI on the home screen.

Textual is imported inside `run` only, so the rest of the CLI never pays for loading it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from flashcards.cli.context import close_after_app, collection_from

if TYPE_CHECKING:
    import argparse


def config_path_from(args: argparse.Namespace) -> Path | None:
    """The --config file, where a theme change is saved (None: the default location)."""
    return Path(args.config) if getattr(args, "config", None) else None


def run(args: argparse.Namespace) -> int:
    col = collection_from(args)
    try:
        from flashcards.ui.app import FlashcardsApp

        app = FlashcardsApp(col, col.settings, config_path=config_path_from(args))
        app.run()
    finally:
        close_after_app(col)
    return app.return_code or 0
