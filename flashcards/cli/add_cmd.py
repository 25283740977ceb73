"""`flashcards add DECK FRONT [BACK]` and `flashcards add DECK -`: write your own cards.

One note from the arguments, or many from standard input (TOML `[[cards]]` tables, or lines
`FRONT<TAB>BACK[<TAB>TAGS]`). A note whose front the deck already has is reported and skipped
unless `--allow-duplicate`; an invalid note refuses the whole add, naming every bad note.
"""

from __future__ import annotations

import argparse

from flashcards.cli.context import collection_from
from flashcards.cli.output import print_json, say
from flashcards.errors import UserError

TYPES = ("basic", "reverse", "cloze", "type")
MAX_STDIN_BYTES = 50_000_000


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "add",
        help="add a card (or many from standard input) to a deck",
        description=(
            "Add one note to DECK (created if new): FRONT and BACK, or for a cloze note its "
            "text with {{c1::deletions}} as FRONT. With FRONT '-', read many notes from standard "
            "input: TOML [[cards]] tables (as in a deck file), or one note a line, "
            "FRONT<TAB>BACK[<TAB>TAGS]. A note whose front is already in the deck is reported "
            "and skipped unless --allow-duplicate."
        ),
    )
    p.add_argument("deck", metavar="DECK", help="the deck (Parent::Child for a subdeck)")
    p.add_argument("front", metavar="FRONT", help="the front, a cloze text, or - for stdin")
    p.add_argument("back", metavar="BACK", nargs="?", default="", help="the back (answer)")
    p.add_argument("--type", choices=TYPES, default="basic", help="the note type (basic)")
    p.add_argument("--tags", default="", metavar="A,B", help="comma-separated tags")
    p.add_argument(
        "--allow-duplicate",
        action="store_true",
        help="add a note even if its front is already in the deck",
    )
    p.add_argument("--json", action="store_true", help="print what was added as JSON")
    p.set_defaults(handler=run)


def _tags(text: str) -> tuple[str, ...]:
    return tuple(t for part in text.split(",") for t in part.split())


def run(args: argparse.Namespace) -> int:
    from flashcards.decks.added_notes import note_table, parse_added_notes
    from flashcards.decks.reading import STDIN_SOURCE, read_stdin
    from flashcards.decks.text_input import decode_text
    from flashcards.services.adding import add_notes

    tags = _tags(args.tags)
    if args.front == "-":
        if args.back:
            raise UserError("with - (notes from standard input) give no BACK")
        text = decode_text(read_stdin(MAX_STDIN_BYTES), STDIN_SOURCE)
        notes = parse_added_notes(text, STDIN_SOURCE, args.type, tags)
    else:
        notes = [("the note", note_table(args.type, args.front, args.back, tags))]
    col = collection_from(args)
    try:
        report = add_notes(col, args.deck, notes, allow_duplicate=args.allow_duplicate)
    finally:
        col.close()
    if args.json:
        print_json(
            {
                "deck": report.deck,
                "notes": report.notes,
                "cards": report.cards,
                "card_ids": list(report.card_ids),
                "duplicates": list(report.duplicates),
            }
        )
        return 0
    for line in report.duplicates:
        say(f"skipped, already in the deck: {line}", err=True)
    notes_word = "note" if report.notes == 1 else "notes"
    cards_word = "card" if report.cards == 1 else "cards"
    say(
        f"Added {report.notes} {notes_word} ({report.cards} {cards_word}) to {report.deck}"
        + (
            f"; {len(report.duplicates)} duplicate(s) skipped (--allow-duplicate adds them)"
            if report.duplicates
            else ""
        )
    )
    return 0
