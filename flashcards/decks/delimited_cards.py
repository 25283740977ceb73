"""The cards of one CSV/TSV row: plain front/back[/tags] rows on a fast path, every other row
(HTML, media, cloze deletions, Anki's note types and metadata columns) as Anki meant it."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator
from hashlib import sha1

from flashcards.decks.anki_text_headers import AnkiHeaders
from flashcards.decks.cloze import cloze_numbers
from flashcards.decks.html_text import (
    has_media,
    html_to_text,
    looks_like_html,
    media_placeholder,
)
from flashcards.decks.keys import KEY_HEX_CHARS, derive_key
from flashcards.decks.limits import MAX_FIELD_CHARS, Budget, check_key
from flashcards.decks.spec import CardSpec, Problem

HEADER_ROWS = ({"front", "back"}, {"front", "back", "tags"})
"""A plain file's optional first row, in any letter case."""


def _clean(raw: str, html: bool | None) -> str:
    """A field as terminal text: HTML converted when the file says so or when it looks like HTML."""
    if html or (html is None and looks_like_html(raw)):
        return html_to_text(raw)
    return raw.strip()


def _note_cards(
    fields: list[str],
    tags: tuple[str, ...],
    notetype: str | None,
    guid: str | None,
    where: str,
    media: bool,
) -> list[CardSpec]:
    """The cards of one row: cloze, reversed or typed by note type name, else basic.

    Every field is kept: a cloze note's text is the field holding the deletions (the first one,
    wherever it is, as in a custom cloze type of Header/Text/Extra) and its other fields are the
    extra shown after the answer; other notes ask the first field and answer with the second,
    then every further field (but the "Add Reverse" flag of an optional reversed type).
    """
    kind_name = (notetype or "").casefold()
    if notetype is None:
        is_cloze = bool(cloze_numbers(fields[0]))
    else:
        is_cloze = "cloze" in kind_name or (
            not kind_name.startswith("basic") and any(cloze_numbers(f) for f in fields)
        )
    if is_cloze:
        at = next((i for i, f in enumerate(fields) if cloze_numbers(f)), 0)
        text = fields[at]
        if not text:
            raise ValueError("empty front")
        numbers = cloze_numbers(text)
        if not numbers:
            raise ValueError("cloze note has no deletion like {{c1::answer}}")
        extra = "\n".join(f for i, f in enumerate(fields) if i != at and f)
        return [
            CardSpec(
                check_key(f"{guid}::{n - 1}" if guid else f"{derive_key(text)}::c{n}"),
                "cloze",
                text,
                extra,
                tags,
                n,
                where,
                media,
            )
            for n in numbers
        ]
    front = fields[0]
    optional = "revers" in kind_name and "optional" in kind_name
    rest = [f for f in fields[3 if optional else 2 :] if f]
    back = "\n".join([fields[1], *rest] if len(fields) > 1 and fields[1] else rest)
    if not front:
        raise ValueError("empty front")
    reverse = "revers" in kind_name and (not optional or (len(fields) > 2 and bool(fields[2])))
    kind = "type" if "type in" in kind_name or "type-in" in kind_name else "basic"
    if kind == "type" and not back:
        raise ValueError("a typed-answer card needs the answer in its second field")
    key = check_key(f"{guid}::0" if guid else derive_key(front))
    cards = [CardSpec(key, kind, front, back, tags, 0, where, media)]
    if reverse:
        if not back:
            raise ValueError("a reversed note needs a back")
        rkey = check_key(f"{guid}::1" if guid else f"{key}::reverse")
        rfront = fields[1] or back
        rback = "\n".join([front, *rest]) if fields[1] else front
        cards.append(CardSpec(rkey, "basic", rfront, rback, tags, 0, where, media))
    return cards


def _cell(row: list[str], index: int | None) -> str:
    """The stripped cell at `index`, or "" when the column is absent or the row too short."""
    return row[index].strip() if index is not None and index < len(row) else ""


CardRow = tuple[str, str, str, str, str, int, int, bool]
"""A card as the streaming importer takes it: key, kind, front, back, tags (space-joined, as
stored), ordinal, the file line of its row, media. A plain tuple: a frozen CardSpec a row, with
its tags tuple and `file:line` text, was a third of the time of a big import."""


def card_row(card: CardSpec, line: int) -> CardRow:
    """A card of the general path as a CardRow."""
    tags = " ".join(card.tags)
    return (card.key, card.kind, card.front, card.back, tags, card.ordinal, line, card.media)


@functools.lru_cache(maxsize=4096)
def _tag_text(cell: str) -> str:
    """A plain row's tags cell as stored: each tag once, in order (rows mostly repeat a few)."""
    return " ".join(dict.fromkeys(cell.split()))


def plain_batch(
    rows: Iterator[tuple[int, list[str]]],
    count: int,
    headers: AnkiHeaders,
    source: str,
    problems: list[Problem],
    budget: Budget,
) -> list[CardRow]:
    """The cards of the next `count` rows of a file without Anki headers (`headers` not
    `present`), fewer at its end.

    Plain front/back[/tags] rows of plain text take the fast path: what `row_cards` makes of
    them (a basic card keyed by its front), without its checks for HTML, media, cloze
    deletions and note types, which most rows of the biggest files never need; any other row
    goes through `row_cards`. A bad row is appended to `problems`; every card is charged to
    `budget` as it is made (kept in locals here: this loop is the import's hot path).
    """
    out: list[CardRow] = []
    append = out.append
    cards, chars = budget.cards, budget.chars
    max_cards, max_chars = budget.limits.max_cards, budget.limits.max_chars
    for line, row in itertools.islice(rows, count):
        if 2 <= len(row) <= 3:
            front, back = row[0], row[1]
            tags = row[2] if len(row) == 3 else ""
            # A character any other path reacts to (`<`, `&`, `[sound:`, `{{c`) sends the row
            # down the general path, which makes the same card of a row that needs none of it.
            plain = not (
                "<" in front or "&" in front or "[" in front or "{" in front
                or "<" in back or "&" in back or "[" in back or "{" in back
            ) and len(front) <= MAX_FIELD_CHARS and len(back) <= MAX_FIELD_CHARS and len(
                tags
            ) <= MAX_FIELD_CHARS  # fmt: skip
        else:
            plain = False
        if plain:
            front, back = front.strip(), back.strip()
            if not front or not back:
                side = "back" if front else "front"
                problems.append(Problem(f"{source}:{line}", f"empty {side}"))
                continue
            if tags:
                tags = _tag_text(tags)
            cards += 1
            chars += len(front) + len(back) + (len(tags) + 1 if tags else 0)
            # A derived key is 16 characters: it always fits its column (no `check_key`).
            if front.isascii() and front.isprintable() and "  " not in front:
                # `derive_key` inlined for the front it needs no more than lowering for (see
                # `normalise_front`; the front is stripped): 0.04 s of 200,000 rows' calls.
                key = sha1(front.lower().encode()).hexdigest()[:KEY_HEX_CHARS]
            else:
                key = derive_key(front)
            append((key, "basic", front, back, tags, 0, line, False))
        else:
            try:
                made = row_cards(row, headers, f"{source}:{line}")[1]
            except ValueError as exc:
                problems.append(Problem(f"{source}:{line}", str(exc)))
                continue
            for card in made:
                cards += 1
                chars += len(card.front) + len(card.back) + sum(map(len, card.tags))
                chars += len(card.tags)
                append(card_row(card, line))
        if cards > max_cards or chars > max_chars:
            budget.cards, budget.chars = cards, chars
            budget.check(source)
    budget.cards, budget.chars = cards, chars
    return out


@functools.lru_cache(maxsize=4096)
def _tags(header_tags: tuple[str, ...], cell: str) -> tuple[str, ...]:
    """The row's tags after the file's; rows mostly repeat a few tag cells, and sharing one
    tuple for each saves a tuple and its strings per card (about 30 MB at 200,000 cards)."""
    return tuple(dict.fromkeys((*header_tags, *cell.split())))


def row_cards(row: list[str], headers: AnkiHeaders, where: str) -> tuple[str, list[CardSpec]]:
    """The deck name and cards for one row, or ValueError saying why the row is unusable."""
    for cell in row:
        if len(cell) > MAX_FIELD_CHARS:
            raise ValueError(f"a field is longer than {MAX_FIELD_CHARS:,} characters")
    if headers.present:
        special = headers.special_columns()
        raw_fields = [c for i, c in enumerate(row) if i not in special]
        if not raw_fields:
            raise ValueError("row has no note fields")
        tag_cell = _cell(row, headers.tags_column)
        deck = _cell(row, headers.deck_column) or headers.deck or ""
        notetype = _cell(row, headers.notetype_column) or headers.notetype
        guid = _cell(row, headers.guid_column) or None
    else:
        if len(row) < 2:
            raise ValueError(
                f"expected front and back, found {len(row)} field; is the delimiter right?"
            )
        raw_fields, tag_cell, deck, notetype, guid = row[:2], _cell(row, 2), "", None, None
    tags = _tags(headers.tags, tag_cell)
    media = any(has_media(f) for f in raw_fields)
    fields = [_clean(f, headers.html) for f in raw_fields]
    if not fields[0] and has_media(raw_fields[0]):
        fields[0] = media_placeholder(raw_fields[0])  # a question that is only an image
    if not headers.present and fields[0] and not fields[1] and not cloze_numbers(fields[0]):
        raise ValueError("empty back")
    return deck, _note_cards(fields, tags, notetype, guid, where, media)
