"""The SQL behind decks as a person organises them: limits, today's studied counts, renames."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from peewee import SQL, Expression, ModelSelect, Select, fn

from flashcards.storage import card_states
from flashcards.storage.dialect import is_sqlite
from flashcards.storage.models import Card, DayStat, Deck, Review


def limit_rows() -> list[tuple[int, str, int | None, int | None]]:
    """Every deck's (id, name, new_per_day, reviews_per_day); None where it inherits."""
    query = Deck.select(Deck.id, Deck.name, Deck.new_per_day, Deck.reviews_per_day)
    return list(query.tuples())


def studied_today(deck_ids: Iterable[int] | None, day: dt.date) -> dict[int, tuple[int, int]]:
    """Per deck, (new cards started, reviews answered) on `day`, drills left out; every deck
    when `deck_ids` is None.

    Read from `day_stats`, which files each answer under the deck its card was in when it was
    answered, and not from the review log joined to the cards: that join would move today's
    answers with a card moved to another deck, and drop those of a deleted card, so moving or
    deleting the cards you studied would give a deck its daily limit back. As Anki's per-deck
    "studied today" counters, what was studied in a deck today stays counted there.
    """
    reviews = DayStat.answers - DayStat.drills - DayStat.new_cards
    query = (
        DayStat.select(DayStat.deck_id, fn.SUM(DayStat.new_cards), fn.SUM(reviews))
        .where(DayStat.day == day)
        .group_by(DayStat.deck_id)
    )
    if deck_ids is not None:
        query = query.where(DayStat.deck_id.in_(list(deck_ids)))
    return {deck: (int(new or 0), int(rev or 0)) for deck, new, rev in query.tuples()}


def capped_counts_query(
    today: dt.date, new_cap: int, due_cap: int, one_per_note: bool
) -> ModelSelect:
    """Per deck: (id, new cards, due cards) that may be shown today, each counted no further
    than its cap (not suspended, not buried; see `card_states`).

    A fast path for the home screen, which shows what a review would offer today: the daily
    limits cap that, so counting past the largest cap is wasted, and a full count reads every
    due card's index entry (half a million at 1,000,000 cards). A LIMIT inside each deck's
    subquery stops the count at the cap: a range of at most `cap` entries of the covering
    `card_deck_state` index per deck, whatever the deck's size. Buried cards, few, are left out
    through their partial index, so no card row is read. With `one_per_note` (siblings are
    buried) the new cards counted are those that open their note today, as the queue takes
    them (`card_states.first_new_of_note`): that reads each counted card's row and its siblings'
    index entries, at most `new_cap` cards a deck.
    """
    buried = Card.select(Card.id).where(card_states.is_buried(today))  # uncorrelated: run once

    def capped(state: Expression, cap: int, *order: Expression) -> Select:
        shown = (Card.deck == Deck.id) & card_states.is_active() & state & Card.id.not_in(buried)
        inner = Card.select(SQL("1")).where(shown).order_by(*order).limit(max(0, cap))
        return Select([inner.alias("capped")], [fn.COUNT(SQL("*"))])

    new = card_states.new_for_queue(today, one_per_note)
    # PostgreSQL counted each deck's due cards through a bitmap of all its cards (9 ms a deck at
    # 100,000 cards); in due order it walks the (suspended, due, deck_id) index (0.9 ms). The
    # order changes nothing counted, and SQLite reads its covering index in that order anyway.
    due_order = () if is_sqlite(Card._meta.database.obj) else (Card.due,)
    return Deck.select(
        Deck.id, capped(new, new_cap), capped(Card.due <= today, due_cap, *due_order)
    )


def capped_counts(
    today: dt.date, new_cap: int, due_cap: int, one_per_note: bool
) -> dict[int, tuple[int, int]]:
    """Each deck's (new, due) cards available today, counted up to the caps (see the query)."""
    query = capped_counts_query(today, new_cap, due_cap, one_per_note).tuples()
    return {deck_id: (new, due) for deck_id, new, due in query}


def set_limits(deck_id: int, new_per_day: int | None, reviews_per_day: int | None) -> None:
    Deck.update(new_per_day=new_per_day, reviews_per_day=reviews_per_day).where(
        Deck.id == deck_id
    ).execute()


def set_description(deck_id: int, description: str) -> None:
    Deck.update(description=description).where(Deck.id == deck_id).execute()


def subtree(name: str, separator: str) -> list[tuple[int, str]]:
    """(id, name) of the deck called `name` and every deck below it."""
    query = Deck.select(Deck.id, Deck.name).where(
        (Deck.name == name) | Deck.name.startswith(name + separator)
    )
    return list(query.tuples())


def rename(deck_id: int, name: str) -> None:
    Deck.update(name=name).where(Deck.id == deck_id).execute()


def names_taken(names: Iterable[str]) -> list[str]:
    wanted = list(names)
    found: list[str] = []
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found += [n for (n,) in Deck.select(Deck.name).where(Deck.name.in_(chunk)).tuples()]
    return found


def delete_decks(deck_ids: list[int]) -> int:
    """Delete the decks and their cards; the log keeps the answers (their card set to NULL).

    Returns how many cards went. `day_stats` is left as it is: past days' figures stay.
    """
    cards = 0
    for start in range(0, len(deck_ids), 500):
        chunk = deck_ids[start : start + 500]
        card_ids = Card.select(Card.id).where(Card.deck.in_(chunk))
        Review.update(card=None).where(Review.card.in_(card_ids)).execute()
        cards += Card.delete().where(Card.deck.in_(chunk)).execute()
        Deck.delete().where(Deck.id.in_(chunk)).execute()
    return cards


def card_count(deck_ids: list[int]) -> int:
    total = 0
    for start in range(0, len(deck_ids), 500):
        total += Card.select().where(Card.deck.in_(deck_ids[start : start + 500])).count()
    return total
