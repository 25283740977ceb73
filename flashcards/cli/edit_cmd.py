"""`flashcards edit ID`: edit a card's note in $VISUAL or $EDITOR (fallback vi).

The note (every card made from it changes) is shown as a small TOML document; on save it is
checked, and an invalid edit is offered again on a terminal, or refused with nothing changed.
"""

from __future__ import annotations

import argparse
import sys

from flashcards.cli.context import collection_from
from flashcards.cli.output import say


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "edit",
        help="edit a card's note in your editor ($VISUAL, $EDITOR, else vi)",
        description=(
            "Open the note of card ID (see `flashcards cards`) as a small TOML document in "
            "$VISUAL or $EDITOR (else vi). Saving changes every card of the note (both "
            "directions of a reverse note, every deletion of a cloze text); each keeps its "
            "progress. An invalid edit is offered again, or, when not at a terminal, refused "
            "with nothing changed."
        ),
    )
    p.add_argument("id", metavar="ID", type=int, help="the card's id")
    p.set_defaults(handler=run)


def _again(error: str) -> bool:
    """On a terminal, ask whether to fix the edit; elsewhere give up (nothing changed)."""
    if not sys.stdin.isatty():
        return False
    say(f"flashcards: {error}", err=True)
    try:
        answer = input("Edit again? [Y/n] ")
    except EOFError:
        say("")
        return False
    return answer.strip().lower() in ("", "y", "yes")


def run(args: argparse.Namespace) -> int:
    from flashcards.services.editing import edit_in_editor

    col = collection_from(args)
    try:
        note = edit_in_editor(col, args.id, _again)
    finally:
        col.close()
    if note is None:
        say("The note was not changed.")
        return 0
    cards = len(note.card_ids)
    say(f"Saved the {note.kind} note ({cards} card{'s' if cards != 1 else ''}) in {note.deck}")
    return 0
