"""The commands that change the cards a query matches: suspend, unsuspend, forget, set-due, move,
tag and delete. Each parses the query before touching anything, runs one transaction (a service
in services/card_changes.py) and prints how many cards it changed."""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable
from typing import TYPE_CHECKING

from flashcards.cli.confirm import confirmed
from flashcards.cli.context import collection_from
from flashcards.cli.output import print_json, say
from flashcards.sanitize import clean_line

if TYPE_CHECKING:
    from flashcards.services.card_changes import BulkResult
    from flashcards.services.collection import Collection

# The services are imported inside the functions: the CLI imports every command module, and the
# other commands (above all `review`, whose start-up is timed) should not pay for them.

_QUERY_HELP = "the search (docs/search.md); put -- before one that starts with -"


def _add(
    sub: argparse._SubParsersAction, name: str, help_text: str, run: Callable, *extra: tuple
) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help_text, description=help_text[0].upper() + help_text[1:] + ".")
    p.add_argument("query", help=_QUERY_HELP)
    for args, kwargs in extra:
        p.add_argument(*args, **kwargs)
    p.add_argument("--json", action="store_true", help="print the counts as JSON")
    p.set_defaults(handler=run)
    return p


def register(sub: argparse._SubParsersAction) -> None:
    _add(sub, "suspend", "suspend the matching cards", run_suspend)
    _add(sub, "unsuspend", "unsuspend the matching cards (leeches keep their tag)", run_unsuspend)
    _add(sub, "forget", "make the matching cards new again (their review log stays)", run_forget)
    _add(
        sub,
        "set-due",
        "make the matching cards due in DAYS days: 0 today, 3-7 spread at random over that range",
        run_set_due,
        (("days",), {"help": "days from today: N, or a range LOW-HIGH"}),
        (("--seed",), {"type": int, "help": "seed the random spread (repeatable runs)"}),
    )
    _add(
        sub,
        "move",
        "move the matching cards into DECK (created if missing)",
        run_move,
        (("deck",), {"help": "the deck to move them to, e.g. 'Lang::French'"}),
    )
    _add(
        sub,
        "tag",
        "add (+tag) and remove (-tag) tags on the matching cards",
        run_tag,
        (("edits",), {"nargs": argparse.REMAINDER, "help": "+tag to add, -tag to remove"}),
    )
    _add(
        sub,
        "delete",
        "delete the matching cards, after a backup (their reviews stay in the log)",
        run_delete,
        (("--yes",), {"action": "store_true", "help": "do not ask for confirmation"}),
    )


def _ops():  # noqa: ANN202  (the services module, imported when a command runs)
    from flashcards.services import card_changes

    return card_changes


def _report(args: argparse.Namespace, result: BulkResult, done: str) -> int:
    if args.json:
        print_json({"matched": result.matched, "changed": result.changed, "backup": result.backup})
    elif result.matched == 0:
        say(f"No cards match {clean_line(args.query)!r}; nothing changed.")
    else:
        cards = "card" if result.changed == 1 else "cards"
        say(f"{done} {result.changed} {cards} ({result.matched} matched).")
    return 0


def _run(args: argparse.Namespace, action: Callable[[Collection], BulkResult], done: str) -> int:
    col = collection_from(args)
    try:
        result = action(col)
    finally:
        col.close()
    return _report(args, result, done)


def run_suspend(args: argparse.Namespace) -> int:
    return _run(args, lambda col: _ops().suspend_cards(col, args.query), "Suspended")


def run_unsuspend(args: argparse.Namespace) -> int:
    return _run(args, lambda col: _ops().unsuspend_cards(col, args.query), "Unsuspended")


def run_forget(args: argparse.Namespace) -> int:
    return _run(args, lambda col: _ops().forget_cards(col, args.query), "Forgot")


def run_set_due(args: argparse.Namespace) -> int:
    rng = random.Random(args.seed)
    return _run(
        args, lambda col: _ops().set_due(col, args.query, args.days, rng), "Set the due date of"
    )


def run_move(args: argparse.Namespace) -> int:
    from flashcards.services.decks import resolve_deck_name

    def move(col: Collection) -> BulkResult:
        # "french" moves into an existing "French" rather than making a second deck
        return _ops().move_cards(
            col, args.query, resolve_deck_name(col, args.deck, missing_ok=True)
        )

    return _run(args, move, "Moved")


def run_tag(args: argparse.Namespace) -> int:
    add, remove = _ops().parse_tag_edits(args.edits)
    return _run(args, lambda col: _ops().tag_cards(col, args.query, add, remove), "Retagged")


def _confirmed(count: int, query: str) -> bool:
    """Ask on a terminal; refuse (the user's error) when nobody can answer."""
    return confirmed(
        f"Delete {count} card(s) matching {clean_line(query)!r}? A backup is made first. [y/N] ",
        f"delete would remove {count} card(s): pass --yes to confirm when not at a terminal; "
        "nothing was deleted",
    )


def run_delete(args: argparse.Namespace) -> int:
    from flashcards.services.cards import count_matches

    col = collection_from(args)
    try:
        count = count_matches(col, args.query)
        if count and not args.yes and not _confirmed(count, args.query):
            say("Nothing deleted.")
            return 1
        result = _ops().delete_cards(col, args.query)
    finally:
        col.close()
    if result.backup and not args.json:
        say(f"Backed up to {clean_line(result.backup)}")
    return _report(args, result, "Deleted")
