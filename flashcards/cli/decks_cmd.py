"""`flashcards decks`: list decks, and create, rename, delete and set the options of one.

The list keeps the totals (cards, new, due, suspended, a deck's including its subdecks') and
adds, in `--json`, `new_today` and `due_today`: what a review of the deck would offer today
after its limits and what was already studied.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict

from flashcards.cli.confirm import confirmed
from flashcards.cli.context import collection_from
from flashcards.cli.output import print_json, print_table, say
from flashcards.errors import UserError
from flashcards.sanitize import clean_line
from flashcards.services.decks import deck_counts


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "decks",
        help="list decks; create, rename, delete them and set their options",
        description=(
            "List every deck with its counts (a deck's counts include its subdecks; 'new today' "
            "and 'due today' are what a review of it would offer now, after its limits). "
            "Subcommands change decks."
        ),
    )
    p.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    p.set_defaults(handler=run)
    actions = p.add_subparsers(dest="action", metavar="ACTION")

    create = actions.add_parser("create", help="create an empty deck (Parent::Child nests it)")
    create.add_argument("name", metavar="NAME")
    create.add_argument("--description", default="", help="what the deck is about")
    create.set_defaults(handler=run_create)

    rename = actions.add_parser(
        "rename", help="rename a deck; its subdecks follow (A::B becomes NEW::B)"
    )
    rename.add_argument("old", metavar="OLD")
    rename.add_argument("new", metavar="NEW")
    rename.set_defaults(handler=run_rename)

    delete = actions.add_parser(
        "delete", help="delete a deck with its subdecks and cards (backed up first)"
    )
    delete.add_argument("name", metavar="NAME")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    delete.set_defaults(handler=run_delete)

    options = actions.add_parser(
        "set",
        help="set a deck's own daily limits or description",
        description=(
            "Give a deck its own daily limits: they apply to it and to its subdecks that have "
            "none of their own, instead of the settings'. A parent's limit also caps what a "
            "review of the parent takes from all its subdecks together."
        ),
    )
    options.add_argument("name", metavar="NAME")
    options.add_argument("--new-per-day", type=int, metavar="N", help="new cards a day")
    options.add_argument("--reviews-per-day", type=int, metavar="N", help="reviews a day")
    options.add_argument("--description", help="what the deck is about")
    options.add_argument(
        "--reset", action="store_true", help="inherit both limits again (before any set here)"
    )
    options.add_argument("--json", action="store_true", help="print the deck's options as JSON")
    options.set_defaults(handler=run_set)


def run(args: argparse.Namespace) -> int:
    col = collection_from(args)
    try:
        counts = deck_counts(col)
    finally:
        col.close()
    if args.json:
        print_json([asdict(c) for c in counts])
        return 0
    if not counts:
        say("No decks yet. Import one with `flashcards import FILE` or add a card.")
        return 0
    rows = [
        (
            "  " * c.depth + c.name.rsplit("::", 1)[-1],
            c.cards,
            c.new,
            c.due,
            c.suspended,
            c.new_today,
            c.due_today,
        )
        for c in counts
    ]
    print_table(["deck", "cards", "new", "due", "suspended", "new today", "due today"], rows)
    return 0


def run_create(args: argparse.Namespace) -> int:
    from flashcards.services.deck_changes import create_deck

    col = collection_from(args)
    try:
        name = create_deck(col, args.name, args.description)
    finally:
        col.close()
    say(f"Created deck {name}")
    return 0


def run_rename(args: argparse.Namespace) -> int:
    from flashcards.services.deck_changes import rename_deck

    col = collection_from(args)
    try:
        count = rename_deck(col, args.old, args.new)
    finally:
        col.close()
    subdecks = f" (with {count - 1} subdeck{'s' if count != 2 else ''})" if count > 1 else ""
    say(f"Renamed {args.old} to {args.new}{subdecks}")
    return 0


def _confirmed(name: str, decks: int, cards: int) -> bool:
    """Ask on a terminal; refuse (the user's error) when nobody can answer."""
    what = f"deck {clean_line(name)!r} ({decks} deck(s) with {cards} card(s))"
    return confirmed(
        f"Delete {what}? A backup is made first. [y/N] ",
        f"delete would remove {what}: pass --yes to confirm when not at a terminal; "
        "nothing was deleted",
    )


def run_delete(args: argparse.Namespace) -> int:
    from flashcards.services.deck_changes import deck_tree_size, delete_deck

    col = collection_from(args)
    try:
        decks, cards = deck_tree_size(col, args.name)
        if not args.yes and not _confirmed(args.name, decks, cards):
            say("Nothing deleted.")
            return 1
        report = delete_deck(col, args.name)
    finally:
        col.close()
    say(
        f"Deleted {report.decks} deck(s) and {report.cards} card(s); their answers stay in "
        "the statistics"
    )
    if report.backup is not None:
        say(f"A backup was made first: {report.backup}")
    return 0


def run_set(args: argparse.Namespace) -> int:
    from flashcards.services.deck_changes import set_deck_options

    changes: dict[str, object] = {}
    if args.new_per_day is not None:
        changes["new_per_day"] = args.new_per_day
    if args.reviews_per_day is not None:
        changes["reviews_per_day"] = args.reviews_per_day
    if not changes and args.description is None and not args.reset:
        raise UserError(
            "nothing to set: give --new-per-day, --reviews-per-day, --description or --reset"
        )
    col = collection_from(args)
    try:
        options = set_deck_options(
            col, args.name, description=args.description, reset=args.reset, **changes
        )
    finally:
        col.close()
    if args.json:
        print_json(asdict(options))
        return 0

    def shown(value: int | None) -> str:
        return "inherited" if value is None else str(value)

    say(
        f"{options.name}: new cards a day {shown(options.new_per_day)}, "
        f"reviews a day {shown(options.reviews_per_day)}"
    )
    return 0
