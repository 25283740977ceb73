"""`E`: edit a card's note in the user's own editor, with the TUI suspended meanwhile.

`App.suspend()` gives the terminal back to the editor and restores the app after it. An invalid
edit is offered again on the terminal (the error printed cleaned, as one line) or given up.
"""

from __future__ import annotations

import sys

from textual.app import App, SuspendNotSupported

from flashcards.errors import UserError
from flashcards.sanitize import clean_line
from flashcards.services.collection import Collection
from flashcards.services.editing import edit_in_editor
from flashcards.services.notes import Note


def _again(error: str) -> bool:
    sys.stdout.write(f"\nflashcards: {clean_line(error)}\nEdit again? [Y/n] ")
    sys.stdout.flush()
    try:
        answer = sys.stdin.readline()
    except OSError:
        return False
    return answer.strip().lower() in ("", "y", "yes")


def edit_note_in_editor(app: App, collection: Collection, card_id: int) -> Note | None:
    """The note as saved, or None when nothing changed (a toast says why)."""
    try:
        with app.suspend():
            note = edit_in_editor(collection, card_id, _again)
    except UserError as exc:
        app.notify(f"Nothing changed: {exc}", severity="warning")
        return None
    except SuspendNotSupported:
        app.notify("This terminal cannot hand over to an editor; use e", severity="warning")
        return None
    if note is None:
        app.notify("The note was not changed")
    else:
        app.notify(f"Saved the {note.kind} note ({len(note.card_ids)} card(s))")
    return note
