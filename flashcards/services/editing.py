"""Editing a note in the user's own editor: the note as a small TOML document, read back checked.

`flashcards edit ID` and the TUI's `E` both come here. The editor is `$VISUAL`, else `$EDITOR`,
else `vi`, run on a temporary file; what comes back is parsed and validated (by the same rules as
a deck file's card) before anything is written, so an invalid edit changes nothing and can be
offered again with its error.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import tempfile
import tomllib
from collections.abc import Callable
from pathlib import Path

import tomli_w

from flashcards.errors import UserError
from flashcards.sanitize import clean_line
from flashcards.services.collection import Collection
from flashcards.services.notes import Note, edit_note, load_note
from flashcards.storage.binding import runs_on_collection

FIELDS = {"type", "front", "text", "back", "tags"}


def editor_command() -> list[str]:
    """The user's editor as an argument list: $VISUAL, else $EDITOR, else vi."""
    raw = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        command = shlex.split(raw)
    except ValueError as exc:
        raise UserError(f"cannot read the editor command {raw!r}: {exc}") from None
    if not command:
        raise UserError("the editor command ($VISUAL or $EDITOR) is empty")
    return command


def note_document(note: Note, card_id: int) -> str:
    """The note as the TOML document the editor shows."""
    cards = len(note.card_ids)
    head = (
        f"# Card {card_id}, deck {clean_line(note.deck)!r}: a {note.kind} note "
        f"({cards} card{'s' if cards != 1 else ''}). Save and quit to change every card of it;\n"
        "# each keeps its progress. Quit without saving to change nothing.\n"
    )
    body = {k: v for k, v in note.table().items() if k != "back" or v or note.kind != "cloze"}
    return head + tomli_w.dumps(body, multiline_strings=True)


def read_note_document(text: str, note: Note) -> tuple[str, str, tuple[str, ...]]:
    """(front, back, tags) from an edited document; a UserError saying what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"the edited note is not valid TOML: {exc}") from None
    except RecursionError:
        raise UserError("the edited note nests too deeply") from None
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise UserError(f"unknown field {unknown[0]!r} (a note has type, front, back and tags)")
    if data.get("type", note.kind) != note.kind:
        raise UserError(f"the type of a note cannot be changed here (it is {note.kind!r})")
    main = "text" if note.kind == "cloze" else "front"
    front, back, tags = data.get(main), data.get("back", ""), data.get("tags", [])
    if not isinstance(front, str):
        raise UserError(f"the note needs {main!r} as a string")
    if not isinstance(back, str):
        raise UserError("'back' must be a string")
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise UserError("'tags' must be an array of strings")
    return front, back, tuple(tags)


def run_editor(text: str) -> str | None:
    """Let the user edit `text` in their editor; the new text, or None when it was not saved
    (unchanged). A failing editor is a UserError."""
    command = editor_command()
    fd, name = tempfile.mkstemp(prefix="flashcards-note-", suffix=".toml")
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        try:
            result = subprocess.run([*command, str(path)], check=False)  # noqa: S603
        except OSError as exc:
            problem = exc.strerror or exc
            raise UserError(f"cannot run the editor {command[0]!r}: {problem}") from None
        if result.returncode != 0:
            raise UserError(
                f"the editor {command[0]!r} failed (exit {result.returncode}); nothing was changed"
            )
        try:
            edited = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"cannot read the edited note back: {exc}") from None
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
    return None if edited == text else edited


ERROR_MARK = "# error: "


@runs_on_collection
def edit_in_editor(col: Collection, card_id: int, again: Callable[[str], bool]) -> Note | None:
    """Edit card `card_id`'s note in the user's editor; the note as saved, or None when the
    file came back unchanged. An invalid edit is offered again (with the error on top) while
    `again(error)` says so, else its UserError is raised; either way nothing was changed."""
    note = load_note(col, card_id)
    text = note_document(note, card_id)
    while True:
        edited = run_editor(text)
        if edited is None:
            return None
        try:
            front, back, tags = read_note_document(edited, note)
            return edit_note(col, card_id, front, back, tags)
        except UserError as exc:
            if not again(str(exc)):
                raise
            kept = [ln for ln in edited.splitlines() if not ln.startswith(ERROR_MARK)]
            text = "\n".join([ERROR_MARK + clean_line(exc), *kept]) + "\n"
