"""Finding cards and acting on many at once: search, one card in full, and the bulk operations.

Every operation parses its query before it touches the collection, so a bad query changes
nothing; each change is one write transaction whose UPDATE or DELETE carries the compiled search
condition, so the matching is done by the database in the same statement that changes the cards.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from peewee import Asc, DatabaseError, DataError, Desc, fn

from flashcards.errors import UserError
from flashcards.search import fold, parse_query
from flashcards.services.backup import backup_before_first_write_today, make_backup
from flashcards.services.collection import Collection
from flashcards.services.decks import ensure_deck
from flashcards.storage import Card, Deck, Review, card_states
from flashcards.storage.card_states import state_label
from flashcards.storage.database import describe_error, write_transaction
from flashcards.storage.search_sql import card_condition

DEFAULT_EASINESS = 250
MAX_SET_DUE_DAYS = 36_500
_CHUNK = 500
SORTS = ("id", "deck", "due", "interval", "ease", "lapses", "reps", "added", "modified")
_DAYS_RE = re.compile(r"(\d{1,5})(?:-(\d{1,5}))?")


@dataclass(frozen=True)
class CardRow:
    """One line of a search result."""

    id: int
    deck: str
    type: str  # basic | reverse | cloze | type
    front: str
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


@dataclass(frozen=True)
class BulkResult:
    """How many cards matched the query and how many of them the operation changed."""

    matched: int
    changed: int
    backup: str | None = None  # the backup taken first (delete), if any


def _as_date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value  # type: ignore[return-value]
    return dt.date.fromisoformat(str(value)[:10])


def _as_datetime(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def card_type(kind: str, key: str) -> str:
    """The type a user wrote: the second card of a TOML `reverse` pair is stored as basic."""
    return "reverse" if kind == "basic" and key.endswith("::reverse") else kind


def condition(col: Collection, query: str):  # noqa: ANN201  (a Peewee expression)
    """The SQL condition of `query`; raises QueryError (a UserError) before anything is read."""
    tree = parse_query(query)
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
    where = condition(col, query)
    today = col.clock.today()
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
        )
        .where(where)
        .order_by(*_order(sort, descending))
    )
    if limit is not None:
        select = select.limit(limit + 1)
    with _refused_by_server():
        rows = list(select.tuples())
    more = limit is not None and len(rows) > limit
    rows = rows[:limit] if more else rows
    cards = tuple(
        CardRow(
            id=r[0],
            deck=r[1],
            type=card_type(r[2], r[3]),
            front=r[4],
            state=state_label(
                due=_as_date(r[5]),
                repetitions=r[6],
                interval=r[7],
                suspended=bool(r[10]),
                buried_until=_as_date(r[11]),
                today=today,
            ),
            due=_as_date(r[5]),
            interval=r[7],
            ease=r[8] / 100,
            lapses=r[9],
        )
        for r in rows
    )
    return SearchResult(cards=cards, more=more)


def card_details(col: Collection, card_id: int) -> CardDetails:
    """One card in full, with its review history oldest first; UserError if there is none."""
    card = Card.select(Card, Deck.name).join(Deck).where(Card.id == card_id).objects().first()
    if card is None:
        raise UserError(f"no card with id {card_id}")
    reviews = Review.select().where(Review.card == card_id).order_by(Review.reviewed_at, Review.id)
    due, buried = _as_date(card.due), _as_date(card.buried_until)
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
                review_day=_as_date(r.review_day),  # type: ignore[arg-type]
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


# -- bulk operations ------------------------------------------------------------------------


def _now(col: Collection) -> dt.datetime:
    return col.clock.now().replace(tzinfo=None)


@contextlib.contextmanager
def _refused_by_server() -> Iterator[None]:
    """A query the parser accepted but the database refused: on PostgreSQL, a regular
    expression in Python's syntax that POSIX's lacks (a named group). The user's error."""
    try:
        yield
    except DataError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "invalid query"
        raise UserError(f"the database refused the search: {reason}") from None


@contextlib.contextmanager
def _writing(col: Collection) -> Iterator[None]:
    """One write transaction; a busy, read-only or full collection is the user's one-line error
    (the transaction is rolled back, so nothing changed)."""
    try:
        with write_transaction(col.db):
            yield
    except DatabaseError as exc:
        raise describe_error(exc, col.target) from None


def _count(where) -> int:  # noqa: ANN001
    """How many cards match; every bulk operation counts first, so a query the database
    refuses is refused before anything is written."""
    with _refused_by_server():
        return Card.select(fn.COUNT(Card.id)).where(where).scalar() or 0


def _update(col: Collection, query: str, values: dict, unchanged) -> BulkResult:  # noqa: ANN001
    """Set `values` on the matching cards that are not already `unchanged`, in one transaction."""
    where = condition(col, query)
    if _count(where) == 0:
        return BulkResult(0, 0)
    backup_before_first_write_today(col)
    with _writing(col):
        matched = _count(where)
        changed = Card.update(**values, modified_at=_now(col)).where(where & ~unchanged).execute()
    return BulkResult(matched, changed)


def suspend_cards(col: Collection, query: str) -> BulkResult:
    return _update(col, query, {"suspended": True}, card_states.is_suspended())


def unsuspend_cards(col: Collection, query: str) -> BulkResult:
    """Unsuspend the matches (a leech keeps its tag, so `tag:leech` still finds it)."""
    return _update(col, query, {"suspended": False}, card_states.is_active())


def forget_cards(col: Collection, query: str) -> BulkResult:
    """Make the matches new again; their review log stays (so do the statistics of past days)."""
    pristine = (
        Card.due.is_null()
        & (Card.repetitions == 0)
        & (Card.interval == 0)
        & (Card.easiness == DEFAULT_EASINESS)
        & (Card.lapses == 0)
        & Card.buried_until.is_null()
    )
    values = {
        "repetitions": 0,
        "interval": 0,
        "easiness": DEFAULT_EASINESS,
        "due": None,
        "lapses": 0,
        "buried_until": None,
    }
    return _update(col, query, values, pristine)


def parse_days(spec: str) -> tuple[int, int]:
    """`3` → (3, 3); `3-7` → (3, 7): days from today, as Anki's set due date takes them."""
    match = _DAYS_RE.fullmatch(spec.strip())
    if not match:
        raise UserError(f"days must be a number or a range such as 3-7, not {spec!r}")
    low = int(match[1])
    high = int(match[2]) if match[2] is not None else low
    if low > high or high > MAX_SET_DUE_DAYS:
        raise UserError(f"days must run from low to high, at most {MAX_SET_DUE_DAYS}, not {spec!r}")
    return low, high


def set_due(col: Collection, query: str, days: str, rng: random.Random | None = None) -> BulkResult:
    """Make the matches due in `days` (`0` today, `3-7` spread at random over that range).

    A new card becomes a review card due that day. `rng` is injected so tests are repeatable.
    """
    low, high = parse_days(days)
    where = condition(col, query)
    if _count(where) == 0:
        return BulkResult(0, 0)
    rng = rng or random.Random()
    today, now = col.clock.today(), _now(col)
    backup_before_first_write_today(col)
    with _writing(col):
        if low == high:
            due = today + dt.timedelta(days=low)
            changed = (
                Card.update(due=due, buried_until=None, modified_at=now).where(where).execute()
            )
            return BulkResult(changed, changed)
        by_day: dict[dt.date, list[int]] = defaultdict(list)
        ids = [i for (i,) in Card.select(Card.id).where(where).order_by(Card.id).tuples()]
        for card_id in ids:
            by_day[today + dt.timedelta(days=rng.randint(low, high))].append(card_id)
        for due, day_ids in by_day.items():
            for start in range(0, len(day_ids), _CHUNK):
                chunk = day_ids[start : start + _CHUNK]
                Card.update(due=due, buried_until=None, modified_at=now).where(
                    Card.id.in_(chunk)
                ).execute()
    return BulkResult(len(ids), len(ids))


def move_cards(col: Collection, query: str, deck: str) -> BulkResult:
    """Move the matches into `deck` (created, with its parents, if missing).

    Cards are matched on re-import by their key within a deck, so two cards with one key cannot
    share a deck: such a move is refused whole.
    """
    where = condition(col, query)
    if _count(where) == 0:
        return BulkResult(0, 0)
    backup_before_first_write_today(col)
    with _writing(col):
        target = ensure_deck(col, deck)
        matched = _count(where)
        moving = [
            k for (k,) in Card.select(Card.key).where(where & (Card.deck != target.id)).tuples()
        ]
        taken = {
            k
            for (k,) in Card.select(Card.key)
            .where(Card.deck == target.id, ~where, Card.key.in_(moving or [""]))
            .tuples()
        }
        clashes = sorted(_duplicates(moving) | (set(moving) & taken))
        if clashes:
            raise UserError(
                f"{len(clashes)} card key(s) would be twice in deck {target.name!r} "
                f"(e.g. {clashes[0]!r}); nothing was moved"
            )
        changed = (
            Card.update(deck=target.id, modified_at=_now(col))
            .where(where & (Card.deck != target.id))
            .execute()
        )
    return BulkResult(matched, changed)


def _duplicates(keys: list[str]) -> set[str]:
    seen: set[str] = set()
    twice = set()
    for key in keys:
        if key in seen:
            twice.add(key)
        seen.add(key)
    return twice


def _check_tag(tag: str) -> str:
    if not tag or any(ch.isspace() for ch in tag) or any(ord(ch) < 32 for ch in tag):
        raise UserError(f"invalid tag {tag!r}: a tag is one word without spaces")
    return tag


def tag_cards(
    col: Collection, query: str, add: tuple[str, ...] = (), remove: tuple[str, ...] = ()
) -> BulkResult:
    """Add and remove tags on the matches (compared ignoring case and accents, as search does)."""
    add = tuple(_check_tag(t) for t in add)
    remove_keys = {fold(_check_tag(t)) for t in remove}
    if not add and not remove_keys:
        raise UserError("name tags to add (+tag) or remove (-tag)")
    where = condition(col, query)
    if _count(where) == 0:
        return BulkResult(0, 0)
    backup_before_first_write_today(col)
    now = _now(col)
    with _writing(col):
        by_tags: dict[str, list[int]] = defaultdict(list)
        rows = list(Card.select(Card.id, Card.tags).where(where).tuples())
        for card_id, tags in rows:
            kept = [t for t in tags.split() if fold(t) not in remove_keys]
            have = {fold(t) for t in kept}
            for tag in add:
                if fold(tag) not in have:
                    kept.append(tag)
                    have.add(fold(tag))
            new = " ".join(kept)
            if new != tags:
                by_tags[new].append(card_id)
        for tags, ids in by_tags.items():
            for start in range(0, len(ids), _CHUNK):
                Card.update(tags=tags, modified_at=now).where(
                    Card.id.in_(ids[start : start + _CHUNK])
                ).execute()
    return BulkResult(len(rows), sum(len(ids) for ids in by_tags.values()))


def count_matches(col: Collection, query: str) -> int:
    """How many cards `query` matches (what `delete` asks the user to confirm)."""
    return _count(condition(col, query))


def delete_cards(col: Collection, query: str) -> BulkResult:
    """Delete the matches, after backing the collection file up.

    Their reviews stay in the log (the card reference becomes NULL) and the per-day sums in
    `day_stats` are untouched, so the statistics of past days do not change.
    """
    where = condition(col, query)
    if _count(where) == 0:
        return BulkResult(0, 0)
    backup = str(make_backup(col, "pre-delete")) if col.path is not None else None
    with _writing(col):
        changed = Card.delete().where(where).execute()
    return BulkResult(changed, changed, backup)
