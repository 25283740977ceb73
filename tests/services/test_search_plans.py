"""The typical searches read an index, not every card, and the forms written for the indexes
select exactly the cards of the one definition of states (storage/card_states.py).

At 1,000,000 cards `is:new` read the whole table in id order (`due IS NULL` had no index of its
own: schema step 8 adds `card_new`) and a deck's due cards were sorted with their whole rows;
see bench/run.py's SEARCHES.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashcards.services.cards import SORTS, search_cards, search_select
from flashcards.services.collection import Collection
from flashcards.services.decks import ensure_deck
from flashcards.storage import Card, card_states

TODAY = dt.date(2026, 3, 2)  # the clock fixture's study day
DECKS = ("Lang", "Lang::French", "Other")


def _plan(col: Collection, query: str) -> list[str]:
    sql, params = search_select(col, query, limit=100).sql()
    return [row[3] for row in col.db.execute_sql("EXPLAIN QUERY PLAN " + sql, params)]


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("query", "index"),
    [
        ("is:new", "SCAN t1 USING INDEX card_new"),  # in id order: no sort
        ("deck:Lang is:due", "COVERING INDEX card_"),
        ("is:due", "COVERING INDEX card_"),
    ],
)
def test_state_searches_read_an_index_not_every_card(
    col: Collection, query: str, index: str
) -> None:
    """The first 100 matches come from an index alone: no step scans the card table (the only
    scan left is the deck names' index) and only ids are sorted."""
    ensure_deck(col, "Lang")
    plan = _plan(col, query)
    assert any(index in step for step in plan), plan
    assert not [step for step in plan if step.startswith("SCAN") and "INDEX" not in step], plan


# A card's state fields: due (days from today, or new), suspended, buried (days from today).
CARD_STATES = st.tuples(
    st.sampled_from(DECKS),
    st.one_of(st.none(), st.integers(-3, 3)),
    st.booleans(),
    st.one_of(st.none(), st.integers(-2, 2)),
)


def _card(col: Collection, deck: int, i: int, **state: object) -> None:
    now = col.clock.now().replace(tzinfo=None)
    Card.create(
        deck=deck,
        kind="basic",
        key=f"k{i}",
        front=f"front {i}",
        back="back",
        tags="",
        created_at=now,
        modified_at=now,
        **state,
    )


def _fill(col: Collection, cards: list[tuple[str, int | None, bool, int | None]]) -> None:
    decks = {name: ensure_deck(col, name) for name in DECKS}
    with col.db.atomic():
        Card.delete().execute()
        for i, (deck, due, suspended, buried) in enumerate(cards):
            _card(
                col,
                decks[deck],
                i,
                repetitions=0 if due is None else 2,
                interval=0 if due is None else 3,
                due=None if due is None else TODAY + dt.timedelta(days=due),
                suspended=suspended,
                buried_until=None if buried is None else TODAY + dt.timedelta(days=buried),
            )


def _ids(where: object) -> set[int]:
    return {card.id for card in Card.select(Card.id).where(where)}


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(cards=st.lists(CARD_STATES, max_size=12))
def test_the_index_forms_select_the_cards_of_the_states(
    col: Collection, cards: list[tuple[str, int | None, bool, int | None]]
) -> None:
    """`due_from_index` is `is_due`, and so is its negation; searching with a limit gives the
    first cards of the search without one."""
    _fill(col, cards)
    assert _ids(card_states.due_from_index(TODAY)) == _ids(card_states.is_due(TODAY))
    assert _ids(~card_states.due_from_index(TODAY)) == _ids(~card_states.is_due(TODAY))
    for query in ("is:new", "is:due", "-is:due", "deck:Lang is:due", "deck:Lang -is:new"):
        every = search_cards(col, query).cards
        for limit in (1, 3):
            first = search_cards(col, query, limit=limit)
            assert first.cards == every[:limit]
            assert first.more == (len(every) > limit)


@pytest.mark.parametrize("query", ["", "is:review", "deck:Lang"])
@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("descending", [False, True])
def test_a_limited_search_is_the_start_of_the_whole_one(
    col: Collection, query: str, sort: str, descending: bool
) -> None:
    """Either shape (the ids first for a deck or a state, the rows at once otherwise) keeps
    every sort's order, ties broken by id as before."""
    states = [(DECKS[i % 3], (i % 5) - 2 if i % 4 else None, i % 7 == 0, None) for i in range(30)]
    _fill(col, states)
    every = search_cards(col, query, sort=sort, descending=descending).cards
    assert len(every) >= 10
    for limit in (1, 5, len(every) - 1, len(every)):
        first = search_cards(col, query, sort=sort, descending=descending, limit=limit)
        assert first.cards == every[:limit]
        assert first.more == (limit < len(every))


@pytest.mark.parametrize("subdecks", [2, 120])
def test_a_deck_term_finds_every_matching_deck_however_many(col: Collection, subdecks: int) -> None:
    """A few matching decks are named by their ids, many (over 100) by a subquery: the same
    cards either way."""
    for i in range(subdecks):
        _card(col, ensure_deck(col, f"Many::D{i}"), i)
    ensure_deck(col, "Manyfold")
    assert len(search_cards(col, "deck:Many").cards) == subdecks
    assert len(search_cards(col, "deck:Many is:new", limit=10).cards) == min(subdecks, 10)
    assert search_cards(col, "deck:Manyfold").cards == ()
