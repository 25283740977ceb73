"""open_database on real files: pragmas, schema version, refusal of newer schemas, indexes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from flashcards.errors import UserError
from flashcards.storage import SCHEMA_VERSION, Meta, open_database
from flashcards.storage.binding import bound

# open_database on a file: pragmas, sqlite3 writes, path errors, SQLite's query plans.
pytestmark = pytest.mark.sqlite_only


def test_new_database_gets_schema_and_pragmas(tmp_path: Path) -> None:
    db = open_database(tmp_path / "c.db")
    with bound(db):
        assert Meta.get(Meta.key == "schema_version").value == str(SCHEMA_VERSION)
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert db.execute_sql("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    db.close()


def test_reopening_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    open_database(path).close()
    db = open_database(path)
    tables = ["card", "card_counts", "day_stats", "deck", "due_counts", "media", "media_file"]
    tables += ["meta", "review_log"]
    # the search's trigram index (FTS5 and its own tables), its state and waiting list
    index = ["config", "content", "data", "docsize", "idx", "pending", "state"]
    assert db.get_tables() == [*tables, "search_text", *(f"search_text_{t}" for t in index)]
    db.close()


def test_newer_schema_is_refused_naming_both_versions(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    open_database(path).close()
    with sqlite3.connect(path) as raw:
        raw.execute(
            "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),)
        )
    with pytest.raises(UserError) as err:
        open_database(path)
    message = str(err.value)
    assert f"schema version {SCHEMA_VERSION + 1}" in message
    assert f"reads up to {SCHEMA_VERSION}" in message


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: p.mkdir(), "is a directory"),
        (
            lambda p: p.write_bytes(b"not a database at all, just text" * 40),
            "not a flashcards collection",
        ),
        (lambda p: None, "does not exist"),
    ],
    ids=["directory", "not-sqlite", "missing-folder"],
)
def test_bad_targets_are_user_errors(tmp_path: Path, make, words: str) -> None:
    target = tmp_path / "c.db"
    if words == "does not exist":
        target = tmp_path / "missing" / "c.db"
    else:
        make(target)
    with pytest.raises(UserError, match=words):
        open_database(target)


def test_due_queue_uses_an_index(tmp_path: Path) -> None:
    db = open_database(tmp_path / "c.db")
    plan = db.execute_sql(
        "EXPLAIN QUERY PLAN SELECT id FROM card WHERE deck_id = 1 AND suspended = 0 "
        "AND due <= '2026-01-01' ORDER BY due, id LIMIT 200"
    ).fetchall()
    assert any("USING INDEX" in row[-1] or "COVERING INDEX" in row[-1] for row in plan), plan
    db.close()
