"""The native deck format: one TOML file, a `[deck]` table and one `[[cards]]` table per card.

Parsing is strict about the file (invalid TOML, no deck name: a DeckError with its line) and
per-card about cards (each bad card becomes a Problem with the line of its `[[cards]]` header),
so one typo never hides the rest of the file's mistakes; what a card table must hold is checked
in `toml_cards`. `write_toml` writes explicit ids so a written deck parses back to exactly the
same cards and keys.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

import tomli_w

from flashcards.decks.cloze import cloze_numbers
from flashcards.decks.keys import drop_duplicate_keys
from flashcards.decks.limits import Budget, shown
from flashcards.decks.names import InvalidDeckName, validate
from flashcards.decks.spec import CardSpec, DeckSpec, ParsedFile, Problem
from flashcards.decks.text_input import decode_text
from flashcards.decks.toml_cards import CardInvalid, card_specs
from flashcards.errors import DeckError

_TOP_LEVEL_KEYS = frozenset({"deck", "cards"})
_DECK_KEYS = frozenset({"name", "description"})
_CARDS_HEADER_RE = re.compile(r"^[ \t]*\[\[[ \t]*cards[ \t]*\]\][ \t]*(#.*)?$")
_DECODE_POS_RE = re.compile(r"\s*\(at line (\d+), column \d+\)$|\s*\(at end of document\)$")


def _header_lines(text: str) -> list[int]:
    """Line numbers of the `[[cards]]` headers, skipping lookalikes inside multi-line strings."""
    found: list[int] = []
    state: str | None = None  # the delimiter of an open multi-line string
    for number, line in enumerate(text.split("\n"), 1):
        if state is None and _CARDS_HEADER_RE.match(line):
            found.append(number)
            continue
        i, n = 0, len(line)
        while i < n:
            if state is not None:
                if state == '"""' and line[i] == "\\":
                    i += 2
                elif line.startswith(state, i):
                    i += 3
                    while i < n and line[i] == state[0]:
                        i += 1
                    state = None
                else:
                    i += 1
                continue
            c = line[i]
            if c == "#":
                break
            if line.startswith('"""', i) or line.startswith("'''", i):
                state, i = line[i : i + 3], i + 3
            elif c == '"':
                i += 1
                while i < n and line[i] != '"':
                    i += 2 if line[i] == "\\" else 1
                i += 1
            elif c == "'":
                end = line.find("'", i + 1)
                i = n if end < 0 else end + 1
            else:
                i += 1
    return found


def _line_of(text: str, pattern: str) -> int | None:
    """The first line matching a regex, for pointing at `[deck]` or a stray key."""
    match = re.search(pattern, text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _line_of_key(text: str, key: str) -> int | None:
    """The first line that starts (after spaces and `[`s) with `key`: a stray top-level key.

    A scan, not a regex: `^[ \\t]*\\[*[ \\t]*key` backtracks quadratically on a long run of spaces.
    """
    for number, line in enumerate(text.split("\n"), 1):
        rest = line.lstrip(" \t").lstrip("[").lstrip(" \t")
        if rest.startswith(key):
            after = rest[len(key) : len(key) + 1]
            if not (after.isalnum() or after == "_"):
                return number
    return None


def note_specs(table: dict[str, Any], where: str = "") -> list[CardSpec]:
    """The cards one note makes, given as a `[[cards]]` table; ValueError saying what is wrong.

    `flashcards add`, the Add screen and `flashcards edit` build notes this way, so a note typed
    in is checked exactly as a deck file's card is (types, empty fields, lengths, deletions).
    """
    try:
        return card_specs(table, where)
    except CardInvalid as exc:
        raise ValueError(str(exc)) from None


def _load(text: str, source: str) -> dict[str, Any]:
    """tomllib.loads with its error turned into a DeckError carrying the line."""
    try:
        return tomllib.loads(text)
    except RecursionError:  # tomllib recurses once per level of `[[[...` or `{a={b=...`
        raise DeckError(
            source,
            "invalid TOML: arrays or tables are nested too deeply",
            _deeply_nested_line(text),
        ) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _DECODE_POS_RE.search(message)
        line: int | None = None
        if match:
            line = int(match.group(1)) if match.group(1) else text.count("\n") + 1
            message = message[: match.start()]
        raise DeckError(source, f"invalid TOML: {message}", line) from None
    except ValueError:  # tomllib's int() of a 5,000-digit number
        raise DeckError(source, "invalid TOML: a number has too many digits") from None


def _deeply_nested_line(text: str) -> int | None:
    """A best guess at where the nesting is: the first line opening 100 or more brackets."""
    for number, line in enumerate(text.split("\n"), 1):
        if line.count("[") + line.count("{") >= 100:
            return number
    return None


def _deck_header(data: dict[str, Any], text: str, source: str) -> tuple[str, str]:
    """The deck's name and description, or a DeckError for a missing or malformed [deck]."""
    for key in data:
        if key not in _TOP_LEVEL_KEYS:
            line = _line_of_key(text, key)
            message = f"unknown top-level key {shown(key)} (expected [deck] and [[cards]])"
            raise DeckError(source, message, line)
    deck = data.get("deck")
    if not isinstance(deck, dict):
        raise DeckError(source, "missing [deck] table with a name", 1)
    line = _line_of(text, r"^[ \t]*\[[ \t]*deck[ \t]*\]") or 1
    unknown = sorted(set(deck) - _DECK_KEYS)
    if unknown:
        hint = " (an inline `cards = [...]` must come before [deck])" if "cards" in unknown else ""
        raise DeckError(source, f"unknown key {shown(unknown[0])} in [deck]{hint}", line)
    name = deck.get("name")
    if not isinstance(name, str) or not name.strip():
        raise DeckError(source, "[deck] needs a non-empty string 'name'", line)
    try:
        name = validate(name)
    except InvalidDeckName as exc:
        raise DeckError(source, f"deck name {shown(exc.name)} {exc.reason}", line) from None
    description = deck.get("description", "")
    if not isinstance(description, str):
        raise DeckError(source, "[deck] 'description' must be a string", line)
    return name, description.strip()


def parse_toml(text: str, source: str, budget: Budget | None = None) -> ParsedFile:
    """Parse a TOML deck: DeckError for file-level faults, a Problem for each bad card.

    `budget` counts the cards against the import's limits (a fresh one when None).
    """
    budget = budget if budget is not None else Budget()
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    data = _load(text, source)
    name, description = _deck_header(data, text, source)
    raw_cards = data.get("cards", [])
    if not isinstance(raw_cards, list):
        raise DeckError(
            source,
            "'cards' must be an array of tables ([[cards]])",
            _line_of(text, r"^[ \t]*cards\b"),
        )
    lines = _header_lines(text)
    if len(lines) != len(raw_cards):
        lines = []  # inline `cards = [...]`: no per-card header lines to point at
    specs: list[CardSpec] = []
    problems: list[Problem] = []
    for index, raw in enumerate(raw_cards):
        where = f"{source}:{lines[index]}" if lines else f"{source}: card {index + 1}"
        try:
            made = card_specs(raw, where)
        except CardInvalid as exc:
            problems.append(Problem(where, str(exc)))
            continue
        for spec in made:
            budget.charge(source, spec)
        specs.extend(made)
    kept, dupes = drop_duplicate_keys(specs)
    return ParsedFile((DeckSpec(name, description, tuple(kept)),), tuple(problems + dupes))


def parse_toml_bytes(data: bytes, source: str, budget: Budget | None = None) -> ParsedFile:
    """Decode a TOML deck file (UTF-8 or a UTF-16 with BOM, no NUL bytes) and parse it."""
    return parse_toml(decode_text(data, source), source, budget)


_CLOZE_KEY_RE = re.compile(r"^(?P<base>.+)::c(?P<n>\d+)$")


def _table(card: CardSpec, kind: str, key: str, **fields: object) -> dict[str, object]:
    """One `[[cards]]` table with keys in a readable order and empty optional fields left out."""
    table: dict[str, object] = {"id": key}
    if kind != "basic":
        table["type"] = kind
    # a basic card's empty back is written (`back = ""`): the parser needs it present
    table.update(
        {
            k: v
            for k, v in fields.items()
            if v not in ("", None) or (kind == "basic" and k == "back")
        }
    )
    if card.tags:
        table["tags"] = list(card.tags)
    return table


def _cards_tables(cards: tuple[CardSpec, ...]) -> list[dict[str, object]]:
    """Regroup specs into TOML cards: reverse pairs and whole cloze notes become one table each."""
    by_key = {card.key: card for card in cards}
    used: set[str] = set()
    tables: list[dict[str, object]] = []
    for card in cards:
        if card.key in used:
            continue
        if card.kind == "basic":
            partner = by_key.get(f"{card.key}::reverse")
            if (
                partner is not None
                and partner.kind == "basic"
                and partner.key not in used
                and (partner.front, partner.back, partner.tags)
                == (card.back, card.front, card.tags)
            ):
                used.update({card.key, partner.key})
                tables.append(_table(card, "reverse", card.key, front=card.front, back=card.back))
                continue
            tables.append(_table(card, "basic", card.key, front=card.front, back=card.back))
        elif card.kind == "type":
            tables.append(_table(card, "type", card.key, front=card.front, back=card.back))
        else:
            match = _CLOZE_KEY_RE.match(card.key)
            if match and int(match["n"]) == card.ordinal:
                base = match["base"]
                numbers = cloze_numbers(card.front)
                siblings = [by_key.get(f"{base}::c{n}") for n in numbers]
                if all(
                    s is not None
                    and s.kind == "cloze"
                    and s.key not in used
                    and (s.front, s.back, s.tags) == (card.front, card.back, card.tags)
                    for s in siblings
                ):
                    used.update(s.key for s in siblings if s is not None)
                    tables.append(_table(card, "cloze", base, text=card.front, back=card.back))
                    continue
            tables.append(
                _table(card, "cloze", card.key, text=card.front, back=card.back, cloze=card.ordinal)
            )
        used.add(card.key)
    return tables


def write_toml(deck: DeckSpec) -> str:
    """The deck as TOML with explicit ids, so parsing it back yields the same keys and cards.

    Imported Anki progress and the media flag are not part of the format and are not written.
    """
    header: dict[str, object] = {"name": deck.name}
    if deck.description:
        header["description"] = deck.description
    document = {"deck": header, "cards": _cards_tables(deck.cards)}
    return tomli_w.dumps(document, multiline_strings=True)
