"""`check_collection`: the checks behind `flashcards check`, on a file and on a server.

A server database has no file for `PRAGMA integrity_check`; its schema and values are checked
the same way, against the schema its version must have (names, nullability, keys, indexes,
triggers and rules), and a foreign trigger or rule on our tables is named.
"""

from __future__ import annotations

import pytest

from flashcards.clock import FixedClock
from flashcards.errors import UserError
from flashcards.services.collection import open_collection
from flashcards.services.health import check_collection
from flashcards.storage import SCHEMA_VERSION
from tests.conftest import add_cards


def _server_collection(url: str, clock: FixedClock) -> None:
    col = open_collection(url, clock=clock)
    add_cards(col, "Spanish", 3)
    col.db.close()


def _run(url: str, *statements: str) -> None:
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        for sql in statements:
            conn.cursor().execute(sql)
    finally:
        conn.close()


def test_a_healthy_server_collection_checks_ok_without_integrity(
    postgres_db: str, clock: FixedClock
) -> None:
    _server_collection(postgres_db, clock)
    report = check_collection(postgres_db)
    assert report.ok, report.problems
    assert report.integrity is None  # said so by `flashcards check`: SQLite's check only
    assert (report.version, report.cards) == (SCHEMA_VERSION, 3)


@pytest.mark.parametrize(
    ("statements", "problem"),
    [
        (
            (
                "CREATE FUNCTION wipe() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN DELETE FROM card; RETURN NULL; END $$",
                "CREATE TRIGGER wipe AFTER INSERT ON review_log "
                "FOR EACH ROW EXECUTE FUNCTION wipe()",
            ),
            "a foreign trigger wipe",
        ),
        (
            ("CREATE RULE wipe AS ON INSERT TO review_log DO ALSO DELETE FROM card",),
            "a foreign trigger wipe",
        ),
        (("DROP INDEX card_leech",), "no index card_leech"),
        (("ALTER TABLE card ADD COLUMN evil TEXT",), "the table card differs"),
        (("UPDATE card SET easiness = 5",), "3 card rows with a state out of range"),
    ],
)
def test_a_hostile_server_collection_is_named(
    postgres_db: str, clock: FixedClock, statements: tuple[str, ...], problem: str
) -> None:
    _server_collection(postgres_db, clock)
    _run(postgres_db, *statements)
    report = check_collection(postgres_db)
    assert not report.ok
    assert problem in report.summary()


def test_check_never_creates_a_file(tmp_path) -> None:
    with pytest.raises(UserError, match="no collection there to check"):
        check_collection(str(tmp_path / "nothing.db"))
    assert not (tmp_path / "nothing.db").exists()
