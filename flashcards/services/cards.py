"""Finding cards: a search's matching cards, how many match, and one card in full.

A query is parsed before anything is read (a bad one is the user's error) and compiled into one
SQL condition (storage/search_sql.py); the changes made to matching cards are in
card_changes.py, which uses the same condition.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from peewee import Asc, DataError, Desc, Select, fn

from flashcards.decks.cloze import render_cloze
from flashcards.errors import UserError
from flashcards.search import nodes, parse_query
from flashcards.services.collection import Collection
from flashcards.services.search_upkeep import keep_index_current
from flashcards.storage import Card, Deck, Review
from flashcards.storage.binding import runs_on_collection
from flashcards.storage.card_states import state_label
from flashcards.storage.search_sql import card_condition
from flashcards.storage.stored_dates import stored_date

SORTS = ("id", "deck", "due", "interval", "ease", "lapses", "reps", "added", "modified")


@dataclass(frozen=True)
class CardRow:
    """One line of a search result."""

    id: int
    deck: str
    type: str  # basic | reverse | cloze | type
    front: str
    question: str  # what the card asks: the front, a cloze with this card's deletions as [...]
    state: str  # see storage/card_states.state_label
    due: dt.date | None
    interval: int
    ease: float
    lapses: int


@dataclass(frozen=True)
class SearchResult:
    cards: tuple[CardRow, ...]
    more: bool  # more cards match than the limit let through


@dataclass(frozen=True)
class ReviewEntry:
    reviewed_at: dt.datetime  # UTC
    review_day: dt.date
    grade: int
    button: str | None
    drill: bool
    interval_before: int
    interval_after: int
    duration_ms: int


@dataclass(frozen=True)
class CardDetails:
    id: int
    deck: str
    type: str
    key: str
    front: str
    back: str
    tags: tuple[str, ...]
    state: str
    repetitions: int
    interval: int
    ease: float
    lapses: int
    due: dt.date | None
    suspended: bool
    buried_until: dt.date | None
    created_at: dt.datetime
    modified_at: dt.datetime
    reviews: tuple[ReviewEntry, ...]


def _as_datetime(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def card_type(kind: str, key: str) -> str:
    """The type a user wrote: the second card of a TOML `reverse` pair is stored as basic."""
    return "reverse" if kind == "basic" and key.endswith("::reverse") else kind


@runs_on_collection
def condition(col: Collection, query: str):  # noqa: ANN201  (a Peewee expression)
    """The SQL condition of `query`; raises QueryError (a UserError) before anything is read."""
    tree = parse_query(query)
    keep_index_current(col)
    return card_condition(col.db, tree, today=col.clock.today(), now=col.clock.now())


def _deck_name():  # noqa: ANN202  (a Peewee subquery)
    """The card's deck name as a scalar subquery, not a join: with a join SQLite may walk the
    decks first and sort every match, where the table's own order stops at the limit."""
    named = Deck.alias("named")
    return named.select(named.name).where(named.id == Card.deck)


def _order(sort: str, descending: bool) -> list:
    if sort not in SORTS:
        raise UserError(f"cannot sort by {sort!r}; choose one of {', '.join(SORTS)}")
    column = {
        "deck": _deck_name(),
        "id": Card.id,
        "due": Card.due,
        "interval": Card.interval,
        "ease": Card.easiness,
        "lapses": Card.lapses,
        "reps": Card.repetitions,
        "added": Card.created_at,
        "modified": Card.modified_at,
    }[sort]
    first = Desc(column) if descending else Asc(column)
    # New cards (no due date) last either way; the id breaks ties so the order is stable.
    nulls = [Card.due.is_null()] if sort == "due" else []
    return [*nulls, first, Card.id.desc() if descending else Card.id]


def _question(kind: str, front: str, ordinal: int) -> str:
    """The front as the card asks it: a cloze's own deletions hidden, the others answered."""
    if kind != "cloze":
        return front
    return "".join(text for text, _ in render_cloze(front, ordinal, reveal=False))


def _from_an_index(tree: nodes.Node) -> bool:
    """Whether a term every match must meet is one an index answers out of id order (a deck,
    a state; not `is:new`, whose index `card_new` is in id order and stops at the limit)."""
    items = tree.items if isinstance(tree, nodes.And) else (tree,)
    return any(
        isinstance(item, nodes.DeckName) or (isinstance(item, nodes.State) and item.name != "new")
        for item in items
    )


@runs_on_collection
def search_select(
    col: Collection, query: str, *, sort: str = "id", descending: bool = False, limit: int | None
) -> Select:
    """The SELECT `search_cards` runs. With a limit, a search narrowed by a deck or a state
    takes the first `limit + 1` matching ids in a subquery, then their rows: SQLite sorts what
    it reads, so a deck's due cards, read from an index alone, are sorted as ids, not as whole
    rows. Other searches read the table in id order and stop at the limit, as before (the
    subquery would only add a second lookup of each row found)."""
    where = condition(col, query)
    ids_first = limit is not None and _from_an_index(parse_query(query))
    if ids_first:
        first = Card.select(Card.id).where(where).order_by(*_order(sort, descending))
        where = Card.id.in_(first.limit(limit + 1))
    select = (
        Card.select(
            Card.id,
            _deck_name(),
            Card.kind,
            Card.key,
            Card.front,
            Card.due,
            Card.repetitions,
            Card.interval,
            Card.easiness,
            Card.lapses,
            Card.suspended,
            Card.buried_until,
            Card.ordinal,
        )
        .where(where)
        .order_by(*_order(sort, descending))
    )
    return select.limit(limit + 1) if limit is not None and not ids_first else select


@runs_on_collection
def search_cards(
    col: Collection,
    query: str,
    *,
    sort: str = "id",
    descending: bool = False,
    limit: int | None = None,
) -> SearchResult:
    """The cards matching `query`, sorted, at most `limit` of them, and whether more match.

    One SELECT of `limit + 1` rows: sorted by id (the default) it reads the table in its own
    order and stops at the limit, so a search that matches many cards is as quick as one that
    matches few. `count_matches` says how many match in all, when that is wanted.
    """
    select = search_select(col, query, sort=sort, descending=descending, limit=limit)
    today = col.clock.today()
    with refused_by_server():
        # The driver's own rows: Peewee's conversion of each value cost more than the query
        # (~5 of 6 ms for 500 rows); `stored_date` reads a date as either driver gives it.
        rows = col.db.execute(select).fetchall()
    more = limit is not None and len(rows) > limit
    rows = rows[:limit] if more else rows
    cards = tuple(_card_row(r, today) for r in rows)
    return SearchResult(cards=cards, more=more)


def _card_row(r: tuple, today: dt.date) -> CardRow:
    """One row of `search_select` as a CardRow."""
    due = stored_date(r[5])
    return CardRow(
        id=r[0],
        deck=r[1],
        type=card_type(r[2], r[3]),
        front=r[4],
        question=_question(r[2], r[4], r[12]),
        state=state_label(
            due=due,
            repetitions=r[6],
            interval=r[7],
            suspended=bool(r[10]),
            buried_until=stored_date(r[11]),
            today=today,
        ),
        due=due,
        interval=r[7],
        ease=r[8] / 100,
        lapses=r[9],
    )


@runs_on_collection
def card_details(col: Collection, card_id: int) -> CardDetails:
    """One card in full, with its review history oldest first; UserError if there is none."""
    card = Card.select(Card, Deck.name).join(Deck).where(Card.id == card_id).objects().first()
    if card is None:
        raise UserError(f"no card with id {card_id}")
    reviews = Review.select().where(Review.card == card_id).order_by(Review.reviewed_at, Review.id)
    due, buried = stored_date(card.due), stored_date(card.buried_until)
    return CardDetails(
        id=card.id,
        deck=card.name,
        type=card_type(card.kind, card.key),
        key=card.key,
        front=card.front,
        back=card.back,
        tags=tuple(card.tags.split()),
        state=state_label(
            due=due,
            repetitions=card.repetitions,
            interval=card.interval,
            suspended=bool(card.suspended),
            buried_until=buried,
            today=col.clock.today(),
        ),
        repetitions=card.repetitions,
        interval=card.interval,
        ease=card.easiness / 100,
        lapses=card.lapses,
        due=due,
        suspended=bool(card.suspended),
        buried_until=buried,
        created_at=_as_datetime(card.created_at),
        modified_at=_as_datetime(card.modified_at),
        reviews=tuple(
            ReviewEntry(
                reviewed_at=_as_datetime(r.reviewed_at),
                review_day=stored_date(r.review_day),  # type: ignore[arg-type]
                grade=r.quality,
                button=r.button,
                drill=bool(r.drill),
                interval_before=r.before_interval,
                interval_after=r.after_interval,
                duration_ms=r.duration_ms,
            )
            for r in reviews
        ),
    )


@contextlib.contextmanager
def refused_by_server() -> Iterator[None]:
    """A query the parser accepted but the database refused: on PostgreSQL, a regular
    expression in Python's syntax that POSIX's lacks (a named group). The user's error."""
    try:
        yield
    except DataError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "invalid query"
        raise UserError(f"the database refused the search: {reason}") from None


def count_where(where) -> int:  # noqa: ANN001
    """How many cards match; every bulk operation counts first, so a query the database
    refuses is refused before anything is written."""
    with refused_by_server():
        return Card.select(fn.COUNT(Card.id)).where(where).scalar() or 0


@runs_on_collection
def count_matches(col: Collection, query: str) -> int:
    """How many cards `query` matches (what `delete` asks the user to confirm)."""
    return count_where(condition(col, query))
