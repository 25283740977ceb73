"""The `flashcards` command: argument parsing and plain-text/JSON output.

Each subcommand lives in its own module with `register(subparsers)`; this module wires them up and
turns a `UserError` into one line on stderr and exit status 1. The TUI is imported only by the
commands that open it, so `--help`, `decks` or `import` never pay for loading Textual.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from flashcards import __version__
from flashcards.cli import (
    add_cmd,
    backup_cmd,
    card_ops_cmd,
    cards_cmd,
    check_cmd,
    decks_cmd,
    edit_cmd,
    export_cmd,
    import_cmd,
    migrate_cmd,
    restore_cmd,
    review_cmd,
    stats_cmd,
)
from flashcards.cli.output import say
from flashcards.errors import UserError

# One module per subcommand, in the order --help lists them: daily use first.
COMMANDS = [
    review_cmd,
    decks_cmd,
    add_cmd,
    edit_cmd,
    cards_cmd,
    card_ops_cmd,
    import_cmd,
    export_cmd,
    stats_cmd,
    backup_cmd,
    restore_cmd,
    check_cmd,
    migrate_cmd,
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flashcards",
        description="Review flashcards in the terminal with SM-2 spaced repetition.",
    )
    parser.add_argument("--version", action="version", version=f"flashcards {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH",
        help=(
            "the collection file or a postgresql://user:password@host:port/dbname URL "
            "(default: $FLASHCARDS_DB, else collection.db in the data dir)"
        ),
    )
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="the settings file (default: $FLASHCARDS_CONFIG, else config.toml in the config dir)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        handler = _default_handler()
    try:
        return int(handler(args) or 0)
    except UserError as exc:
        say(f"flashcards: {exc}", err=True)
        return 1
    except KeyboardInterrupt:
        say("flashcards: interrupted", err=True)
        return 130
    except BrokenPipeError:
        return 1


def _default_handler():
    """`flashcards` alone opens the TUI when it is installed in this build, else prints help."""
    try:
        from flashcards.cli import home_cmd
    except ImportError:
        return lambda _args: build_parser().print_help() or 0
    return home_cmd.run
