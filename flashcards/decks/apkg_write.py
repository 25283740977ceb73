"""Writing a deck as an Anki package with genanki, so it can be studied in Anki too.

Model and deck ids are derived from hashes (not random), so exporting twice gives packages Anki
sees as the same note types and deck; card keys become note guids, so re-importing into Anki
updates notes instead of duplicating them.
"""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path

import genanki

from flashcards.decks.keys import note_key
from flashcards.decks.spec import CardSpec, DeckSpec

_CSS = ".card { font-family: sans-serif; font-size: 20px; text-align: center; }"
_CLOZE_KEY_RE = re.compile(r"^(?P<base>.+)::c(?P<n>\d+)$")


def stable_id(label: str) -> int:
    """A 31-bit id in Anki's customary range, the same for the same label on every run."""
    value = int(hashlib.sha1(label.encode("utf-8")).hexdigest()[:8], 16)
    return (1 << 30) + value % (1 << 30)


BASIC_MODEL = genanki.Model(
    stable_id("flashcards:model:basic"), "flashcards Basic",
    fields=[{"name": "Front"}, {"name": "Back"}],
    templates=[{"name": "Card 1", "qfmt": "{{Front}}",
                "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"}],
    css=_CSS,
)
TYPE_MODEL = genanki.Model(
    stable_id("flashcards:model:type"), "flashcards Basic (type in the answer)",
    fields=[{"name": "Front"}, {"name": "Back"}],
    templates=[{"name": "Card 1", "qfmt": "{{Front}}<br><br>{{type:Back}}",
                "afmt": "{{Front}}<hr id=answer>{{type:Back}}"}],
    css=_CSS,
)
REVERSE_MODEL = genanki.Model(
    stable_id("flashcards:model:reverse"), "flashcards Basic (and reversed card)",
    fields=[{"name": "Front"}, {"name": "Back"}],
    templates=[{"name": "Card 1", "qfmt": "{{Front}}",
                "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"},
               {"name": "Card 2", "qfmt": "{{Back}}",
                "afmt": "{{FrontSide}}<hr id=answer>{{Front}}"}],
    css=_CSS,
)
CLOZE_MODEL = genanki.Model(
    stable_id("flashcards:model:cloze"), "flashcards Cloze",
    fields=[{"name": "Text"}, {"name": "Back Extra"}],
    templates=[{"name": "Cloze", "qfmt": "{{cloze:Text}}",
                "afmt": "{{cloze:Text}}<br>{{Back Extra}}"}],
    css=_CSS,
    model_type=genanki.Model.CLOZE,
)


def _html(text: str) -> str:
    """Plain text as an Anki field: escaped, with line breaks as <br>."""
    return html.escape(text, quote=False).replace("\n", "<br>")


def _reverse_partner(card: CardSpec, by_note: dict[str, list[CardSpec]]) -> CardSpec | None:
    """The other direction of a reverse note `card` opens, when there is one."""
    siblings = by_note.get(note_key(card.key, card.kind), [])
    if len(siblings) != 2 or siblings[0] is not card:
        return None
    other = siblings[1]
    if (other.kind, other.front, other.back) == ("basic", card.back, card.front):
        return other
    return None


def _notes(cards: tuple[CardSpec, ...]) -> list[genanki.Note]:
    """One Anki note per note of ours: a reverse pair becomes one "Basic (and reversed card)"
    note, a cloze text one cloze note (its cards share their note key), the rest one each."""
    by_note: dict[str, list[CardSpec]] = {}
    for card in cards:
        by_note.setdefault(note_key(card.key, card.kind), []).append(card)
    notes: list[genanki.Note] = []
    done: set[str] = set()
    for card in cards:
        tags = list(card.tags)
        note = note_key(card.key, card.kind)
        if card.kind == "cloze":
            match = _CLOZE_KEY_RE.match(card.key)
            guid = match["base"] if match else card.key
            if guid in done:
                continue
            done.add(guid)
            fields = [_html(card.front), _html(card.back)]
            notes.append(genanki.Note(CLOZE_MODEL, fields, tags=tags, guid=guid))
            continue
        if note in done:
            continue  # the reverse direction of a note already written
        fields = [_html(card.front), _html(card.back)]
        if card.kind == "basic" and _reverse_partner(card, by_note) is not None:
            done.add(note)
            notes.append(genanki.Note(REVERSE_MODEL, fields, tags=tags, guid=note))
            continue
        model = TYPE_MODEL if card.kind == "type" else BASIC_MODEL
        notes.append(genanki.Note(model, fields, tags=tags, guid=card.key))
    return notes


def write_apkg(deck: DeckSpec, path: Path) -> None:
    """Write `deck` to `path` as an .apkg (no media, no review history)."""
    anki_deck = genanki.Deck(stable_id(f"flashcards:deck:{deck.name}"), deck.name,
                             description=_html(deck.description))
    for note in _notes(deck.cards):
        anki_deck.add_note(note)
    genanki.Package(anki_deck).write_to_file(str(path))
