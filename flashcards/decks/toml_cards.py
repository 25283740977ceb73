"""One `[[cards]]` table of a TOML deck checked and turned into CardSpecs: its type, fields,
tags and id, each mistake a CardInvalid saying what is wrong (the file reader makes it a Problem
with the card's line; `note_specs` a ValueError for a note typed in)."""

from __future__ import annotations

import unicodedata
from typing import Any

from flashcards.decks.cloze import cloze_numbers
from flashcards.decks.keys import derive_key
from flashcards.decks.limits import MAX_FIELD_CHARS, shown
from flashcards.decks.spec import CardSpec

CARD_TYPES = ("basic", "reverse", "cloze", "type")  # CardKind, plus reverse (two basic cards)
MAX_ID_CHARS = 200
_CARD_KEYS = {
    "basic": frozenset({"id", "type", "front", "back", "tags"}),
    "reverse": frozenset({"id", "type", "front", "back", "tags"}),
    "type": frozenset({"id", "type", "front", "back", "tags"}),
    "cloze": frozenset({"id", "type", "text", "back", "extra", "tags", "cloze"}),
}


class CardInvalid(Exception):
    """Raised inside card validation; carries the human-readable reason."""


def _text_field(card: dict[str, Any], name: str, required: bool) -> str:
    """A string field, stripped; checks type, emptiness when required, and length."""
    if name not in card:
        if required:
            raise CardInvalid(f"missing {name!r}")
        return ""
    value = card[name]
    if not isinstance(value, str):
        raise CardInvalid(f"{name!r} must be a string, not {_type_name(value)}")
    if len(value) > MAX_FIELD_CHARS:
        raise CardInvalid(f"{name!r} is longer than {MAX_FIELD_CHARS:,} characters")
    value = value.strip()
    if required and not value:
        raise CardInvalid(f"{name!r} is empty")
    return value


def _type_name(value: object) -> str:
    """TOML's name for a Python value's type, for messages."""
    names = {
        bool: "a boolean",
        int: "an integer",
        float: "a float",
        str: "a string",
        list: "an array",
        dict: "a table",
    }
    return names.get(type(value), "a date or time")


def _tags(card: dict[str, Any]) -> tuple[str, ...]:
    """The card's tags: a list of non-empty strings without spaces, duplicates dropped."""
    raw = card.get("tags", [])
    if not isinstance(raw, list) or not all(isinstance(t, str) for t in raw):
        raise CardInvalid("'tags' must be an array of strings")
    tags: list[str] = []
    for tag in raw:
        if not tag or any(ch.isspace() for ch in tag):
            raise CardInvalid(f"tag {shown(tag)} must be non-empty and contain no spaces")
        if tag not in tags:
            tags.append(tag)
    return tuple(tags)


def _explicit_id(card: dict[str, Any]) -> str | None:
    """The card's `id`, if given: a short string without surrounding spaces or control chars."""
    if "id" not in card:
        return None
    value = card["id"]
    if not isinstance(value, str):
        raise CardInvalid(f"'id' must be a string, not {_type_name(value)}")
    if not value or value != value.strip():
        raise CardInvalid("'id' must be non-empty and not start or end with spaces")
    if len(value) > MAX_ID_CHARS or any(unicodedata.category(c) == "Cc" for c in value):
        raise CardInvalid(f"'id' must be at most {MAX_ID_CHARS} printable characters")
    return value


def card_specs(card: object, where: str) -> list[CardSpec]:
    """The CardSpecs one `[[cards]]` table yields, or CardInvalid saying what is wrong."""
    if not isinstance(card, dict):
        raise CardInvalid(f"each card must be a table, not {_type_name(card)}")
    kind = card.get("type", "basic")
    if not isinstance(kind, str) or kind not in CARD_TYPES:
        raise CardInvalid(f"unknown type {shown(kind)}; expected one of {', '.join(CARD_TYPES)}")
    unknown = sorted(set(card) - _CARD_KEYS[kind])
    if unknown:
        hint = " (cloze cards use 'text')" if kind == "cloze" and "front" in unknown else ""
        raise CardInvalid(f"unknown field {shown(unknown[0])} for a {kind} card{hint}")
    key = _explicit_id(card)
    tags = _tags(card)
    if kind == "cloze":
        return _cloze_specs(card, key, tags, where)
    front = _text_field(card, "front", required=True)
    # A basic card may say `back = ""` (Anki allows an empty answer, and the writer writes
    # it so); a missing `back` is still a mistake, and reverse and typed cards need one.
    back = _text_field(card, "back", required=kind != "basic")
    if kind == "basic" and "back" not in card:
        raise CardInvalid("missing 'back'")
    key = key if key is not None else derive_key(front)
    if kind == "reverse":
        return [
            CardSpec(key, "basic", front, back, tags, 0, where),
            CardSpec(f"{key}::reverse", "basic", back, front, tags, 0, where),
        ]
    return [CardSpec(key, kind, front, back, tags, 0, where)]


def _cloze_specs(
    card: dict[str, Any], key: str | None, tags: tuple[str, ...], where: str
) -> list[CardSpec]:
    """One CardSpec per deletion number, or only number `cloze` when given (then keyed by id)."""
    text = _text_field(card, "text", required=True)
    if "back" in card and "extra" in card:
        raise CardInvalid("give either 'back' or 'extra', not both")
    extra = _text_field(card, "back" if "back" in card else "extra", required=False)
    numbers = cloze_numbers(text)
    if not numbers:
        raise CardInvalid("cloze text has no deletion like {{c1::answer}}")
    if "cloze" in card:
        only = card["cloze"]
        if isinstance(only, bool) or not isinstance(only, int):
            raise CardInvalid(f"'cloze' must be an integer, not {_type_name(only)}")
        if only not in numbers:
            number = shown(only)
            raise CardInvalid(f"'cloze' = {number} but the text has no {{{{c{number}::...}}}}")
        if key is None:
            raise CardInvalid("a card with 'cloze' (a single deletion) needs an 'id'")
        return [CardSpec(key, "cloze", text, extra, tags, only, where)]
    base = key if key is not None else derive_key(text)
    return [CardSpec(f"{base}::c{n}", "cloze", text, extra, tags, n, where) for n in numbers]
