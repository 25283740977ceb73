"""The `flashcards` command: argument parsing and plain-text/JSON output.

Each subcommand lives in its own module with `register(subparsers)`; this module wires them up and
turns a `UserError` into one line on stderr and exit status 1. The TUI is imported only by the
commands that open it, so `--help`, `decks` or `import` never pay for loading Textual; and only
the module of the command given is imported (`review` does not load the importer's or the
exporter's modules), since a person waits for `flashcards review` several times a day.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from types import ModuleType, SimpleNamespace
from typing import TYPE_CHECKING

from flashcards import __version__
from flashcards.cli.output import say
from flashcards.errors import UserError

if TYPE_CHECKING:  # imported when a parser is built: `flashcards` alone and `review` need none
    import argparse

# One module per subcommand, in the order --help lists them: daily use first.
COMMANDS = [
    "review_cmd",
    "decks_cmd",
    "add_cmd",
    "edit_cmd",
    "cards_cmd",
    "card_ops_cmd",
    "import_cmd",
    "export_cmd",
    "stats_cmd",
    "backup_cmd",
    "restore_cmd",
    "check_cmd",
    "migrate_cmd",
]

# The command names each module registers (a test checks this against `register`), so that
# `flashcards NAME` imports the one module that handles NAME.
COMMAND_NAMES = {
    "review": "review_cmd",
    "decks": "decks_cmd",
    "add": "add_cmd",
    "edit": "edit_cmd",
    "cards": "cards_cmd",
    "card": "cards_cmd",
    **dict.fromkeys(
        ("suspend", "unsuspend", "forget", "set-due", "move", "tag", "delete"), "card_ops_cmd"
    ),
    "import": "import_cmd",
    "export": "export_cmd",
    "stats": "stats_cmd",
    "backup": "backup_cmd",
    "restore": "restore_cmd",
    "check": "check_cmd",
    "migrate-to": "migrate_cmd",
}
GLOBAL_OPTIONS = ("--db", "--config")  # the options that come before a command, with a value


def command_module(name: str) -> ModuleType:
    return importlib.import_module(f"flashcards.cli.{name}")


def command_given(argv: Sequence[str]) -> str | None:
    """The command `argv` names, when it is plain to see: the first word after the global
    options written in full. Anything else (`--help`, `--version`, an abbreviated option, no
    command) gives None, and the full parser, which knows every command, reads it."""
    words = iter(argv)
    for word in words:
        if word in GLOBAL_OPTIONS:
            next(words, None)
        elif not word.startswith(tuple(f"{option}=" for option in GLOBAL_OPTIONS)):
            return None if word.startswith("-") else word
    return None


def _leading_options(words: list[str]) -> dict[str, str | None] | None:
    """Take the global options off the head of `words`, each written in full with its value,
    as the parser reads them (the last of a repeated one counts); None where the parser must
    say what is wrong (a missing value, an option where the value should be)."""
    found: dict[str, str | None] = {"db": None, "config": None}
    while words and words[0].partition("=")[0] in GLOBAL_OPTIONS:
        name, equals, value = words.pop(0).partition("=")
        if not equals:
            value = words.pop(0) if words else "-"
        if value.startswith("-"):  # a missing value, or an option: the parser says what
            return None
        found[name.removeprefix("--")] = value
    return found


def global_options(argv: Sequence[str]) -> SimpleNamespace | None:
    """With `argv` global options written in full, each with a value, and nothing else
    (`flashcards` alone, the home screen), what the parser would make of them; else None.
    The home screen is a cold-start target, and this needs neither argparse nor a parser."""
    words = list(argv)
    found = _leading_options(words)
    if found is None or words:
        return None
    return SimpleNamespace(**found, command=None)


def plain_review(argv: Sequence[str]) -> SimpleNamespace | None:
    """`flashcards [--db PATH] [--config PATH] review [DECK]` written plainly (the options as
    `global_options` takes them, DECK not starting with "-"), read as the parser reads it; None
    for anything else, which the parser reads. A person waits for `review` several times a
    day, and argparse with its parser is ~3 ms of it (cold start is a benchmark target)."""
    words = list(argv)
    found = _leading_options(words)
    if found is None or words[:1] != ["review"] or len(words) > 2:
        return None
    deck = words[1] if len(words) == 2 else None
    if deck is not None and deck.startswith("-"):
        return None
    handler = command_module(COMMAND_NAMES["review"]).run
    return SimpleNamespace(**found, command="review", deck=deck, handler=handler)


def build_parser(only: str | None = None, *, commands: bool = True) -> argparse.ArgumentParser:
    """The parser of every command, or with `only` (a module in `COMMANDS`) of that one, or
    with `commands` False of the global options alone."""
    import argparse

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
    for name in (COMMANDS if only is None else [only]) if commands else []:
        command_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    # `flashcards` alone and `flashcards review` need no parser (nor the other command modules)
    args = global_options(argv) or plain_review(argv)
    if args is None:
        parser = build_parser(COMMAND_NAMES.get(command_given(argv) or ""))
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
