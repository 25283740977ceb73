"""The CLI builds the parser of the one command given, so `review` does not import the others.

`COMMAND_NAMES` says which module handles each command; these tests keep it true to what the
modules register, and check that a command's parse is the same with the one module as with all.
"""

from __future__ import annotations

import argparse
import re

import pytest

from flashcards.cli import (
    COMMAND_NAMES,
    COMMANDS,
    build_parser,
    command_given,
    global_options,
    plain_review,
)


def _commands(parser: argparse.ArgumentParser, capsys: pytest.CaptureFixture[str]) -> set[str]:
    """The command names a parser knows, as its error for an unknown one lists them."""
    with pytest.raises(SystemExit):
        parser.parse_args(["no-such-command"])
    listed = capsys.readouterr().err.split("choose from", 1)[1]
    return set(re.findall(r"'([a-z-]+)'", listed))


def test_every_command_is_named_with_the_module_that_registers_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    registered = {}
    for module in COMMANDS:
        for name in _commands(build_parser(only=module), capsys):
            registered[name] = module
    assert registered == COMMAND_NAMES
    assert _commands(build_parser(), capsys) == set(COMMAND_NAMES)


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["review"], "review"),
        (["--db", "x.db", "review", "Spanish"], "review"),
        (["--db=x.db", "--config", "c.toml", "decks"], "decks"),
        (["--db", "review", "decks"], "decks"),  # a collection file called "review"
        (["--help"], None),
        (["--version"], None),
        (["--d", "x.db", "review"], None),  # an abbreviation: the full parser reads it
        ([], None),
        (["--db"], None),
    ],
)
def test_the_command_given(argv: list[str], command: str | None) -> None:
    assert command_given(argv) == command


@pytest.mark.parametrize(
    "argv",
    [
        ["--db", "x.db", "review", "Spanish"],
        ["--db", "x.db", "set-due", "deck:A", "0-3", "--seed", "4"],
        ["--config", "c.toml", "import", "deck.toml", "--deck", "B"],
    ],
)
def test_one_module_parses_as_all_do(argv: list[str]) -> None:
    only = build_parser(only=COMMAND_NAMES[command_given(argv) or ""]).parse_args(argv)
    assert vars(only) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize(
    ("argv", "alone"),
    [
        ([], True),
        (["--db", "x.db"], True),
        (["--db=x.db", "--config", "c.toml"], True),
        (["--db", "review"], True),  # a collection file called "review"
        (["--db", "a.db", "--db", "b.db"], True),  # the last one counts, as argparse has it
        (["--db"], False),  # the parser says what is missing
        (["--db", "--config", "c.toml"], False),
        (["--db="], True),  # an empty value, as argparse reads it
        (["--help"], False),
        (["--d", "x.db"], False),
        (["--db", "x.db", "review"], False),
    ],
)
def test_global_options_alone(argv: list[str], alone: bool) -> None:
    """`flashcards` alone (the home screen) is read without a parser, as the parser reads it."""
    options = global_options(argv)
    assert (options is not None) == alone
    if options is not None:
        assert vars(options) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize(
    ("argv", "plain"),
    [
        (["review"], True),
        (["review", "Spanish::Verbs"], True),
        (["--db", "x.db", "review"], True),
        (["--db=x.db", "--config", "c.toml", "review", "Medicine"], True),
        (["--db", "review", "review"], True),  # a collection file called "review"
        (["--db", "a.db", "--db", "b.db", "review"], True),  # the last one counts
        (["--db=", "review"], True),  # an empty value, as argparse reads it
        (["review", ""], True),
        (["--db", "review"], False),  # no command: the home screen
        (["review", "A", "B"], False),  # the parser says what is extra
        (["review", "--help"], False),
        (["review", "-A"], False),
        (["--db", "--config", "c.toml", "review"], False),
        (["--db"], False),
        (["--d", "x.db", "review"], False),
        (["decks"], False),
        ([], False),
    ],
)
def test_a_plain_review_is_read_as_the_parser_reads_it(argv: list[str], plain: bool) -> None:
    """`flashcards review` is read without argparse (cold start), to the same namespace."""
    args = plain_review(argv)
    assert (args is not None) == plain
    if args is not None:
        assert vars(args) == vars(build_parser().parse_args(argv))
