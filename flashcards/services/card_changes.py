"""Changing the cards a query matches: suspend, unsuspend, forget, set due, move, tag, delete.

Every operation parses its query before it touches the collection, so a bad query changes
nothing; it counts the matches first (a query the database refuses fails there, before any
write) and makes its change in one write transaction whose UPDATE or DELETE carries the compiled
search condition, so the database does the matching in the statement that changes the cards.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from peewee import DatabaseError

from flashcards.errors import UserError
from flashcards.sanitize import clean_line
from flashcards.scheduler import MAX_INTERVAL, START_EASINESS
from flashcards.search import fold
from flashcards.services.backup import backup_before_first_write_today, make_backup
from flashcards.services.cards import condition, count_where
from flashcards.services.collection import Collection
from flashcards.services.decks import ensure_deck
from flashcards.storage import Card, card_states
from flashcards.storage.binding import runs_on_collection
from flashcards.storage.database import describe_error, write_transaction

MAX_SET_DUE_DAYS = MAX_INTERVAL  # the scheduler's interval cap: due dates stay representable
_CHUNK = 500
_DAYS_RE = re.compile(r"(\d{1,5})(?:-(\d{1,5}))?")


@dataclass(frozen=True)
class BulkResult:
    """How many cards matched the query and how many of them the operation changed."""

    matched: int
    changed: int
    backup: str | None = None  # the backup taken first (delete), if any


def _now(col: Collection) -> dt.datetime:
    return col.clock.now().replace(tzinfo=None)


@contextlib.contextmanager
def _writing(col: Collection) -> Iterator[None]:
    """One write transaction; a busy, read-only or full collection is the user's one-line error
    (the transaction is rolled back, so nothing changed)."""
    try:
        with write_transaction(col.db):
            yield
    except DatabaseError as exc:
        raise describe_error(exc, col.target) from None


def _update(col: Collection, query: str, values: dict, unchanged) -> BulkResult:  # noqa: ANN001
    """Set `values` on the matching cards that are not already `unchanged`, in one transaction."""
    where = condition(col, query)
    if count_where(where) == 0:
        return BulkResult(0, 0)
    backup_before_first_write_today(col)
    with _writing(col):
        matched = count_where(where)
        changed = Card.update(**values, modified_at=_now(col)).where(where & ~unchanged).execute()
    return BulkResult(matched, changed)


@runs_on_collection
def suspend_cards(col: Collection, query: str) -> BulkResult:
    return _update(col, query, {"suspended": True}, card_states.is_suspended())


@runs_on_collection
def unsuspend_cards(col: Collection, query: str) -> BulkResult:
    """Unsuspend the matches (a leech keeps its tag, so `tag:leech` still finds it)."""
    return _update(col, query, {"suspended": False}, card_states.is_active())


@runs_on_collection
def forget_cards(col: Collection, query: str) -> BulkResult:
    """Make the matches new again; their review log stays (so do the statistics of past days)."""
    pristine = (
        Card.due.is_null()
        & (Card.repetitions == 0)
        & (Card.interval == 0)
        & (Card.easiness == START_EASINESS)
        & (Card.lapses == 0)
        & Card.buried_until.is_null()
    )
    values = {
        "repetitions": 0,
        "interval": 0,
        "easiness": START_EASINESS,
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


@runs_on_collection
def set_due(col: Collection, query: str, days: str, rng: random.Random | None = None) -> BulkResult:
    """Make the matches due in `days` (`0` today, `3-7` spread at random over that range).

    A new card becomes a review card due that day. `rng` is injected so tests are repeatable.
    """
    low, high = parse_days(days)
    where = condition(col, query)
    if count_where(where) == 0:
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


@runs_on_collection
def move_cards(col: Collection, query: str, deck: str) -> BulkResult:
    """Move the matches into `deck` (created, with its parents, if missing).

    Cards are matched on re-import by their key within a deck, so two cards with one key cannot
    share a deck: such a move is refused whole.
    """
    where = condition(col, query)
    if count_where(where) == 0:
        return BulkResult(0, 0)
    backup_before_first_write_today(col)
    with _writing(col):
        target = ensure_deck(col, deck)
        matched = count_where(where)
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


def parse_tag_edits(edits: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`["+a", "-b"]` → (("a",), ("b",)); anything without a sign is the user's error."""
    add, remove = [], []
    for edit in edits:
        if len(edit) < 2 or edit[0] not in "+-":
            raise UserError(f"tag edits are +tag or -tag, not {clean_line(edit)!r}")
        (add if edit[0] == "+" else remove).append(edit[1:])
    if not add and not remove:
        raise UserError("name tags to add (+tag) or remove (-tag)")
    return tuple(add), tuple(remove)


@runs_on_collection
def tag_cards(
    col: Collection, query: str, add: tuple[str, ...] = (), remove: tuple[str, ...] = ()
) -> BulkResult:
    """Add and remove tags on the matches (compared ignoring case and accents, as search does)."""
    add = tuple(_check_tag(t) for t in add)
    remove_keys = {fold(_check_tag(t)) for t in remove}
    if not add and not remove_keys:
        raise UserError("name tags to add (+tag) or remove (-tag)")
    where = condition(col, query)
    if count_where(where) == 0:
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


@runs_on_collection
def delete_cards(col: Collection, query: str) -> BulkResult:
    """Delete the matches, after backing the collection file up.

    Their reviews stay in the log (the card reference becomes NULL) and the per-day sums in
    `day_stats` are untouched, so the statistics of past days do not change.
    """
    where = condition(col, query)
    if count_where(where) == 0:
        return BulkResult(0, 0)
    backup = str(make_backup(col, "pre-delete")) if col.path is not None else None
    with _writing(col):
        changed = Card.delete().where(where).execute()
    return BulkResult(changed, changed, backup)
