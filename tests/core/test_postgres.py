"""A collection on a real PostgreSQL server: what differs from SQLite at the boundary.

The behaviour itself is covered by running tests/core, tests/services and tests/stats with
FLASHCARDS_TEST_BACKEND=postgresql; these check what only a server has: its connection failures,
its triggers, and that messages never show a password. Skipped without a server.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import pytest

from flashcards.clock import FixedClock
from flashcards.errors import UserError
from flashcards.services.collection import open_collection
from flashcards.services.study import StudySession
from flashcards.storage import SCHEMA_VERSION, Meta, open_database
from flashcards.storage.binding import bound
from flashcards.storage.database import display_location
from flashcards.storage.models import Review
from tests.conftest import START, _admin, add_cards


def _with(url: str, **parts: str) -> str:
    return urlunsplit(urlsplit(url)._replace(**parts))


def drop_connections(server: str, database_url: str) -> None:
    """What a server restart does to our clients: every connection to the database is cut."""
    name = urlsplit(database_url).path.lstrip("/")
    _admin(
        server,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{name}' AND pid <> pg_backend_pid()",
    )


def test_a_new_server_database_gets_the_schema_and_triggers(postgres_db: str) -> None:
    db = open_database(postgres_db)
    try:
        with bound(db):  # open_database binds nothing: the test reads through the models
            assert Meta.get_by_id("schema_version").value == str(SCHEMA_VERSION)
            tables = ["card", "card_counts", "day_stats", "deck", "due_counts", "media"]
            tables += ["media_file", "meta", "review_log"]
            assert sorted(db.get_tables()) == tables
            triggers = db.execute_sql(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname"
            ).fetchall()
            assert [t for (t,) in triggers] == [
                "card_counts_after_delete",  # schema step 6
                "card_counts_after_insert",
                "card_counts_after_update",
                "card_front_key_stale",  # schema step 5
                "day_stats_after_answer",
                "day_stats_after_undo",
                "due_counts_after_delete",  # schema step 6
                "due_counts_after_insert",
                "due_counts_after_update",
            ]
            Meta.put("x", "1")
            Meta.put("x", "2")
            assert Meta.get_by_id("x").value == "2"
    finally:
        db.close()
    reopened = open_database(postgres_db)  # a second open migrates nothing
    reopened.close()


def test_server_failures_are_one_line(postgres_server: str) -> None:
    down = _with(postgres_server, netloc="postgres@127.0.0.1:1")
    with pytest.raises(UserError, match="cannot reach the database server") as err:
        open_database(down)
    assert "\n" not in str(err.value)
    missing = _with(postgres_server, path="/flashcards_no_such_database")
    with pytest.raises(UserError, match="no such database on the server"):
        open_database(missing)


def test_messages_mask_the_password() -> None:
    assert display_location("postgresql://u:s3cret@h:5432/db") == "postgresql://u:***@h:5432/db"
    assert display_location("/home/u/collection.db") == "/home/u/collection.db"


@pytest.mark.parametrize("password", ["p%2Fw%23d%3F%40%25", "p/w#d?x@y"])
def test_a_password_with_reserved_characters_connects(postgres_db: str, password: str) -> None:
    """Percent-encoded or typed raw, the password is the driver's, not part of the host."""
    parts = urlsplit(postgres_db)
    url = f"postgresql://{parts.username}:{password}@{parts.hostname}:{parts.port}{parts.path}"
    open_database(url).close()


def test_a_grade_after_the_server_dropped_the_connection_reconnects(
    postgres_server: str, postgres_db: str
) -> None:
    """As after a server restart: the next grade reconnects once and is saved, no traceback."""
    with open_collection(postgres_db, clock=FixedClock(START)) as col:
        add_cards(col, "R", 3)
        session = StudySession(col, "R")
        session.answer(5)
        drop_connections(postgres_server, postgres_db)
        session.answer(4)
        drop_connections(postgres_server, postgres_db)
        assert session.current() is not None  # a read reconnects too
        session.undo()
        assert Review.select().count() == 1
        drop_connections(postgres_server, postgres_db)
        assert Review.select().count() == 1  # so does any screen's query outside a session


def test_a_failed_write_never_shows_the_password(postgres_db: str) -> None:
    """What the TUI's error toast shows (the UserError's text) has the password masked."""
    parts = urlsplit(postgres_db)
    url = f"postgresql://{parts.username}:hunter2@{parts.hostname}:{parts.port}{parts.path}"
    with open_collection(url, clock=FixedClock(START)) as col:  # trust auth: any password will do
        add_cards(col, "S", 1)
        session = StudySession(col, "S")
        col.db.execute_sql("SET default_transaction_read_only = 1")
        with pytest.raises(UserError, match="read-only") as err:
            session.answer(5)
    assert "hunter2" not in str(err.value) and f"{parts.username}:***@" in str(err.value)


def test_a_bug_on_the_server_keeps_its_traceback(postgres_db: str) -> None:
    """SQLSTATE 42703 (undefined column) is our SQL's fault: re-raised, not a user error."""
    from peewee import ProgrammingError

    from flashcards.storage.database import run_write

    db = open_database(postgres_db)
    try:
        with pytest.raises(ProgrammingError, match="nope"):
            run_write(db, lambda: db.execute_sql("SELECT nope FROM meta"), postgres_db)
        db.execute_sql("SELECT 1")  # the connection is still usable afterwards
    finally:
        db.close()


def test_while_the_server_is_down_every_change_is_one_line_and_changes_nothing(
    postgres_server: str, postgres_db: str
) -> None:
    """The server goes away for good (here: reconnecting is pointed at a closed port)."""
    with open_collection(postgres_db, clock=FixedClock(START)) as col:
        add_cards(col, "Down", 2)
        session = StudySession(col, "Down")
        session.answer(5)
        port = col.db.connect_params["port"]
        col.db.connect_params["port"] = 1
        drop_connections(postgres_server, postgres_db)
        queues = (session.pending(), session.undo_depth)
        for change in (lambda: session.answer(4), session.undo_step, session.bury):
            with pytest.raises(UserError, match="cannot reach the database server") as err:
                change()
            assert "\n" not in str(err.value)
            assert (session.pending(), session.undo_depth) == queues
        col.db.connect_params["port"] = port  # the server is back
        session.answer(4)
        assert Review.select().count() == 2
