"""The review screen when a write fails or the collection changes under it: a one-line notice,
the card stays (or the next one shows), and the same key tries again; never a crash."""

from __future__ import annotations

import pytest

from flashcards.storage import Card, Review
from flashcards.storage.dialect import is_sqlite
from flashcards.ui.screens.edit_card import EditCardScreen
from flashcards.ui.screens.review import ReviewScreen
from tests.conftest import add_cards
from tests.ui.helpers import shown


def messages(app) -> list[str]:
    return [n.message for n in app.notices]


def read_only(col, on: bool) -> None:
    sql = (
        "PRAGMA query_only = {}" if is_sqlite(col.db) else "SET default_transaction_read_only = {}"
    )
    col.db.execute_sql(sql.format(int(on)))


async def test_undo_on_a_read_only_collection_is_a_notice_and_can_be_retried(col, make_app):
    add_cards(col, "U", 2)
    app = make_app(start_review="U")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("space", "5")
        assert shown(app.screen, "#question") == "q front 1"
        read_only(col, True)
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert any("read-only" in m and "Not undone" in m for m in messages(app))
        assert all("\n" not in m for m in messages(app))
        assert shown(app.screen, "#question") == "q front 1"
        read_only(col, False)
        await pilot.press("u")
        await pilot.pause()
        assert shown(app.screen, "#question") == "q front 0"
    assert Review.select().count() == 0


async def test_edit_on_a_read_only_collection_keeps_the_dialog_to_retry(col, make_app):
    (card,) = add_cards(col, "E", 1)
    app = make_app(start_review="E")
    async with app.run_test(size=(100, 32)) as pilot:
        read_only(col, True)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditCardScreen)
        await pilot.press("x", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EditCardScreen)  # still open, the typed text kept
        assert any("read-only" in m for m in messages(app))
        assert Card.get_by_id(card).front == "q front 0"
        read_only(col, False)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert shown(app.screen, "#question") == "xq front 0"
    assert Card.get_by_id(card).front == "xq front 0"


async def test_editing_a_card_deleted_elsewhere_closes_the_dialog_and_skips_it(col, make_app):
    c0, _ = add_cards(col, "F", 2)
    app = make_app(start_review="F")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        Card.delete().where(Card.id == c0).execute()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert shown(app.screen, "#question") == "q front 1"
        assert any("deleted" in m for m in messages(app))


async def test_grading_a_card_deleted_elsewhere_skips_to_the_next(col, make_app):
    c0, _ = add_cards(col, "D", 2)
    app = make_app(start_review="D")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("space")
        Card.delete().where(Card.id == c0).execute()  # as `import --prune` in another process
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert shown(app.screen, "#question") == "q front 1"
        assert sum("deleted" in m for m in messages(app)) == 1
        await pilot.press("space", "4")
        await pilot.pause()
    assert Review.select().count() == 1


@pytest.mark.sqlite_only  # 2**63-1 fits SQLite's integer, not PostgreSQL's
async def test_failing_a_card_with_huge_lapses_does_not_crash(col, make_app):
    (card,) = add_cards(col, "L", 1)
    Card.update(lapses=2**63 - 1, repetitions=3, interval=10).where(Card.id == card).execute()
    app = make_app(start_review="L")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("space", "1")
        await pilot.pause()
    assert Review.select().count() == 1
    assert Card.get_by_id(card).lapses < 2**63 - 1


async def test_a_next_card_that_cannot_be_read_waits_for_space(col, make_app, monkeypatch):
    """The answer is saved, but the server goes down before the next card is read: a notice,
    no grade goes to a card not on screen, and space reads the next card once it is back."""
    from flashcards.errors import UserError

    add_cards(col, "S", 2)
    app = make_app(start_review="S")
    async with app.run_test(size=(100, 32)) as pilot:
        session = app.screen.session
        real_current = session.current
        down = True

        def current():
            if down and session.answered:  # the answer is saved: reading the next card fails
                raise UserError("db: cannot reach the database server")
            return real_current()

        monkeypatch.setattr(session, "current", current)
        await pilot.press("space", "5")
        await pilot.pause()
        assert Review.select().count() == 1
        assert app.screen.stale and any("try again" in m for m in messages(app))
        await pilot.press("4", "b", "!")  # nothing happens to a card the user cannot see
        assert Review.select().count() == 1 and not Card.select().where(Card.suspended).count()
        assert not Card.select().where(Card.buried_until.is_null(False)).count()
        down = False
        await pilot.press("space")
        await pilot.pause()
        assert not app.screen.stale and shown(app.screen, "#question") == "q front 1"


async def test_more_new_cards_on_a_read_only_collection_is_a_notice(col, make_app):
    from dataclasses import replace

    from flashcards.services.study import StudySession
    from flashcards.ui.screens.nothing_due import NothingDueScreen

    col.settings = replace(col.settings, new_per_day=1)
    add_cards(col, "N", 3)
    StudySession(col, "N").answer(5)
    app = make_app(start_review="N")
    async with app.run_test(size=(100, 32)) as pilot:
        assert isinstance(app.screen, NothingDueScreen)
        read_only(col, True)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NothingDueScreen)
        assert any("read-only" in m for m in messages(app))
        read_only(col, False)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


@pytest.mark.sqlite_only  # another connection holds SQLite's one write lock
async def test_undo_and_edit_on_a_busy_collection_are_notices(col, make_app, db_path):
    import sqlite3

    add_cards(col, "B", 2)
    app = make_app(start_review="B")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("space", "5")
        col.db.execute_sql("PRAGMA busy_timeout = 20")
        holder = sqlite3.connect(db_path)
        holder.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("u")
            await pilot.pause()
            assert any("busy" in m and "Not undone" in m for m in messages(app))
            await pilot.press("e")
            await pilot.pause()
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, EditCardScreen)
            assert any("busy" in m and "Not saved" in m for m in messages(app))
        finally:
            holder.rollback()
            holder.close()
        await pilot.press("escape", "u")
        await pilot.pause()
        assert shown(app.screen, "#question") == "q front 0"
    assert Review.select().count() == 0
