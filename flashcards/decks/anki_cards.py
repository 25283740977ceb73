"""One card of an Anki note as a CardSpec: its kind, front and back from the note type's
templates (or the first two fields), cloze text and extra, and the media markers it shows."""

from __future__ import annotations

import functools

from flashcards.decks.anki_schema import NoteType, template_refs
from flashcards.decks.cloze import cloze_numbers
from flashcards.decks.html_text import (
    has_media,
    html_to_text,
    media_markers,
    media_placeholder,
)
from flashcards.decks.limits import MAX_FIELD_CHARS, check_key
from flashcards.decks.spec import CardSpec

field_text = functools.lru_cache(maxsize=16)(html_to_text)
"""A field as text. The cards of one note convert the same fields: once is enough (the
collection reader empties the cache after each collection)."""


def _field_name(ref: str) -> tuple[str, str]:
    """Split a template reference like `type:Back` or `tts en_US:Front` into (filter, field)."""
    head, _, name = ref.rpartition(":")
    return head.strip().lower(), name.strip()


def note_card(
    note_type: NoteType, raw: list[str], ord_: int, guid: str, tags: str, where: str
) -> CardSpec:
    """One CardSpec for card `ord_` of a note; ValueError when it would be empty."""
    if any(len(f) > MAX_FIELD_CHARS for f in raw):
        raise ValueError(f"a field is longer than {MAX_FIELD_CHARS:,} characters")
    by_name = dict(zip(note_type.field_names, raw, strict=False))
    media = any(has_media(f) for f in raw)
    tag_tuple = tuple(dict.fromkeys(tags.split()))
    key = check_key(f"{guid}::{ord_}")
    if not note_type.cloze and note_type.templates and ord_ not in note_type.templates:
        # Anki makes one card per template; others are leftovers (or a file making thousands
        # of copies of one note's fields).
        raise ValueError(f"its note type has no template {ord_ + 1}")
    question, answer = note_type.templates.get(ord_, ("", ""))
    if note_type.cloze:
        text, extra = _cloze_text_and_extra(note_type, by_name, raw, question, answer)
        if ord_ + 1 not in cloze_numbers(text):
            raise ValueError(f"the text has no {{{{c{ord_ + 1}::...}}}} (an empty cloze card)")
        if media:
            extra = _joined(extra, _media_besides(raw, ""))
        return CardSpec(key, "cloze", text, extra, tag_tuple, ord_ + 1, where, media)
    kind, front, back = _front_back(note_type, by_name, raw, ord_, question, answer)
    if media:
        # Each image and sound stays in the text as a marker (`[image: a.png]`), the question's
        # on the front (so a question that is only media is not empty), the others on the back.
        asked = _front_media(note_type, by_name, raw, question)
        front, back = _joined(front, asked), _joined(back, _media_besides(raw, asked))
    if not front:
        raise ValueError("empty front")
    return CardSpec(key, kind, front, back, tag_tuple, 0, where, media)


def _cloze_text_and_extra(
    note_type: NoteType, by_name: dict[str, str], raw: list[str], question: str, answer: str
) -> tuple[str, str]:
    """The cloze field's text and the other fields, shown after the answer.

    The cloze field is the one the question template names as `{{cloze:Field}}`, wherever it
    is among the fields (else the first field holding a deletion); every other field the
    templates name (in template order; all of them when they name none) is an extra.
    """
    refs = [_field_name(ref) for ref in template_refs(question) + template_refs(answer)]
    cloze_field = next((name for flt, name in refs if flt == "cloze" and name in by_name), None)
    if cloze_field is None:
        cloze_field = next(
            (name for name, value in by_name.items() if "{{c" in value),
            note_type.field_names[0] if note_type.field_names else None,
        )
    text = field_text(by_name.get(cloze_field, raw[0] if raw else "")) if cloze_field else ""
    named = [
        name
        for flt, name in refs
        if name in by_name
        and name != cloze_field
        and not flt.startswith(("#", "/", "^"))
        and flt != "cloze"
    ]
    others = list(dict.fromkeys(named)) or [n for n in by_name if n != cloze_field]
    extra = "\n".join(t for t in (field_text(by_name[n]) for n in others) if t)
    return text, extra


def _front_media(
    note_type: NoteType, by_name: dict[str, str], raw: list[str], question: str
) -> str:
    """The media of the fields the question shows (the first field without a template)."""
    names = [name for _, name in map(_field_name, template_refs(question)) if name in by_name]
    fields = [by_name[n] for n in dict.fromkeys(names)] or raw[:1]
    return " ".join(p for p in map(media_placeholder, fields) if p)


def _joined(text: str, markers: str) -> str:
    """Text and its media markers, on a line of their own."""
    return "\n".join(part for part in (text, markers) if part)


def _media_besides(raw: list[str], shown: str) -> str:
    """The markers of every field of a note that `shown` does not already hold."""
    markers = dict.fromkeys(m for field in raw for m in media_markers(field))
    return " ".join(m for m in markers if m not in shown)


def _front_back(
    note_type: NoteType,
    by_name: dict[str, str],
    raw: list[str],
    ord_: int,
    question: str,
    answer: str,
) -> tuple[str, str, str]:
    """(kind, front, back) from the card's templates, else the first two fields (swapped for the
    reverse card of a reversed note type)."""
    q_fields: list[str] = []
    typed: str | None = None
    for flt, name in map(_field_name, template_refs(question)):
        if flt == "type" and name in by_name:
            typed = name
        elif (
            name in by_name
            and not flt.startswith(("#", "/", "^", "hint"))
            and name not in q_fields
            and not name.startswith(("#", "/", "^"))
        ):
            q_fields.append(name)
    a_fields = [
        name
        for flt, name in map(_field_name, template_refs(answer))
        if name in by_name
        and flt in ("", "text")
        and not name.startswith(("#", "/", "^"))
        and name not in q_fields
        and name != typed
    ]
    if q_fields:
        front = "\n".join(t for t in (field_text(by_name[f]) for f in q_fields) if t)
        if typed is not None:
            return "type", front, field_text(by_name[typed])
        back = "\n".join(t for t in (field_text(by_name[f]) for f in a_fields) if t)
        return "basic", front, back
    first, second = (field_text(f) for f in (raw + ["", ""])[:2])
    if ord_ == 1 and "revers" in note_type.name.casefold():
        first, second = second, first
    return "basic", first, second
