"""The card counters (`card_counts`, `due_counts`, schema_v6.py) stay exactly what the cards say.

Triggers keep them, and the CSV import counts its new cards itself. After random sequences of
everything that writes cards (add, answer, undo, suspend, bury, move, reset, reschedule,
delete, import, a deck deleted) the counters are compared with a recount of the cards, made
here from card_states' conditions through Peewee (not from the schema step's SQL, which would
make the check agree with itself). Restoring a backup, an .apkg with scheduling and the
v5 → v6 backfill are checked the same way.
"""

from __future__ import annotations

import datetime as dt
from contextlib import suppress
from itertools import count
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from peewee import SQL, Case, SqliteDatabase, fn
from playhouse.db_url import connect

from flashcards.clock import FixedClock
from flashcards.decks.apkg_write import write_apkg
from flashcards.decks.spec import CardSpec, DeckSpec, ImportedScheduling
from flashcards.errors import UserError
from flashcards.services.backup import make_backup
from flashcards.services.card_changes import (
    delete_cards,
    forget_cards,
    move_cards,
    set_due,
    suspend_cards,
    unsuspend_cards,
)
from flashcards.services.collection import Collection, open_collection
from flashcards.services.deck_changes import delete_deck
from flashcards.services.import_stream import stream_import
from flashcards.services.importer import import_paths
from flashcards.services.study import StudySession
from flashcards.storage import Card, card_states
from flashcards.storage.migrations import MIGRATIONS
from flashcards.storage.restore import restore_backup
from tests.conftest import add_cards

DECKS = ("A", "A::B", "C")


def recounted(col: Collection) -> tuple[list[tuple], list[tuple]]:
    """The counts by (deck, suspended, state, easiness) and by (deck, due), from the cards."""
    state = Case(
        None,
        [
            (card_states.is_new(), "new"),
            (card_states.is_learning(), "learning"),
            (card_states.is_young(), "young"),
            (card_states.is_mature(), "mature"),
        ],
    )
    n = fn.COUNT(SQL("*"))
    by_state = Card.select(Card.deck, Card.suspended, state, Card.easiness, n).group_by(
        Card.deck, Card.suspended, state, Card.easiness
    )
    by_due = (
        Card.select(Card.deck, Card.due, n)
        .where(card_states.is_active() & card_states.is_reviewed())
        .group_by(Card.deck, Card.due)
    )
    return (
        sorted((d, bool(s), st_, e, c) for d, s, st_, e, c in col.db.execute(by_state)),
        sorted((d, str(due), c) for d, due, c in col.db.execute(by_due)),
    )


def kept(col: Collection) -> tuple[list[tuple], list[tuple]]:
    """The counters' rows, those of no card left out (a count that fell to 0 says nothing)."""
    rows = col.db.execute_sql(
        'SELECT "deck_id", "suspended", "state", "easiness", "cards" FROM "card_counts"'
    ).fetchall()
    due = col.db.execute_sql('SELECT "deck_id", "due", "cards" FROM "due_counts"').fetchall()
    return (
        sorted((d, bool(s), st_, e, c) for d, s, st_, e, c in rows if c),
        sorted((d, str(day), c) for d, day, c in due if c),
    )


def assert_exact(col: Collection) -> None:
    assert kept(col) == recounted(col)


_keys = count()


def _answer(col: Collection, deck: str, grades: list[int], undo: int) -> None:
    session = StudySession(col, deck)
    for grade in grades:
        if session.current() is None:
            break
        session.answer(grade, duration_ms=1000)
    for _ in range(undo):
        if session.can_undo:
            session.undo()


def _import(col: Collection, folder: Path, deck: str, rows: int, streamed: bool) -> None:
    """A TSV through the importer, or straight through the streaming import, which a file
    this small would not reach (it is the one that counts its new cards itself)."""
    path = folder / f"import{next(_keys)}.tsv"
    path.write_text("".join(f"front {next(_keys)}\tback\n" for _ in range(rows)), "utf-8")
    if streamed:
        stream_import(col, [path], ["tsv"], deck=deck)
    else:
        import_paths(col, [path], deck=deck)


OPERATIONS = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(DECKS), st.integers(1, 6)),
    st.tuples(
        st.just("answer"),
        st.sampled_from(DECKS),
        st.lists(st.integers(0, 5), min_size=1, max_size=8),
        st.integers(0, 3),
    ),
    st.tuples(st.just("set_aside"), st.sampled_from(DECKS), st.sampled_from(["bury", "suspend"])),
    st.tuples(st.just("bulk"), st.sampled_from(DECKS), st.sampled_from(["suspend", "unsuspend"])),
    st.tuples(st.just("move"), st.sampled_from(DECKS), st.sampled_from(DECKS)),
    st.tuples(st.just("forget"), st.sampled_from(DECKS)),
    st.tuples(st.just("set_due"), st.sampled_from(DECKS), st.sampled_from(["0", "1-30"])),
    st.tuples(st.just("delete"), st.sampled_from(DECKS)),
    st.tuples(st.just("delete_deck"), st.sampled_from(DECKS)),
    st.tuples(
        st.just("import"), st.sampled_from(DECKS + ("New",)), st.integers(1, 40), st.booleans()
    ),
    st.tuples(st.just("next_day"), st.integers(1, 30)),
)


def _run(col: Collection, clock: FixedClock, folder: Path, op: tuple) -> None:
    kind, *args = op
    where = f'deck:"{args[0]}"' if args and args[0] in DECKS else ""
    if kind == "add":
        add_cards(col, args[0], args[1], prefix=f"k{next(_keys)}-")
    elif kind == "answer":
        _answer(col, args[0], args[1], args[2])
    elif kind == "set_aside":
        session = StudySession(col, args[0])
        if session.current() is not None:
            getattr(session, args[1])()
    elif kind == "import":
        _import(col, folder, args[0], args[1], args[2])
    elif kind == "next_day":
        clock.advance(days=args[0])
    elif kind == "bulk":
        (suspend_cards if args[1] == "suspend" else unsuspend_cards)(col, where)
    elif kind == "move":
        move_cards(col, where, args[1])
    elif kind == "forget":
        forget_cards(col, where)
    elif kind == "set_due":
        set_due(col, where, args[1])
    elif kind == "delete":
        delete_cards(col, where)
    elif kind == "delete_deck":
        delete_deck(col, args[0])


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(OPERATIONS, min_size=1, max_size=12))
def test_the_counters_equal_a_recount_after_any_writes(
    col: Collection, clock: FixedClock, tmp_path: Path, ops: list[tuple]
) -> None:
    """One collection for every example: each sequence starts where the last one left off."""
    for op in ops:
        with suppress(UserError):  # a refusal (no such deck, no card left) changes nothing
            _run(col, clock, tmp_path, op)
        assert_exact(col)


def test_an_anki_package_with_scheduling_is_counted(col: Collection, tmp_path: Path) -> None:
    today = col.clock.today()
    cards = []
    for i in range(12):
        scheduling = None
        if i % 3:
            due = today + dt.timedelta(days=i - 4)
            scheduling = ImportedScheduling(
                i % 4, i * 3, 130 + 10 * i, due, i % 2, suspended=i % 5 == 0
            )
        cards.append(CardSpec(f"a{i}", "basic", f"front {i}", "back", scheduling=scheduling))
    path = tmp_path / "deck.apkg"
    write_apkg(DeckSpec("Anki", "", tuple(cards)), path, today=today)
    import_paths(col, [path])
    assert_exact(col)
    assert sum(row[-1] for row in kept(col)[1]) > 0  # scheduled cards arrived scheduled


@pytest.mark.sqlite_only
def test_a_restored_backup_brings_its_own_exact_counts(db_path: Path, clock: FixedClock) -> None:
    col = open_collection(db_path, clock=clock)
    add_cards(col, "A", 8)
    _answer(col, "A", [5, 4, 3, 1], undo=1)
    backup = make_backup(db_path, "manual", clock=clock)
    saved = kept(col)
    add_cards(col, "C", 5)
    delete_deck(col, "A")
    col.close()
    restore_backup(db_path, backup, clock=clock)
    col = open_collection(db_path, clock=clock)
    try:
        assert kept(col) == saved
        assert_exact(col)
    finally:
        col.close()


def test_a_version_5_collection_is_counted_when_it_is_upgraded(
    db_target: str, clock: FixedClock
) -> None:
    """On either backend: the step counts the cards that are there."""
    db = connect(db_target) if "://" in db_target else SqliteDatabase(db_target)
    for step in range(1, 6):
        MIGRATIONS[step](db)
    db.execute_sql("INSERT INTO meta (key, value) VALUES ('schema_version', '5')")
    db.execute_sql(
        "INSERT INTO deck (name, description, created_at) VALUES ('Old', '', '2025-01-01')"
    )
    # new, learning, young, mature, suspended; two alike so a count is more than 1
    p, stamp = db.param, "2025-01-01 00:00:00"
    for reps, interval, easiness, due, suspended in (
        (0, 0, 250, None, False),
        (0, 0, 250, None, False),
        (1, 1, 230, "2025-01-02", False),
        (3, 10, 250, "2025-01-20", False),
        (5, 40, 270, "2025-03-01", False),
        (4, 30, 170, "2025-02-01", True),
    ):
        db.execute_sql(
            "INSERT INTO card (deck_id, key, kind, front, back, tags, ordinal, repetitions,"
            " interval, easiness, due, lapses, suspended, created_at, modified_at) VALUES"
            f" (1, {p}, 'basic', 'f', 'b', '', 0, {p}, {p}, {p}, {p}, 0, {p}, {p}, {p})",
            (f"k{next(_keys)}", reps, interval, easiness, due, suspended, stamp, stamp),
        )
    db.close()
    col = open_collection(db_target, clock=clock)
    try:
        assert_exact(col)
        states, due = kept(col)
        assert [(s[1], s[2], s[4]) for s in states] == [
            (False, "learning", 1),
            (False, "mature", 1),
            (False, "new", 2),
            (False, "young", 1),
            (True, "mature", 1),
        ]
        assert [d[1] for d in due] == ["2025-01-02", "2025-01-20", "2025-03-01"]
    finally:
        col.close()


def test_many_cards_a_statement_are_counted_as_one_by_one(col: Collection) -> None:
    """PostgreSQL counts a statement's inserted or deleted cards at once (schema step 9): cards
    of every state, suspended or not, in two decks, inserted in one statement and deleted in
    another, leave the counters what a recount says."""
    add_cards(col, "A", 1)
    add_cards(col, "C", 1)
    decks = sorted({c.deck_id for c in Card.select()})
    today = col.clock.today()
    stamp = col.clock.now().replace(tzinfo=None)
    rows = [
        {
            "deck": decks[i % len(decks)],
            "key": f"bulk{i}",
            "front": f"front {i}",
            "back": "back",
            "repetitions": i % 4,
            "interval": (i * 7) % 40,
            "easiness": 130 + 10 * (i % 5),
            "due": None if i % 3 == 0 else today + dt.timedelta(days=i % 6 - 2),
            "suspended": i % 4 == 0,
            "created_at": stamp,
            "modified_at": stamp,
        }
        for i in range(80)
    ]
    Card.insert_many(rows).execute()
    assert_exact(col)
    Card.delete().where(Card.key.startswith("bulk") & (Card.easiness >= 150)).execute()
    assert_exact(col)
