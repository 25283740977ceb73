"""The trigram index narrows a search (storage/search_index.py) and never changes its result.

The result with the index must be the plain scan's, card for card, whatever the cards hold
(accents, case, LIKE's `%` and `_`, backslashes, letters that fold to two) and however the
index lags (cards indexed, edited since, added since, deleted): random cards and queries are
searched both ways. The triggers and the bulk import's listing are checked on their own.
"""

from __future__ import annotations

import itertools
import sys
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashcards.errors import UserError
from flashcards.search import fold
from flashcards.services import search_upkeep
from flashcards.services.cards import count_matches, search_cards
from flashcards.services.collection import Collection
from flashcards.services.decks import ensure_deck
from flashcards.services.importer import import_paths
from flashcards.services.search_upkeep import REFRESH_AT
from flashcards.storage import SCHEMA_VERSION, Card, search_index
from flashcards.storage.schema_check import schema_problems
from flashcards.storage.search_text_tables import PENDING, STATE, TABLE
from flashcards.storage.search_trigrams import trigram_query

pytestmark = pytest.mark.sqlite_only
_KEYS = itertools.count()

ALPHABET = "aAbBcCeEéÉèßSsﬁfiİiıIΣσςKK%_\\ *:-\"'()ǅ\u0301\u0345ŒœØø日本😀\n\t"
TEXT = st.text(alphabet=ALPHABET, max_size=14)
SPECIAL = set(' "()-:*\\\t\n')


def _listed(col: Collection) -> set[int]:
    return {r[0] for r in col.db.execute_sql(f'SELECT "card_id" FROM "{PENDING}"')}


def _upto(col: Collection) -> int:
    return col.db.execute_sql(f'SELECT "upto" FROM "{STATE}"').fetchone()[0]


def _add(col: Collection, front: str, back: str = "", tags: str = "") -> int:
    now = col.clock.now().replace(tzinfo=None)
    deck = ensure_deck(col, "D")
    card = Card.create(
        deck=deck, key=f"k{next(_KEYS)}", front=front, back=back,
        tags=tags, created_at=now, modified_at=now,
    )  # fmt: skip
    return card.id


def _term(text: str, swap_case: bool, strip: bool) -> str:
    """A query word for a piece of card text: its special characters escaped."""
    if strip:
        text = fold(text)
    if swap_case:
        text = text.swapcase()
    return "".join("\\" + ch if ch in SPECIAL else ch for ch in text)


@st.composite
def queries(draw: st.DrawFn, texts: list[str]) -> str:
    """One to three terms, each a piece of a card's text (so that many match), its case
    swapped or its accents folded, bare, negated, or inside a field (`front:*…*`)."""
    terms = []
    for _ in range(draw(st.integers(1, 3))):
        source = draw(st.sampled_from(texts)) if texts else draw(TEXT)
        start = draw(st.integers(0, max(len(source) - 3, 0)))
        piece = source[start : start + draw(st.integers(1, 8))] or "x"
        field = draw(st.sampled_from(["", "", "", "-", "front:*", "back:*", "tag:*"]))
        word = _term(piece, draw(st.booleans()), draw(st.booleans()))
        terms.append(field + word + ("*" if field.endswith("*") else ""))
    return draw(st.sampled_from([" ", " OR "])).join(terms)


def _both_ways(col: Collection, query: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def run() -> tuple[list[int], int] | str:
        try:
            return [c.id for c in search_cards(col, query).cards], count_matches(col, query)
        except UserError as exc:
            return str(exc)

    narrowed = run()
    with monkeypatch.context() as m:
        m.setattr(search_index, "candidates", lambda db, match: None)
        assert run() == narrowed, query


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_the_index_gives_the_scans_results(
    col: Collection, monkeypatch: pytest.MonkeyPatch, data: st.DataObject
) -> None:
    Card.delete().execute()  # every example from the same empty state
    for sql in (f'DELETE FROM "{TABLE}"', f'DELETE FROM "{PENDING}"', 'DELETE FROM "deck"'):
        col.db.execute_sql(sql)
    # New cards above `upto` (not indexed) or at or below it (listed by the insert trigger):
    upto = data.draw(st.sampled_from([0, 10**9]))
    col.db.execute_sql(f'UPDATE "{STATE}" SET "upto" = ?', (upto,))
    cards = data.draw(st.lists(st.tuples(TEXT, TEXT, TEXT), min_size=1, max_size=12))
    ids = [_add(col, *card) for card in cards]
    search_index.refresh(col.db)
    changed = []  # the texts the index does not hold yet: most queries are drawn from them
    for card_id in data.draw(st.lists(st.sampled_from(ids), max_size=3)):  # edited since
        front, tags = data.draw(TEXT), data.draw(TEXT)
        Card.update(front=front, tags=tags).where(Card.id == card_id).execute()
        changed += [front, tags]
    for card_id in data.draw(st.lists(st.sampled_from(ids), max_size=2)):  # deleted since
        Card.delete().where(Card.id == card_id).execute()
    for card in data.draw(st.lists(st.tuples(TEXT, TEXT, TEXT), max_size=3)):
        _add(col, *card)  # added since (one may take a deleted card's id)
        changed += card
    if data.draw(st.booleans()):
        search_index.refresh(col.db)
    texts = [t for row in Card.select(Card.front, Card.back, Card.tags).tuples() for t in row]
    for _ in range(4):
        _both_ways(col, data.draw(queries([t for t in changed * 4 + texts if t])), monkeypatch)


def test_fold_is_its_own_fixed_point_on_every_code_point() -> None:
    """What makes the index's query a superset of a raw `LIKE` match (search_trigrams.py)."""
    broken = []
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        folded = fold(chr(code))
        if fold(folded) != folded:
            broken.append(hex(code))
    assert broken == []


def test_a_search_for_nothing_reads_the_index_not_the_cards(col: Collection) -> None:
    for i in range(30):
        _add(col, f"Crème brûlée {i}", "dessert", "food")
    search_index.refresh(col.db)
    assert search_index.behind(col.db) == 0
    where = search_index.candidates(col.db, trigram_query_of("zqxj"))
    assert where is not None
    sql, params = Card.select(Card.id).where(where).sql()
    plan = " ".join(str(r[-1]) for r in col.db.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
    assert "SEARCH card USING INTEGER PRIMARY KEY" in plan or "rowid=?" in plan, plan
    assert "SCAN t1" not in plan and "SCAN card" not in plan, plan
    assert search_cards(col, "zqxj").cards == ()
    assert len(search_cards(col, "CREME BRULEE").cards) == 30


def trigram_query_of(query: str) -> str:
    from flashcards.search import parse_query

    match = trigram_query(parse_query(query))
    assert match is not None
    return match


@pytest.mark.parametrize(
    ("query", "narrowed"),
    [
        ("dog", True),
        ("do", False),  # under three characters: nothing to narrow by
        ("re:dog", False),
        ("-dog", False),
        ("dog OR do", False),
        ("dog OR cat", True),
        ("do dog", True),
        ("tag:animal", True),
        ("is:new", False),
        ("is:new dog", True),
    ],
)
def test_which_queries_the_index_narrows(query: str, narrowed: bool) -> None:
    from flashcards.search import parse_query

    assert (trigram_query(parse_query(query)) is not None) == narrowed


def test_the_triggers_list_what_changes_text_and_nothing_else(col: Collection) -> None:
    first, second, third = (_add(col, f"card {i}") for i in range(3))
    search_index.refresh(col.db)
    assert _listed(col) == set() and _upto(col) == third
    Card.update(due=col.clock.today(), interval=3).where(Card.id == first).execute()  # an answer
    Card.update(front="card 0").where(Card.id == first).execute()  # the same text
    assert _listed(col) == set()
    Card.update(back="changed").where(Card.id == first).execute()
    Card.delete().where(Card.id == second).execute()
    assert _listed(col) == {first, second}
    fourth = _add(col, "new card")  # above upto: read as not indexed, not listed
    assert fourth > third and _listed(col) == {first, second}
    assert search_index.refresh(col.db) == 3
    assert _listed(col) == set() and _upto(col) == fourth
    Card.delete().where(Card.id == fourth).execute()
    search_index.refresh(col.db)
    reused = _add(col, "reuses the id")  # SQLite gives the largest id again
    assert reused == fourth and _listed(col) == {reused}
    assert [c.id for c in search_cards(col, "reuses").cards] == [reused]


def test_a_bulk_import_leaves_its_cards_to_the_worker_and_the_trigger_in_place(
    col: Collection, tmp_path
) -> None:
    _add(col, "before the import")
    search_index.refresh(col.db)
    tsv = tmp_path / "big.tsv"
    tsv.write_text("".join(f"Frage {i}\tRéponse numéro {i}\n" for i in range(REFRESH_AT + 5)))
    import_paths(col, [tsv], deck="Imported")
    assert schema_problems(col.db, SCHEMA_VERSION) == []  # the insert trigger is back as it was
    assert search_index.behind(col.db) == REFRESH_AT + 5
    assert len(search_cards(col, "reponse numero 1004").cards) == 1  # read the slow way
    col.wait_for_workers()  # that search started the worker
    assert search_index.behind(col.db) == 0
    assert len(search_cards(col, "RÉPONSE NUMÉRO 100").cards) == 6  # 100, 1000..1004
    assert len(search_cards(col, "zqxj").cards) == 0


def test_an_index_folded_with_another_unicode_version_is_not_used_until_rebuilt(
    col: Collection,
) -> None:
    card = _add(col, "Straße")
    col.db.execute_sql(f'UPDATE "{STATE}" SET "unicode" = \'1.0\'')
    assert search_index.candidates(col.db, trigram_query_of("strasse")) is None
    assert [c.id for c in search_cards(col, "strasse").cards] == [card]
    search_index.refresh(col.db)
    version = col.db.execute_sql(f'SELECT "unicode" FROM "{STATE}"').fetchone()[0]
    assert version == unicodedata.unidata_version
    assert search_index.candidates(col.db, trigram_query_of("strasse")) is not None
    assert [c.id for c in search_cards(col, "strasse").cards] == [card]


def test_the_worker_stops_after_a_few_chunks_and_a_later_search_goes_on(
    col: Collection, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closing the collection waits for the worker: one run never takes a big import whole."""
    monkeypatch.setattr(search_upkeep, "CHUNK", 500)
    monkeypatch.setattr(search_upkeep, "CHUNKS_A_RUN", 2)
    tsv = tmp_path / "big.tsv"
    tsv.write_text("".join(f"Frage {i}\tAntwort {i}\n" for i in range(2500)))
    import_paths(col, [tsv], deck="Imported")
    search_cards(col, "antwort 7")
    col.wait_for_workers()
    assert search_index.behind(col.db) == 1500
    search_cards(col, "antwort 7")
    col.wait_for_workers()
    assert search_index.behind(col.db) == 500  # under REFRESH_AT: left for later
    search_cards(col, "antwort 7")
    assert not col.worker_running(search_upkeep.WORKER)
    assert len(search_cards(col, "antwort 2499").cards) == 1
