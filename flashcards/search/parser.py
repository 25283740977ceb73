"""Parse a search query into the tree of `nodes.py`, or fail with one line naming the column.

Bounded for untrusted input: the query is scanned once, left to right (no backtracking regex),
its length is capped, nesting (parentheses and `-`) is capped, every number is range-checked,
and a regular expression is compiled here with a size cap, so a bad one is the user's error
before any SQL runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flashcards.search import nodes
from flashcards.search.errors import QueryError
from flashcards.search.regex_check import check_regex

MAX_QUERY_CHARS = 2000
MAX_DEPTH = 50
MAX_IDS = 1000
MAX_DAYS = 36_500  # a century, for added:/rated:
MAX_DUE_DAYS = 100_000
MAX_COUNT = 1_000_000
MAX_ID = 2**63 - 1
_FIELD_NAME = re.compile(r"[a-z_]+")
_PROP = re.compile(r"([a-z]+)(<=|>=|!=|<|>|=)(.*)", re.DOTALL)
_INT = re.compile(r"-?[0-9]{1,12}")
_EASE = re.compile(r"[0-9]{1,3}(\.[0-9]{1,2})?")


@dataclass(frozen=True)
class _Char:
    ch: str
    literal: bool  # escaped with a backslash: never a wildcard or a field separator
    column: int  # 1-based, in the query as typed

    @property
    def raw(self) -> str:
        """As a regular expression reads it: an escape stays an escape (`\\d`), but for `\\"`."""
        return "\\" + self.ch if self.literal and self.ch != '"' else self.ch


@dataclass(frozen=True)
class _Token:
    kind: str  # word | ( | ) | -
    column: int
    chars: tuple[_Char, ...] = ()
    bare: bool = False  # no quotes or escapes: may be the OR / AND keyword

    @property
    def text(self) -> str:
        return "".join(c.ch for c in self.chars)


def _scan(query: str) -> list[_Token]:
    """Split the query into words, parentheses and negations, in one pass."""
    tokens: list[_Token] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append(_Token(ch, i + 1))
            i += 1
        elif ch == "-" and i + 1 < n and not query[i + 1].isspace() and query[i + 1] != ")":
            tokens.append(_Token("-", i + 1))
            i += 1
        else:
            start, chars, quoted, bare = i, [], False, True
            while i < n:
                ch = query[i]
                if ch == "\\":
                    if i + 1 == n:
                        raise QueryError("a backslash must be followed by a character", i + 1)
                    chars.append(_Char(query[i + 1], True, i + 2))
                    bare = False
                    i += 2
                    continue
                if ch == '"':
                    quoted, bare = not quoted, False
                    i += 1
                    continue
                if not quoted and (ch.isspace() or ch in "()"):
                    break
                chars.append(_Char(ch, False, i + 1))
                i += 1
            if quoted:
                raise QueryError("unterminated quote", start + 1)
            tokens.append(_Token("word", start + 1, tuple(chars), bare))
    return tokens


class _Parser:
    """Recursive descent over the tokens: or-expression > and-expression > unary > atom."""

    def __init__(self, tokens: list[_Token], length: int) -> None:
        self.tokens = tokens
        self.pos = 0
        self.end_column = length + 1

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def column(self) -> int:
        token = self.peek()
        return token.column if token else self.end_column

    @staticmethod
    def is_keyword(token: _Token | None, word: str) -> bool:
        return (
            token is not None
            and token.kind == "word"
            and token.bare
            and (token.text.upper() == word)
        )

    def parse_or(self, depth: int) -> nodes.Node:
        items = [self.parse_and(depth)]
        while self.is_keyword(self.peek(), "OR"):
            column = self.column()
            self.pos += 1
            token = self.peek()
            if token is None or token.kind == ")" or self.is_keyword(token, "OR"):
                raise QueryError("OR needs a search term after it", column)
            items.append(self.parse_and(depth))
        return items[0] if len(items) == 1 else nodes.Or(tuple(items))

    def parse_and(self, depth: int) -> nodes.Node:
        items: list[nodes.Node] = []
        while True:
            token = self.peek()
            if token is None or token.kind == ")" or self.is_keyword(token, "OR"):
                break
            if self.is_keyword(token, "AND"):
                if not items:
                    raise QueryError("AND needs a search term before it", token.column)
                self.pos += 1
                continue
            items.append(self.parse_unary(depth))
        if not items:
            token = self.peek()
            if token is not None and token.kind == ")":
                raise QueryError("nothing to search for before ')'", token.column)
            if token is not None:
                raise QueryError("OR needs a search term before it", token.column)
            raise QueryError("nothing to search for", self.end_column)
        return items[0] if len(items) == 1 else nodes.And(tuple(items))

    def parse_unary(self, depth: int) -> nodes.Node:
        token = self.peek()
        assert token is not None
        if depth >= MAX_DEPTH:
            raise QueryError(f"the query nests more than {MAX_DEPTH} levels deep", token.column)
        if token.kind == "-":
            self.pos += 1
            nxt = self.peek()
            if nxt is None or nxt.kind == ")" or self.is_keyword(nxt, "OR"):
                raise QueryError("'-' needs a search term after it", token.column)
            return nodes.Not(self.parse_unary(depth + 1))
        if token.kind == "(":
            self.pos += 1
            inner = self.parse_or(depth + 1)
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise QueryError("missing ')' for the '('", token.column)
            self.pos += 1
            return inner
        self.pos += 1
        return _term(token)


def _split_field(token: _Token) -> tuple[str | None, tuple[_Char, ...], int]:
    """(field name or None, value chars, the value's column) at the first unescaped colon."""
    for i, c in enumerate(token.chars):
        if c.ch == ":" and not c.literal:
            name = "".join(x.ch for x in token.chars[:i])
            if _FIELD_NAME.fullmatch(name.lower()) and all(not x.literal for x in token.chars[:i]):
                value = token.chars[i + 1 :]
                return name.lower(), value, value[0].column if value else c.column + 1
            break
    return None, token.chars, token.column


def _parts(chars: tuple[_Char, ...]) -> tuple[str, ...]:
    """The text between unescaped `*` wildcards."""
    parts, current = [], []
    for c in chars:
        if c.ch == "*" and not c.literal:
            parts.append("".join(current))
            current = []
        else:
            current.append(c.ch)
    parts.append("".join(current))
    return tuple(parts)


def _plain(chars: tuple[_Char, ...]) -> str:
    return "".join(c.ch for c in chars)


def _raw(chars: tuple[_Char, ...]) -> str:
    return "".join(c.raw for c in chars)


def _starts_with_re(chars: tuple[_Char, ...]) -> bool:
    return len(chars) >= 3 and _plain(chars[:3]).lower() == "re:" and not chars[2].literal


def _number(text: str, low: int, high: int, what: str, column: int) -> int:
    if not _INT.fullmatch(text):
        raise QueryError(f"{what} needs a whole number, not {text!r}", column)
    value = int(text)
    if not low <= value <= high:
        raise QueryError(f"{what} must be between {low} and {high}, not {value}", column)
    return value


def _choice(value: str, allowed: tuple[str, ...], field: str, column: int) -> str:
    low = value.lower()
    if low not in allowed:
        raise QueryError(
            f"unknown value {value!r} for {field}: (expected {', '.join(allowed)})", column
        )
    return low


def _prop(value: str, column: int) -> nodes.Prop:
    match = _PROP.fullmatch(value.lower())
    if not match or match[1] not in nodes.PROPS:
        name = re.match(r"[a-z]*", value.lower())
        shown = name[0] if name and name[0] else value
        if shown in nodes.PROPS:
            raise QueryError(
                f"prop:{shown} needs a comparison: <, <=, >, >=, = or != and a number", column
            )
        raise QueryError(
            f"unknown property {shown!r} for prop: (expected {', '.join(nodes.PROPS)} "
            "followed by <, <=, >, >=, = or != and a number)",
            column,
        )
    name, op, number = match[1], match[2], match[3]
    at = column + len(name) + len(op)
    if name == "ease":
        if not _EASE.fullmatch(number):
            raise QueryError(f"prop:ease needs a number such as 2.5, not {number!r}", at)
        hundredths = round(float(number) * 100)
        if hundredths > 10_000:
            raise QueryError(f"prop:ease must be at most 100, not {number}", at)
        return nodes.Prop(name, op, hundredths)
    if name == "due":
        return nodes.Prop(name, op, _number(number, -MAX_DUE_DAYS, MAX_DUE_DAYS, "prop:due", at))
    high = MAX_DUE_DAYS if name == "ivl" else MAX_COUNT
    return nodes.Prop(name, op, _number(number, 0, high, f"prop:{name}", at))


def _field_term(field: str, value: tuple[_Char, ...], column: int, start: int) -> nodes.Node:
    text = _plain(value)
    if field in nodes.TEXT_FIELDS:
        if _starts_with_re(value):
            return nodes.Regex(field, check_regex(_raw(value[3:]), column + 3))
        if not text:
            raise QueryError(f"{field}: needs something to search for", column)
        return nodes.Text(field, _parts(value), whole=True)
    if field == "re":
        return nodes.Regex(None, check_regex(_raw(value), column))
    if not text:
        raise QueryError(f"{field}: needs a value", column)
    if field == "deck":
        return nodes.DeckName(_parts(value))
    if field == "tag":
        if any(c.ch.isspace() for c in value):
            raise QueryError("a tag has no spaces", column)
        return nodes.Tag(_parts(value))
    if field == "is":
        return nodes.State(_choice(text, nodes.STATES, field, column))
    if field == "type":
        return nodes.Kind(_choice(text, nodes.KINDS, field, column))
    if field == "prop":
        return _prop(text, column)
    if field == "added":
        return nodes.Added(_number(text, 1, MAX_DAYS, "added:", column))
    if field == "rated":
        days, _, grade = text.partition(":")
        n = _number(days, 1, MAX_DAYS, "rated:", column)
        if not grade and not text.endswith(":"):
            return nodes.Rated(n, None)
        return nodes.Rated(n, _number(grade, 0, 5, "the grade of rated:", column + len(days) + 1))
    if field == "id":
        pieces = text.split(",")
        if len(pieces) > MAX_IDS:
            raise QueryError(f"id: takes at most {MAX_IDS} ids", column)
        ids, at = [], column
        for piece in pieces:
            ids.append(_number(piece, 1, MAX_ID, "id:", at))
            at += len(piece) + 1
        return nodes.Ids(tuple(ids))
    raise QueryError(f"unknown field {field!r}", start)


def _term(token: _Token) -> nodes.Node:
    field, value, column = _split_field(token)
    if field is None:
        text = _plain(value)
        if not text:
            raise QueryError("empty search term", token.column)
        return nodes.Text(None, _parts(value), whole=False)
    return _field_term(field, value, column, token.column)


def parse_query(query: str) -> nodes.Node:
    """The tree of `query`; an empty (or blank) query is `Everything`. Raises `QueryError`."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is longer than {MAX_QUERY_CHARS} characters", 1)
    for i, ch in enumerate(query):
        code = ord(ch)
        if (code < 0x20 or 0x7F <= code <= 0x9F) and not ch.isspace():
            # NUL cannot reach PostgreSQL at all, and no card text is searched for an ESC.
            raise QueryError(f"the query holds a control character (U+{code:04X})", i + 1)
    tokens = _scan(query)
    if not tokens:
        return nodes.Everything()
    parser = _Parser(tokens, len(query))
    tree = parser.parse_or(0)
    leftover = parser.peek()
    if leftover is not None:
        raise QueryError("unmatched ')'", leftover.column)
    return tree
