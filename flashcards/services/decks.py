"""Decks as a user sees them: the `Parent::Child` tree and its new/due/suspended counts."""

from __future__ import annotations

import datetime as dt
import difflib

from peewee import fn

from flashcards.decks import names
from flashcards.decks.limits import shown
from flashcards.errors import UserError
from flashcards.services.collection import Collection
from flashcards.services.daily_limits import extras_today
from flashcards.services.deck_list import DayLimits, DeckCounts, Figures, home_list, split_counts
from flashcards.storage import Card, Deck, card_states, deck_rows
from flashcards.storage.binding import runs_on_collection


def normalise_deck_name(name: str) -> str:
    """`A :: B` → `A::B`; UserError for an empty name or part, or one too long or deep to store."""
    try:
        return names.validate(name)
    except names.InvalidDeckName as exc:
        raise UserError(f"invalid deck name {shown(exc.name)}: it {exc.reason}") from None


@runs_on_collection
def ensure_deck(col: Collection, name: str, description: str | None = None) -> Deck:
    """The deck of that name, creating it and any missing parents (as Anki does)."""
    name = normalise_deck_name(name)
    now = col.clock.now().replace(tzinfo=None)
    with col.db.atomic():
        for parent in names.ancestors(name):
            Deck.get_or_create(name=parent, defaults={"created_at": now})
        deck, created = Deck.get_or_create(
            name=name, defaults={"created_at": now, "description": description or ""}
        )
        if not created and description is not None and deck.description != description:
            deck.description = description
            deck.save()
    return deck


@runs_on_collection
def resolve_deck_name(col: Collection, name: str, *, missing_ok: bool = False) -> str:
    """The stored name of the deck a user typed on the command line.

    An exact name wins; otherwise the one deck whose name matches ignoring case ("muscle
    spasms"). No match, or several that differ only in case, is a UserError that suggests the
    closest deck name (difflib), so a typo costs one more try rather than a look at the list.
    With `missing_ok` (a command that creates the deck, such as `move`) no match gives the
    name as typed, normalised.
    """
    wanted = normalise_deck_name(name)
    names = [n for (n,) in Deck.select(Deck.name).tuples()]
    if wanted in names:
        return wanted
    same = sorted(n for n in names if n.casefold() == wanted.casefold())
    if len(same) == 1:
        return same[0]
    if same:
        raise UserError(f"deck name {shown(name)} is ambiguous: {' or '.join(map(shown, same))}")
    if missing_ok:
        return wanted
    by_folded = {n.casefold(): n for n in names}
    close = difflib.get_close_matches(wanted.casefold(), list(by_folded), n=1, cutoff=0.6)
    hint = f"; did you mean {shown(by_folded[close[0]])}?" if close else ""
    raise UserError(f"no deck named {shown(name)}{hint} (see `flashcards decks`)")


@runs_on_collection
def tree_deck_ids(col: Collection, name: str | None) -> list[int]:
    """Ids of a deck and all its subdecks; every deck when `name` is None."""
    decks = list(Deck.select(Deck.id, Deck.name).tuples())
    if name is None:
        return [deck_id for deck_id, _ in decks]
    wanted = normalise_deck_name(name)
    ids = [i for i, n in decks if names.in_tree(n, wanted)]
    if not ids:
        raise UserError(f"no deck named {name!r} (see `flashcards decks`)")
    return ids


def _subtree_sums(
    decks: list[tuple[int, str, str]], figures: dict[str, dict[int, int]]
) -> dict[str, dict[str, int]]:
    """Each deck's figures plus those of all its subdecks, in one pass up the tree.

    Longest names first, each deck hands its running sums to its nearest stored ancestor, so
    the work is one split of each name: linear in the names' total length.
    (Adding every deck to each of its ancestors built every ancestor's name, cubic in depth: a
    chain 2,000 decks deep took 17.6 s to list.)
    """
    sums = {
        name: {key: per.get(deck_id, 0) for key, per in figures.items()}
        for deck_id, name, _ in decks
    }
    for name in sorted(sums, key=len, reverse=True):
        parts = name.split(names.SEPARATOR)[:-1]
        parent = names.join(parts)
        while parts and parent not in sums:  # a missing middle level: hand on to the next one
            parts.pop()
            parent = names.join(parts)
        if parts:
            into, mine = sums[parent], sums[name]
            for key in into:
                into[key] += mine[key]
    return sums


@runs_on_collection
def deck_counts(
    col: Collection, today: dt.date | None = None, *, totals: bool = True
) -> list[DeckCounts]:
    """Counts for every deck, sorted by name; `totals=False` gives only what the home screen
    shows (the others None): new and due cards a review would offer today, as Anki's deck list.

    A few grouped queries whatever the size, each a range scan of the (deck, suspended, due)
    index, never of the card table. The card totals are the one figure that reads every card's
    index entry (half the time at 100,000 cards). New and due count what can be studied today
    (card_states: a buried card keeps its state but is not available): buried cards are few and
    found through their own partial index, then taken off the new and due counts, which gives
    `new_available` and `is_due` without a condition on `buried_until` in the big scans.
    Without totals, the new and due cards are counted only as far as the daily limits can use
    them (`_capped_figures`), so the home screen costs the same at a million cards as at a
    thousand.
    """
    today = today or col.clock.today()
    if not totals:
        return _home_counts(col, today)
    every_deck = Deck.select(Deck.id)
    unsuspended = Card.deck.in_(every_deck) & card_states.is_active()

    def per_deck(where=None) -> dict[int, int]:  # noqa: ANN001
        query = Card.select(Card.deck, fn.COUNT(Card.id)).group_by(Card.deck)
        return dict((query if where is None else query.where(where)).tuples())

    figures = {
        "cards": per_deck() if totals else {},
        "new": per_deck(unsuspended & card_states.is_new()),
        "due": per_deck(unsuspended & (Card.due <= today)),
        "suspended": per_deck(Card.deck.in_(every_deck) & card_states.is_suspended()),
        "buried": {},
    }
    hidden = (
        Card.select(Card.deck, Card.suspended, Card.due)
        .where(card_states.is_buried(today))
        .tuples()
    )
    for deck_id, is_suspended, due_on in hidden:
        if is_suspended:
            continue
        figures["buried"][deck_id] = figures["buried"].get(deck_id, 0) + 1
        if due_on is None:
            figures["new"][deck_id] -= 1
        elif due_on <= today:
            figures["due"][deck_id] -= 1
    decks = list(Deck.select(Deck.id, Deck.name, Deck.description).order_by(Deck.name).tuples())
    new_today, due_today = _offered_today(col, today, decks, figures)
    sums = _subtree_sums(decks, figures)
    return [
        DeckCounts(
            name=name,
            description=description,
            cards=sums[name]["cards"] if totals else None,
            new=sums[name]["new"],
            due=sums[name]["due"],
            suspended=sums[name]["suspended"],
            buried=sums[name]["buried"],
            new_today=new_today.get(deck_id, 0),
            due_today=due_today.get(deck_id, 0),
        )
        for deck_id, name, description in decks
    ]


def _offered_today(
    col: Collection,
    today: dt.date,
    decks: list[tuple[int, str, str]],
    figures: Figures | None,
) -> tuple[dict[int, int], dict[int, int]]:
    """New and due cards a review of each deck would offer today (see `deck_list.DayLimits`),
    from each deck's own new and due `figures` (None: counted here, up to the caps)."""
    day = DayLimits(
        {deck_id: name for deck_id, name, _ in decks},
        deck_rows.limit_rows(),
        deck_rows.studied_today(None, today),
        extras_today(col),
        col.settings,
    )
    one_per_note = col.settings.bury_siblings
    if figures is None:  # the home screen: counted no further than the limits can use
        figures = split_counts(deck_rows.capped_counts(today, *day.caps(), one_per_note))
    elif one_per_note:  # a review offers one new card a note: count those, as the queue takes
        new_cap, _ = day.caps()
        new_only = deck_rows.capped_counts(today, new_cap, 0, True)
        figures = {**figures, "new": split_counts(new_only)["new"]}
    return day.offered(figures)


def _home_counts(col: Collection, today: dt.date) -> list[DeckCounts]:
    decks = list(Deck.select(Deck.id, Deck.name, Deck.description).order_by(Deck.name).tuples())
    return home_list(decks, *_offered_today(col, today, decks, None))
