"""What every command that touches the collection does first: settings, then the database."""

from __future__ import annotations

import argparse
from pathlib import Path

from flashcards.services.collection import Collection, open_collection
from flashcards.settings import Settings, load_settings


def settings_from(args: argparse.Namespace) -> Settings:
    return load_settings(Path(args.config) if args.config else None)


def collection_from(args: argparse.Namespace) -> Collection:
    """Open the collection the global options name, with the user's settings and the real clock."""
    return open_collection(args.db, settings=settings_from(args))
