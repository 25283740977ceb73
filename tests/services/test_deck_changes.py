"""Deck operations and per-deck limits, on a real collection with a FixedClock."""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import replace

import pytest

from flashcards.clock import FixedClock
from flashcards.errors import UserError
from flashcards.services.collection import Collection
from flashcards.services.daily_limits import raise_new_limit_today
from flashcards.services.deck_changes import (
    create_deck,
    delete_deck,
    rename_deck,
    set_deck_options,
)
from flashcards.services.decks import deck_counts
from flashcards.services.study import StudySession
from flashcards.storage import Card, Deck, Review
from flashcards.storage.backups import list_backups
from tests.conftest import add_cards, run_cli


def _names() -> list[str]:
    return sorted(name for (name,) in Deck.select(Deck.name).tuples())


def _today(col: Collection) -> dict[str, tuple[int, int]]:
    return {c.name: (c.new_today, c.due_today) for c in deck_counts(col)}


def _study_all(col: Collection, deck: str) -> int:
    session = StudySession(col, deck)
    answered = 0
    while session.current() is not None:
        session.answer(5)
        answered += 1
    return answered


def test_create_refuses_an_existing_deck(col: Collection) -> None:
    assert create_deck(col, " A :: B ", "about b") == "A::B"
    assert _names() == ["A", "A::B"]
    with pytest.raises(UserError, match="already exists"):
        create_deck(col, "A::B")


def test_rename_takes_the_subdecks_along_and_refuses_a_clash(col: Collection) -> None:
    ids = add_cards(col, "A::B::C", 2) + add_cards(col, "A", 1, prefix="top")
    add_cards(col, "X", 1, prefix="x")
    assert rename_deck(col, "A", "New::Name") == 3
    assert _names() == ["New", "New::Name", "New::Name::B", "New::Name::B::C", "X"]
    assert {Card.get_by_id(i).deck.name for i in ids} == {"New::Name::B::C", "New::Name"}
    with pytest.raises(UserError, match="'X' already exists"):
        rename_deck(col, "New::Name", "X")
    with pytest.raises(UserError, match="its own subdeck"):
        rename_deck(col, "New", "New::Sub")
    assert "X" in _names() and "New::Name" in _names()


def test_delete_takes_subdecks_and_cards_but_keeps_the_log(
    col: Collection, clock: FixedClock
) -> None:
    add_cards(col, "A::B", 3)
    add_cards(col, "Keep", 1, prefix="k")
    assert _study_all(col, "A") == 3
    report = delete_deck(col, "A")
    assert (report.decks, report.cards) == (2, 3)
    if col.path is None:  # a server collection: backups are the server's own tools
        assert report.backup is None
    else:
        assert report.backup is not None and report.backup.name.endswith("-pre-delete.db")
        assert [b.reason for b in list_backups(col.path)].count("pre-delete") == 1
    assert _names() == ["Keep"] and Card.select().count() == 1
    assert (
        Review.select().count() == 3 and Review.select().where(Review.card.is_null()).count() == 3
    )
    with pytest.raises(UserError, match="no deck named"):
        delete_deck(col, "A")


def test_limits_child_own_parent_cap_and_global_default_over_days(
    col: Collection, clock: FixedClock
) -> None:
    col.settings = replace(col.settings, new_per_day=4)
    add_cards(col, "P::A", 10, prefix="a")
    add_cards(col, "P::B", 10, prefix="b")
    add_cards(col, "Other", 10, prefix="o")
    # the global default: each deck 4, a parent's default also caps its subtree
    assert _today(col) == {"Other": (4, 0), "P": (4, 0), "P::A": (4, 0), "P::B": (4, 0)}
    set_deck_options(col, "P", new_per_day=6)
    set_deck_options(col, "P::A", new_per_day=2)  # the child's own
    assert _today(col) == {"Other": (4, 0), "P": (6, 0), "P::A": (2, 0), "P::B": (6, 0)}
    offered = []
    for _day in range(3):
        offered.append(_today(col)["P"][0])
        session = StudySession(col, "P")
        assert session.counts().new == offered[-1]  # the review offers what the count said
        _study_all(col, "P")
        assert _today(col)["P"][0] == 0
        clock.advance(days=1)
    assert offered == [6, 6, 4]  # day 3: A's 2, and B's last 2 (of 10)
    a_done = Card.select().join(Deck).where(Deck.name == "P::A", Card.due.is_null(False))
    assert a_done.count() == 6  # 2 a day: the child's own limit
    set_deck_options(col, "P", reset=True)
    set_deck_options(col, "P::A", reset=True)
    assert _today(col)["P::A"][0] == 4  # back to the settings' default


def test_the_counts_and_the_review_agree(col: Collection, clock: FixedClock) -> None:
    add_cards(col, "D::E", 30)
    set_deck_options(col, "D", new_per_day=5, reviews_per_day=3)
    assert _today(col)["D"] == (5, 0)
    assert StudySession(col, "D").counts().new == 5
    assert _study_all(col, "D") == 5
    clock.advance(days=1)  # five reviews due, three allowed; five new again
    assert _today(col)["D"] == (5, 3)
    counts = StudySession(col, "D").counts()
    assert (counts.new, counts.review) == (5, 3)
    raise_new_limit_today(col, "D", 2)
    assert _today(col)["D"] == (7, 3) and StudySession(col, "D").counts().new == 7


def test_limits_are_checked(col: Collection) -> None:
    add_cards(col, "D", 1)
    with pytest.raises(UserError, match="from 0 to"):
        set_deck_options(col, "D", new_per_day=-1)
    with pytest.raises(UserError, match="no deck named"):
        set_deck_options(col, "Nope", new_per_day=1)


def test_the_deck_commands_checked_with_decks_json(
    db_target: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = ("--db", db_target)

    def decks() -> dict[str, dict]:
        code, out, err = run_cli(capsys, *db, "decks", "--json")
        assert code == 0, err
        return {d["name"]: d for d in json.loads(out)}

    bundled = decks()["Muscle spasms"]
    assert (bundled["new"], bundled["new_today"], bundled["due_today"]) == (47, 20, 0)
    assert run_cli(capsys, *db, "decks", "create", "Lang::French")[0] == 0
    assert run_cli(capsys, *db, "add", "Lang::French", "chat", "cat")[0] == 0
    assert run_cli(capsys, *db, "decks", "rename", "Lang", "Languages")[1] == (
        "Renamed Lang to Languages (with 1 subdeck)\n"
    )
    assert set(decks()) == {"Muscle spasms", "Languages", "Languages::French"}
    assert run_cli(capsys, *db, "decks", "set", "Muscle spasms", "--new-per-day", "5")[0] == 0
    assert decks()["Muscle spasms"]["new_today"] == 5
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    code, _, err = run_cli(capsys, *db, "decks", "delete", "Languages")
    assert code == 1 and "pass --yes" in err and "Languages" in decks()
    code, out, _ = run_cli(capsys, *db, "decks", "delete", "Languages", "--yes")
    assert code == 0 and out.startswith("Deleted 2 deck(s) and 1 card(s)")
    assert set(decks()) == {"Muscle spasms"}
    code, _, err = run_cli(capsys, *db, "decks", "rename", "Nope", "X")
    assert code == 1 and err.startswith("flashcards: no deck named")


def test_a_full_subdeck_does_not_stop_the_queue_at_its_first_page(
    col: Collection, clock: FixedClock
) -> None:
    """The due cards are read a page at a time, no more than the caps can take: when the most
    overdue cards belong to a subdeck whose own cap is full, the next page still fills the
    parent's room from the other subdeck (2 of A's 20, then 8 of B's, for P's 10)."""
    a = add_cards(col, "P::A", 20, prefix="a")
    b = add_cards(col, "P::B", 20, prefix="b")
    today = clock.today()
    for offset, ids in ((30, a), (10, b)):  # A's cards are the most overdue
        Card.update(due=today - dt.timedelta(days=offset), repetitions=2, interval=6).where(
            Card.id.in_(ids)
        ).execute()
    set_deck_options(col, "P", reviews_per_day=10, new_per_day=0)
    set_deck_options(col, "P::A", reviews_per_day=2)
    ids = [card_id for card_id, _queue in StudySession(col, "P").pending()]
    assert ids == a[:2] + b[:8]
