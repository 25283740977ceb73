"""Search queries against a hand-built collection: each result is the set of cards worked out by
hand from the table below, not from the implementation. Runs on SQLite and on PostgreSQL
(FLASHCARDS_TEST_BACKEND=postgresql), through the service the CLI uses.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from peewee import fn

from flashcards.errors import UserError
from flashcards.services.cards import SORTS, condition, count_matches, search_cards
from flashcards.services.collection import Collection
from flashcards.services.decks import ensure_deck
from flashcards.storage import Card, Review

TODAY = dt.date(2026, 3, 2)  # the clock fixture's study day


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


# label: deck, kind, key, front, back, tags, state fields
CARDS = {
    "cafe": ("Lang::French", "basic", "cafe", "Café", "coffee", "food drink", {}),
    "coffee": ("Lang::French", "basic", "cafe::reverse", "coffee", "Café", "food", {}),
    "heart": ("Other", "cloze", "heart::c1", "The {{c1::heart}} beats", "", "body::heart", {}),
    "paris": ("Other", "type", "paris", "Capital of France?", "Paris", "geo", {"old": True}),
    "overdue": (
        "Lang",
        "basic",
        "overdue",
        "Overdue one",
        "late",
        "",
        {"repetitions": 3, "interval": 30, "easiness": 210, "due": day(-2), "lapses": 2},
    ),
    "dog": (
        "Langue",
        "basic",
        "dog",
        "Dog",
        "chien",
        "Animal",
        {"repetitions": 2, "interval": 5, "easiness": 250, "due": day(5)},
    ),
    "hard": (
        "Other",
        "basic",
        "hard",
        "Hard",
        "very",
        "leech",
        {
            "repetitions": 1,
            "interval": 1,
            "easiness": 130,
            "due": day(-1),
            "lapses": 8,
            "suspended": True,
        },
    ),
    "etre": (
        "Lang::French::Verbs",
        "basic",
        "etre",
        "être",
        "to be",
        "verb irregular",
        {"buried_until": day(1)},
    ),
}
ALL = set(CARDS)
NEW = {"cafe", "coffee", "heart", "paris", "etre"}


@pytest.fixture
def ids(col: Collection) -> dict[str, int]:
    """The collection above, plus a review log: overdue today (4), dog yesterday (1), hard ten
    days ago (0), and a review whose card was deleted (its card reference is NULL)."""
    now = col.clock.now().replace(tzinfo=None)
    ensure_deck(col, "Langue")
    made = {}
    with col.db.atomic():
        for label, (deck, kind, key, front, back, tags, state) in CARDS.items():
            state = dict(state)
            created = now - dt.timedelta(days=10) if state.pop("old", False) else now
            made[label] = Card.create(
                deck=ensure_deck(col, deck),
                kind=kind,
                key=key,
                front=front,
                back=back,
                tags=tags,
                created_at=created,
                modified_at=created,
                **state,
            ).id
        for label, offset, quality in (
            ("overdue", 0, 4),
            ("dog", -1, 1),
            ("hard", -10, 0),
            (None, 0, 5),
        ):
            Review.create(
                card=made[label] if label else None,
                reviewed_at=now,
                review_day=day(offset),
                quality=quality,
                before_repetitions=1,
                before_interval=1,
                before_easiness=250,
                after_repetitions=2,
                after_interval=6,
                after_easiness=250,
            )
    return made


CASES = [
    ("", ALL),
    ("cafe", {"cafe", "coffee"}),
    ("CAFÉ", {"cafe", "coffee"}),
    ("coffee", {"cafe", "coffee"}),
    ("etre", {"etre"}),
    ("ÊTRE", {"etre"}),
    ('"to be"', {"etre"}),
    ("c*fe", {"cafe", "coffee"}),
    ("front:coffee", {"coffee"}),
    ("front:cof*", {"coffee"}),
    ("front:coff", set()),
    ("back:paris", {"paris"}),
    ("deck:Lang", {"cafe", "coffee", "overdue", "etre"}),
    ("deck:lang::french", {"cafe", "coffee", "etre"}),
    ("deck:Lang::*", {"cafe", "coffee", "etre"}),
    ("deck:Lang*", {"cafe", "coffee", "overdue", "etre", "dog"}),
    ("deck:Nope", set()),
    ("tag:food", {"cafe", "coffee"}),
    ("tag:FOOD", {"cafe", "coffee"}),
    ("tag:foo", set()),
    ("tag:body", {"heart"}),
    ("tag:body::*", {"heart"}),
    ("tag:heart", set()),
    ("tag:animal", {"dog"}),
    ("tag:f*d", {"cafe", "coffee"}),
    ("tag:v*r", set()),  # "verb irregular": no one tag runs from v to r
    ("tag:*lar", {"etre"}),
    ("is:new", NEW),
    ("is:review", {"overdue", "dog", "hard"}),
    ("is:due", {"overdue"}),
    ("is:suspended", {"hard"}),
    ("is:buried", {"etre"}),
    ("-is:buried", ALL - {"etre"}),
    ("is:leech", {"hard"}),
    ("type:basic", {"cafe", "overdue", "dog", "hard", "etre"}),
    ("type:reverse", {"coffee"}),
    ("type:cloze", {"heart"}),
    ("type:type", {"paris"}),
    ("prop:ivl>=5", {"overdue", "dog"}),
    ("prop:ivl<5", {"hard"}),
    ("prop:due<=0", {"overdue", "hard"}),
    ("prop:due<0", {"overdue", "hard"}),
    ("prop:due=5", {"dog"}),
    ("prop:due>-2", {"dog", "hard"}),
    ("-prop:due<=0", ALL - {"overdue", "hard"}),
    ("prop:ease<2.0", {"hard"}),
    ("prop:ease=2.1", {"overdue"}),
    ("prop:lapses>1", {"overdue", "hard"}),
    ("prop:reps=0", NEW),
    ("prop:reps!=0", {"overdue", "dog", "hard"}),
    ("added:3", ALL - {"paris"}),
    ("added:11", ALL),
    ("rated:1", {"overdue"}),
    ("rated:2", {"overdue", "dog"}),
    ("rated:2:1", {"dog"}),
    ("rated:30:0", {"hard"}),
    ("-rated:1", ALL - {"overdue"}),
    ("dog OR etre", {"dog", "etre"}),
    ("deck:Lang -tag:food", {"overdue", "etre"}),
    ("(tag:food OR tag:geo) -type:reverse", {"cafe", "paris"}),
    ("-(tag:food OR tag:geo)", ALL - {"cafe", "coffee", "paris"}),
    ('re:"^c.f"', {"cafe", "coffee"}),
    ("front:re:\\?$", {"paris"}),
    ("re:^v", {"etre", "hard"}),  # the tags "verb irregular", the back "very"
    ("is:new is:buried OR is:suspended", {"etre", "hard"}),
]


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[q or "empty" for q, _ in CASES])
def test_query_finds_exactly(
    col: Collection, ids: dict[str, int], query: str, expected: set[str]
) -> None:
    by_id = {v: k for k, v in ids.items()}
    result = search_cards(col, query)
    assert {by_id[c.id] for c in result.cards} == expected
    assert not result.more
    assert count_matches(col, query) == len(expected)


def test_ids(col: Collection, ids: dict[str, int]) -> None:
    result = search_cards(col, f"id:{ids['dog']},{ids['hard']},999999")
    assert {c.id for c in result.cards} == {ids["dog"], ids["hard"]}


def test_limit_says_more_match_and_sorts(col: Collection, ids: dict[str, int]) -> None:
    result = search_cards(col, "is:review", sort="due", limit=2)
    assert result.more
    assert not search_cards(col, "is:review", limit=3).more
    assert [c.id for c in result.cards] == [ids["overdue"], ids["hard"]]
    result = search_cards(col, "", sort="lapses", descending=True, limit=1)
    assert [c.id for c in result.cards] == [ids["hard"]]


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_orders_every_card(
    col: Collection, ids: dict[str, int], sort: str, descending: bool
) -> None:
    cards = search_cards(col, "", sort=sort, descending=descending).cards
    assert sorted(c.id for c in cards) == sorted(ids.values())
    if sort == "deck":  # each deck's cards together (the order of names is the collation's)
        names = [c.deck for c in cards]
        runs = [name for i, name in enumerate(names) if i == 0 or names[i - 1] != name]
        assert len(runs) == len(set(names))


def test_rows_carry_type_and_state(col: Collection, ids: dict[str, int]) -> None:
    rows = {c.id: c for c in search_cards(col, "").cards}
    assert (rows[ids["coffee"]].type, rows[ids["coffee"]].state) == ("reverse", "new")
    assert (rows[ids["hard"]].state, rows[ids["hard"]].ease) == ("suspended", 1.3)
    assert rows[ids["etre"]].state == "buried"
    assert (rows[ids["overdue"]].state, rows[ids["overdue"]].due) == ("mature", day(-2))
    assert rows[ids["dog"]].state == "young"


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("query", "index"),
    [
        ("is:leech", "card_leech"),
        ("deck:Lang is:due", "card_deck_state"),
        ("rated:7", "review_log_review_day"),
        ("is:suspended", "card_suspended_due_deck_id"),
    ],
)
def test_state_terms_use_the_indexes(
    col: Collection, ids: dict[str, int], query: str, index: str
) -> None:
    """The count every bulk operation starts with reads an index, not every card."""
    sql, params = Card.select(fn.COUNT(Card.id)).where(condition(col, query)).sql()
    plan = " ".join(row[3] for row in col.db.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
    assert index in plan


QUERY_PIECES = st.sampled_from(
    [
        "dog",
        "café",
        "É",
        "a b",
        "*",
        "\\*",
        "%",
        "_",
        "'",
        '"x y"',
        "(",
        ")",
        "-",
        " OR ",
        " ",
        "front:",
        "back:",
        "deck:",
        "tag:",
        "re:",
        "is:due",
        "is:leech",
        "type:reverse",
        "prop:due<=",
        "prop:ease>",
        "1",
        "2.5",
        "-3",
        "added:",
        "rated:",
        "id:",
        ",",
        ":",
        "Lang::*",
        "::",
        "\\",
        "[",
        "^",
        "$",
        "?",
        "ß",
        "\x00",
        "\x1b",
    ]
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(query=st.lists(QUERY_PIECES, max_size=12).map("".join))
def test_any_query_runs_or_is_the_users_error(
    col: Collection, ids: dict[str, int], query: str
) -> None:
    """Whatever the parser accepts, the database runs: no SQL error reaches the user as a bug."""
    try:
        result = search_cards(col, query, limit=5)
    except UserError as exc:
        assert "\n" not in str(exc)
        return
    assert len(result.cards) <= 5


def test_the_postgresql_fold_table_leaves_ascii_alone() -> None:
    """PostgreSQL folds ASCII text with lower() alone and skips translate() (search_sql.py):
    right only while the table maps no ASCII character."""
    from flashcards.search.fold import latin_fold_table

    source, _ = latin_fold_table()
    assert source and all(ord(c) > 127 for c in source)


def test_postgresql_estimates_how_many_cards_a_word_matches(col: Collection) -> None:
    """Schema step 10's statistics of the folded text: the planner's estimate of a text search
    follows the cards (without them it guessed 0.5 % of any table, and read every card sorted by
    id where it could have stopped at the hundredth match in id order)."""
    if col.db.param != "%s":
        pytest.skip("PostgreSQL's planner estimate")
    (version,) = col.db.execute_sql("SHOW server_version_num").fetchone()
    if int(version) < 140000:
        pytest.skip("statistics on expressions came with PostgreSQL 14")
    deck = ensure_deck(col, "Common")
    stamp = col.clock.now().replace(tzinfo=None)
    rows = [
        {"deck": deck.id, "key": f"c{i}", "front": f"Common wörd {i}", "back": "b"}
        for i in range(400)
    ]
    Card.insert_many([{**r, "created_at": stamp, "modified_at": stamp} for r in rows]).execute()
    col.db.execute_sql('ANALYZE "card"')
    sql, params = Card.select(Card.id).where(condition(col, "common")).sql()
    (plan,) = col.db.execute_sql("EXPLAIN (FORMAT JSON) " + sql, params).fetchone()
    assert plan[0]["Plan"]["Plan Rows"] > 200
