"""Compile a search tree (flashcards.search) into one SQL condition on the card table.

The condition goes into a single SELECT, UPDATE or DELETE: no card is ever filtered in Python.

Case and accents. A query's words are folded in Python (`flashcards.search.fold`). On SQLite
the card text is compared twice, cheaply first: `LIKE` (which ignores ASCII case) on the text as
stored, then, only for text holding a character outside ASCII (its length in bytes differs from
its length in characters, both counted by SQLite in C), `LIKE` on the text folded by the same
Python function, registered as `flashcards_fold`. Most cards are plain ASCII and never reach
Python. On PostgreSQL the text is folded by
`translate(lower(text), …)` with a table built from the same function for the Latin letters
U+00C0..U+024F (the `unaccent` extension is not assumed to be installed).

Regular expressions run through SQLite's `REGEXP` operator, backed by a registered Python
function (patterns were checked and bounded by the parser), and PostgreSQL's `~*`.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import weakref
from collections.abc import Callable

from peewee import SQL, Case, Cast, Database, Expression, NodeList, Value, fn

from flashcards.decks import names
from flashcards.search import fold, nodes
from flashcards.search.fold import latin_fold_table
from flashcards.storage import card_states, search_index
from flashcards.storage.dialect import is_sqlite
from flashcards.storage.models import Card, Deck, Review
from flashcards.storage.search_trigrams import trigram_query

FOLD_FUNCTION = "flashcards_fold"
_DECK_IDS = 100  # more decks than this in one `deck:` term are named by a subquery
_registered: weakref.WeakSet[Database] = weakref.WeakSet()
_LATIN_TABLE = latin_fold_table()


def _sql_fold(text: str | None) -> str | None:
    return None if text is None else fold(text)


@functools.lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _sql_regexp(pattern: str | None, text: str | None) -> int:
    """SQLite's `text REGEXP pattern` calls regexp(pattern, text)."""
    if pattern is None or text is None:
        return 0
    return 1 if _compiled(pattern).search(text) else 0


def register_functions(db: Database) -> None:
    """Give a SQLite collection the functions search needs (once per database object; Peewee
    loads them into every connection it opens afterwards, in every thread)."""
    if not is_sqlite(db) or db in _registered:
        return
    db.register_function(_sql_fold, FOLD_FUNCTION, 1, deterministic=True)
    db.register_function(_sql_regexp, "regexp", 2, deterministic=True)
    _registered.add(db)


def folded_sql(column: str) -> str:
    """PostgreSQL's folded text of `column` (SQL naming a text column) as SQL text: the
    expression `_Compiler.folded_like` builds, for a statement that cannot take parameters
    (the planner's statistics of it, schema_search_statistics.py)."""
    source, target = (f"'{text.replace(chr(39), chr(39) * 2)}'" for text in _LATIN_TABLE)
    return (
        f"CASE WHEN (octet_length({column}) = char_length({column})) THEN lower({column}) "
        f"ELSE translate(lower({column}), {source}, {target}) END"
    )


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_pattern(parts: tuple[str, ...], *, whole: bool) -> str:
    """A LIKE pattern of folded parts joined by `%`, anchored when the whole field must match."""
    body = "%".join(_like_escape(fold(part)) for part in parts)
    return body if whole else f"%{body}%"


def _like(lhs: object, pattern: str) -> NodeList:
    return NodeList((lhs, SQL("LIKE"), Value(pattern), SQL("ESCAPE"), Value("\\")), parens=True)


class _Compiler:
    """One query's compilation: the dialect, today and now fixed for all its terms."""

    def __init__(self, db: Database, today: dt.date, now: dt.datetime) -> None:
        self.db = db
        self.sqlite = is_sqlite(db)
        self.today = today
        # Timestamps are stored as naive UTC (models.py).
        self.now = now if now.tzinfo is None else now.astimezone(dt.UTC).replace(tzinfo=None)

    # -- text -------------------------------------------------------------------------------

    def folded_like(self, column: object, pattern: str, *, prefilter: bool = True) -> object:
        """`column` LIKE the folded `pattern`, ignoring case and accents."""
        if not self.sqlite:
            # translate() with its 600-letter table costs ~60 µs a field; text in ASCII (as
            # many bytes as characters) needs only lower(): the table maps no ASCII letter.
            ascii_text = fn.octet_length(column) == fn.char_length(column)
            lowered = fn.lower(column)
            folded = Case(None, [(ascii_text, lowered)], fn.translate(lowered, *_LATIN_TABLE))
            return _like(folded, pattern)
        slow = _like(getattr(fn, FOLD_FUNCTION)(column), pattern)
        if not prefilter:
            return slow
        non_ascii = fn.length(Cast(column, "BLOB")) != fn.length(column)
        return _like(column, pattern) | (non_ascii & slow)

    def regex(self, column: object, pattern: str) -> NodeList:
        op = "REGEXP" if self.sqlite else "~*"
        return NodeList((column, SQL(op), Value(pattern)), parens=True)

    def fields(self, field: str | None) -> list[object]:
        if field == "front":
            return [Card.front]
        if field == "back":
            return [Card.back]
        return [Card.front, Card.back, Card.tags]

    def text(self, node: nodes.Text) -> object:
        pattern = like_pattern(node.parts, whole=node.whole)
        return _any(self.folded_like(column, pattern) for column in self.fields(node.field))

    # -- decks and tags ---------------------------------------------------------------------

    def deck(self, node: nodes.DeckName) -> Expression:
        name = like_pattern(node.parts, whole=True)
        match = self.folded_like(Deck.name, name, prefilter=False) | self.folded_like(
            Deck.name, name + names.SEPARATOR + "%", prefilter=False
        )
        decks = Deck.select(Deck.id).where(match)
        # The ids themselves, read now from the small deck table: given a list of values SQLite
        # reads those decks' entries of `card_deck_state`; given the subquery it guessed a
        # larger set and read the (suspended, due) index of every deck instead.
        ids = [deck_id for (deck_id,) in decks.limit(_DECK_IDS + 1).tuples()]
        return Card.deck.in_(decks if len(ids) > _DECK_IDS else ids)

    def tag(self, node: nodes.Tag) -> object:
        spaced = NodeList((Value(" "), SQL("||"), Card.tags, SQL("||"), Value(" ")), parens=True)
        name = like_pattern(node.parts, whole=True)
        found = self.folded_like(spaced, f"% {name} %") | self.folded_like(spaced, f"% {name}::%")
        # Most cards do not have the tag: a plain LIKE on the column turns them away before the
        # padded copy of the tags is built and compared twice.
        found = self.folded_like(Card.tags, like_pattern(node.parts, whole=False)) & found
        if sum(1 for part in node.parts if part) >= 2:
            # Text on both sides of a wildcard: LIKE's % may run from one tag into the next,
            # so the tag is also checked whole with a regular expression.
            body = "[^ ]*".join(re.escape(part) for part in node.parts)
            found = found & self.regex(Card.tags, f"(^| ){body}($| |::)")
        return found

    # -- the rest ---------------------------------------------------------------------------

    def state(self, node: nodes.State) -> object:
        today = self.today
        return {
            "new": card_states.is_new,
            "review": card_states.is_reviewed,
            "suspended": card_states.is_suspended,
            "buried": lambda: card_states.is_buried(today),
            "due": lambda: card_states.due_from_index(today),
            "leech": lambda: card_states.is_leech(self.db),
        }[node.name]()

    def kind(self, node: nodes.Kind) -> Expression:
        reverse = Card.key.endswith("::reverse")
        if node.name == "basic":
            return (Card.kind == "basic") & ~reverse
        if node.name == "reverse":
            return (Card.kind == "basic") & reverse
        return Card.kind == node.name

    def prop(self, node: nodes.Prop) -> Expression:
        if node.name == "due":
            when = self.today + dt.timedelta(days=node.value)
            return card_states.is_reviewed() & Expression(Card.due, node.op, when)
        column = {
            "ivl": Card.interval,
            "ease": Card.easiness,
            "lapses": Card.lapses,
            "reps": Card.repetitions,
        }[node.name]
        condition = Expression(column, node.op, node.value)
        if node.name in ("ivl", "ease"):  # a new card has neither yet
            return card_states.is_reviewed() & condition
        return condition

    def rated(self, node: nodes.Rated) -> Expression:
        since = self.today - dt.timedelta(days=node.days - 1)
        reviews = Review.select(Review.card).where(
            Review.review_day >= since, Review.card.is_null(False)
        )
        if node.grade is not None:
            reviews = reviews.where(Review.quality == node.grade)
        return Card.id.in_(reviews)

    def compile(self, node: nodes.Node) -> object:
        handlers: dict[type, Callable[[object], object]] = {
            nodes.Text: self.text,
            nodes.Regex: lambda n: _any(self.regex(c, n.pattern) for c in self.fields(n.field)),
            nodes.DeckName: self.deck,
            nodes.Tag: self.tag,
            nodes.State: self.state,
            nodes.Kind: self.kind,
            nodes.Prop: self.prop,
            nodes.Added: lambda n: Card.created_at >= self.now - dt.timedelta(days=n.days),
            nodes.Rated: self.rated,
            nodes.Ids: lambda n: Card.id.in_(list(n.ids)),
            nodes.Not: lambda n: ~_grouped(self.compile(n.item)),
            nodes.And: lambda n: _all(self.compile(item) for item in n.items),
            nodes.Or: lambda n: _any(self.compile(item) for item in n.items),
            nodes.Everything: lambda n: SQL("1 = 1"),
        }
        return handlers[type(node)](node)


def _grouped(expr: object) -> object:
    return NodeList((expr,), parens=True) if isinstance(expr, SQL) else expr


def _all(items) -> object:  # noqa: ANN001
    it = iter(items)
    result = _grouped(next(it))
    for item in it:
        result = result & _grouped(item)
    return result


def _any(items) -> object:  # noqa: ANN001
    it = iter(items)
    result = _grouped(next(it))
    for item in it:
        result = result | _grouped(item)
    return result


def card_condition(db: Database, tree: nodes.Node, *, today: dt.date, now: dt.datetime) -> object:
    """The SQL condition on `card` that selects the cards `tree` describes.

    `today` is the study day (for due dates and `rated:`), `now` the instant (for `added:`).
    """
    register_functions(db)
    exact = _Compiler(db, today, now).compile(tree)
    if is_sqlite(db):
        match = trigram_query(tree)
        narrowed = None if match is None else search_index.candidates(db, match)
        if narrowed is not None:
            return narrowed & _grouped(exact)
    return exact
