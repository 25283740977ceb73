"""Database errors: a user's problem is one line (by SQLite result code or PostgreSQL SQLSTATE),
a bug keeps its traceback, and a damaged schema version never loops through backups."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from peewee import OperationalError

from flashcards.cli import main
from flashcards.errors import UserError
from flashcards.storage import Meta, open_database
from flashcards.storage.database import classify_error, describe_error, run_write


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    path = tmp_path / "collection.db"
    open_database(path).close()
    return path


def test_a_busy_collection_is_one_line(sqlite_file: Path) -> None:
    db = open_database(sqlite_file)
    db.execute_sql("PRAGMA busy_timeout = 20")
    holder = sqlite3.connect(sqlite_file)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(UserError, match="busy") as err:
            run_write(db, lambda: Meta.put("x", "1"), str(sqlite_file))
    finally:
        holder.rollback()
        holder.close()
        db.close()
    assert str(err.value).startswith(str(sqlite_file)) and "\n" not in str(err.value)


def test_a_read_only_collection_is_one_line(sqlite_file: Path) -> None:
    db = open_database(sqlite_file)
    db.execute_sql("PRAGMA query_only = 1")
    try:
        with pytest.raises(UserError, match="read-only"):
            run_write(db, lambda: Meta.put("x", "1"), str(sqlite_file))
    finally:
        db.close()


def test_a_bug_keeps_its_traceback(sqlite_file: Path) -> None:
    """ "no such column" is our SQL's fault, not the user's: it must not become a user error."""
    db = open_database(sqlite_file)
    try:
        with pytest.raises(OperationalError, match="no such column"):
            run_write(db, lambda: db.execute_sql("SELECT nope FROM meta"), str(sqlite_file))
        try:
            db.execute_sql("SELECT nope FROM meta")
        except OperationalError as exc:
            assert classify_error(exc) is None
            with pytest.raises(OperationalError, match="no such column"):
                describe_error(exc, str(sqlite_file))
    finally:
        db.close()


@pytest.mark.parametrize(
    ("code", "meaning"),
    [
        (sqlite3.SQLITE_BUSY, "busy"),
        (sqlite3.SQLITE_BUSY_SNAPSHOT, "busy"),  # an extended code: its low byte counts
        (sqlite3.SQLITE_LOCKED, "busy"),
        (sqlite3.SQLITE_READONLY, "read-only"),
        (sqlite3.SQLITE_READONLY_DBMOVED, "read-only"),
        (sqlite3.SQLITE_FULL, "disk is full"),
        (sqlite3.SQLITE_IOERR_WRITE, "I/O error"),
        (sqlite3.SQLITE_CANTOPEN, "cannot open"),
        (sqlite3.SQLITE_NOTADB, "not a flashcards collection"),
        (sqlite3.SQLITE_CORRUPT, "not a flashcards collection"),
        (sqlite3.SQLITE_ERROR, None),  # "no such column": our SQL, a bug
        (sqlite3.SQLITE_CONSTRAINT_UNIQUE, None),
        (sqlite3.SQLITE_MISUSE, None),
    ],
)
def test_sqlite_errors_are_classified_by_result_code(code: int, meaning: str | None) -> None:
    exc = sqlite3.OperationalError("the message does not matter")
    exc.sqlite_errorcode = code
    wrapped = OperationalError(exc)  # as peewee raises it, the driver's error inside
    if meaning is None:
        with pytest.raises(OperationalError):
            describe_error(wrapped, "c.db")
    else:
        message = str(describe_error(wrapped, "c.db"))
        assert message.startswith("c.db: ") and meaning in message


def test_an_error_without_a_code_is_a_bug() -> None:
    with pytest.raises(sqlite3.ProgrammingError):
        describe_error(sqlite3.ProgrammingError("Cannot operate on a closed database."), "c.db")


def test_an_error_message_never_shows_a_password() -> None:
    exc = sqlite3.OperationalError("database is locked")
    exc.sqlite_errorcode = sqlite3.SQLITE_BUSY
    message = str(describe_error(exc, "postgresql://u:hunter2@h/db"))
    assert "hunter2" not in message and "u:***@h/db" in message


@pytest.mark.parametrize("version", ["abc", "-5", "", "1.5", "99999999999999999999"])
def test_a_schema_version_that_is_not_valid_is_one_line_and_makes_no_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], version: str
) -> None:
    path = tmp_path / "collection.db"
    assert main(["--db", str(path), "decks"]) == 0
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (version,))
    conn.commit()
    conn.close()
    backups_before = sorted((tmp_path / "backups").glob("*"))
    for _ in range(2):  # a second run must neither loop nor back up again
        capsys.readouterr()
        assert main(["--db", str(path), "decks"]) == 1
        err = capsys.readouterr().err
        assert "schema version" in err and "is not valid" in err
        assert len(err.strip().splitlines()) == 1
    assert sorted((tmp_path / "backups").glob("*")) == backups_before
    assert not any("pre-migration" in p.name for p in backups_before)


def test_a_server_url_with_reserved_characters_is_one_line_without_the_password() -> None:
    pytest.importorskip("psycopg2")
    url = "postgresql://u:pa/ss#wo?rd@127.0.0.1:1/db"  # nothing listens on port 1
    with pytest.raises(UserError) as err:
        open_database(url)
    message = str(err.value)
    assert "cannot reach the database server" in message and "\n" not in message
    assert "pa/ss" not in message and "rd@" not in message and "u:***@127.0.0.1:1/db" in message


def _foreign_tables(path: Path) -> None:
    """Tables with our names and other columns: someone else's database (or a hostile one)."""
    conn = sqlite3.connect(path)
    for table in ("meta", "deck", "card", "review_log"):
        conn.execute(f"CREATE TABLE {table} (x)")
    conn.commit()
    conn.close()


def test_a_meta_table_of_another_shape_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "other.db"
    _foreign_tables(path)
    assert main(["--db", str(path), "decks"]) == 1
    err = capsys.readouterr().err
    assert "not a flashcards collection" in err and len(err.strip().splitlines()) == 1


def test_restoring_a_backup_with_tables_of_another_shape_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "backup.db"
    _foreign_tables(backup)
    assert main(["--db", str(tmp_path / "collection.db"), "restore", str(backup)]) == 1
    err = capsys.readouterr().err
    assert "not a flashcards collection" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("?foo=bar", "an option the database driver does not know"),
        ("?password=other&connect_timeout=2", "cannot reach the database server"),
    ],
)
def test_url_options_are_one_line(query: str, words: str) -> None:
    pytest.importorskip("psycopg2")
    with pytest.raises(UserError, match=words) as err:
        open_database(f"postgresql://u:topsecret@127.0.0.1:1/db{query}")
    assert "topsecret" not in str(err.value) and "other" not in str(err.value)
