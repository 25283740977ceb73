"""Notes: the cards made from one text (a reverse pair, a cloze text's deletions) kept together.

Editing a note rewrites every card it made, in one transaction, and keeps each card's progress:
the new text is turned into cards by the same parser a deck file goes through (`note_specs`), and
each new card is matched with the stored one that plays its part (the forward or the reverse
direction, the deletion of the same number). A new deletion in a cloze text adds a card; taking
one out is refused, since it would throw that card's progress away.
"""

from __future__ import annotations

from dataclasses import dataclass

from flashcards.decks.spec import CardSpec
from flashcards.decks.toml_format import note_specs
from flashcards.errors import UserError
from flashcards.services.collection import Collection
from flashcards.storage import notes as rows_of
from flashcards.storage.binding import runs_on_collection
from flashcards.storage.database import run_read, run_write
from flashcards.storage.notes import SiblingRow

NOTE_KINDS = ("basic", "reverse", "cloze", "type")
"""What a note can be; a reverse note makes two basic cards, a cloze note one per deletion."""


@dataclass(frozen=True)
class Note:
    """A note as a person edits it: for a cloze note `front` is the text and `back` the extra."""

    key: str
    deck: str
    kind: str
    front: str
    back: str
    tags: tuple[str, ...]
    card_ids: tuple[int, ...]

    def table(self) -> dict[str, object]:
        """The note as a `[[cards]]` table (what `flashcards edit` shows and reads back)."""
        text = {"text": self.front} if self.kind == "cloze" else {"front": self.front}
        return {"type": self.kind, **text, "back": self.back, "tags": list(self.tags)}


def _is_reverse_pair(rows: list[SiblingRow]) -> bool:
    if len(rows) != 2 or any(r.kind != "basic" for r in rows):
        return False
    first, second = rows
    return (first.front, first.back) == (second.back, second.front)


def _primary(rows: list[SiblingRow]) -> SiblingRow:
    """The forward card of a reverse pair: keyed by the note itself, or Anki's `::0`."""
    for row in rows:
        if row.key == row.note or row.key.endswith("::0"):
            return row
    return rows[0]


def note_of(rows: list[SiblingRow], card_id: int, deck: str) -> Note:
    """The note that `rows` (a card and its siblings) make; a group that is neither a reverse
    pair nor one cloze text is edited card by card (the card asked for alone)."""
    tags = tuple(rows[0].tags.split()) if rows else ()
    if rows and all(r.kind == "cloze" for r in rows) and len({r.front for r in rows}) == 1:
        kind, front, back = "cloze", rows[0].front, rows[0].back
    elif _is_reverse_pair(rows):
        main = _primary(rows)
        kind, front, back = "reverse", main.front, main.back
    else:
        rows = [r for r in rows if r.id == card_id]
        kind, front, back = rows[0].kind, rows[0].front, rows[0].back
        tags = tuple(rows[0].tags.split())
    return Note(
        rows[0].note or rows[0].key, deck, kind, front, back, tags, tuple(r.id for r in rows)
    )


def _load(card_id: int) -> Note:
    rows = rows_of.note_rows(card_id)
    if not rows:
        raise UserError(f"no card with id {card_id} (see `flashcards cards`)")
    return note_of(rows, card_id, rows_of.deck_name_of(rows[0].deck_id))


@runs_on_collection
def load_note(col: Collection, card_id: int) -> Note:
    """The note card `card_id` belongs to; a UserError when there is no such card."""
    return run_read(col.db, lambda: _load(card_id), col.target)


def _cloze_key(rows: list[SiblingRow], note: str, number: int) -> str:
    """The key of a new deletion's card, in the scheme its siblings use (ours or Anki's)."""
    if rows and all(r.key == f"{note}::{r.ordinal - 1}" for r in rows):
        return f"{note}::{number - 1}"
    return f"{note}::c{number}"


def _matched(
    note: Note, rows: list[SiblingRow], specs: list[CardSpec]
) -> list[tuple[int | None, CardSpec]]:
    """Each new card with the stored card it replaces (None: a new deletion's card)."""
    if note.kind == "reverse":
        main = _primary(rows)
        other = next(r for r in rows if r.id != main.id)
        return [(main.id, specs[0]), (other.id, specs[1])]
    if note.kind == "cloze":
        by_number = {r.ordinal: r.id for r in rows}
        wanted = {s.ordinal for s in specs}
        lost = sorted(set(by_number) - wanted)
        if lost:
            raise UserError(
                f"the text no longer has deletion c{lost[0]}, which is a card with its own "
                "progress; keep {{c" + str(lost[0]) + "::…}} in the text (or delete that card)"
            )
        return [(by_number.get(s.ordinal), s) for s in specs]
    return [(rows[0].id, specs[0])]


@runs_on_collection
def edit_note_now(
    col: Collection, card_id: int, front: str, back: str, tags: tuple[str, ...] | None = None
) -> Note:
    """`edit_note` inside the caller's write transaction (the study session's, for one)."""
    note = _load(card_id)
    rows = [r for r in rows_of.note_rows(card_id) if r.id in note.card_ids]
    tags = note.tags if tags is None else tuple(dict.fromkeys(tags))
    table: dict[str, object] = {**note.table(), "id": note.key, "tags": list(tags)}
    table.update({"text": front} if note.kind == "cloze" else {"front": front})
    table["back"] = back
    single = len(rows) == 1 and rows[0].key == note.key
    if note.kind == "cloze" and single:
        table["cloze"] = rows[0].ordinal  # a single-deletion card: stays one card
    try:
        specs = note_specs(table, "the note")
    except ValueError as exc:
        raise UserError(f"the note cannot be saved: {exc}") from None
    now = col.clock.now().replace(tzinfo=None)
    tag_text = " ".join(tags)
    for card, spec in _matched(note, rows, specs):
        if card is None:
            rows_of.insert_card(
                rows[0].deck_id,
                _cloze_key(rows, note.key, spec.ordinal),
                note.key,
                "cloze",
                spec.front,
                spec.back,
                tag_text,
                spec.ordinal,
                now,
            )
        elif not rows_of.rewrite_text(card, spec.front, spec.back, tag_text, spec.ordinal, now):
            raise UserError(f"card {card} was deleted meanwhile; nothing was changed")
    return _load(card_id)


@runs_on_collection
def edit_note(
    col: Collection, card_id: int, front: str, back: str, tags: tuple[str, ...] | None = None
) -> Note:
    """Change a note's text (and tags): every card it made changes, each keeps its progress.

    For a cloze note `front` is the text, `back` the extra. One write transaction; a UserError
    (an empty front, a cloze text without deletions) changes nothing.
    """
    return run_write(col.db, lambda: edit_note_now(col, card_id, front, back, tags), col.target)
