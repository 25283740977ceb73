"""Fixtures shared by every test folder.

Every test gets its own config and data dirs (so no test ever reads or writes the real home), and
collections are real SQLite files in `tmp_path` opened through the same `open_database()` the app
uses: an in-memory database would hide WAL, pragma and thread behaviour.

With `FLASHCARDS_TEST_BACKEND=postgresql` (and `FLASHCARDS_TEST_POSTGRES` naming a server), the
`col` and `db_target` fixtures give each test a fresh PostgreSQL database instead, so the same
storage, service and stats tests run against a real server; tests marked `sqlite_only` (they
need the collection file itself) are skipped then.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from flashcards.clock import FixedClock
from flashcards.services.collection import Collection, open_collection
from flashcards.services.decks import ensure_deck
from flashcards.settings import Settings
from flashcards.storage import Card, backup_child
from flashcards.storage.binding import bound, runs_on_collection

START = dt.datetime(2026, 3, 2, 10, 0)  # a Monday, 10:00 local
BACKEND = os.environ.get("FLASHCARDS_TEST_BACKEND", "sqlite")
SQLITE_ONLY = "needs a SQLite collection file; FLASHCARDS_TEST_BACKEND=postgresql"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under the PostgreSQL backend, skip the tests that are about the SQLite file itself."""
    if BACKEND != "postgresql":
        return
    for item in items:
        if item.get_closest_marker("sqlite_only"):
            item.add_marker(pytest.mark.skip(reason=SQLITE_ONLY))


def _admin(server: str, sql: str) -> None:
    import psycopg2

    conn = psycopg2.connect(server, connect_timeout=5)
    conn.autocommit = True  # CREATE/DROP DATABASE cannot run in a transaction
    try:
        conn.cursor().execute(sql)
    finally:
        conn.close()


# Variables of the test harness itself, which say where the test server is: kept.
_HARNESS_VARIABLES = {
    "FLASHCARDS_TEST_BACKEND",
    "FLASHCARDS_TEST_POSTGRES",
    "FLASHCARDS_TEST_POSTGRES_REQUIRED",
}


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test runs with a home, data and config folder of its own, and without any
    `FLASHCARDS_*` variable of the environment it was started in.

    Without this, a test that opens the default collection or settings would back up (and rotate)
    the real user's collection, and a `FLASHCARDS_DB` or `FLASHCARDS_CONFIG` set in the shell would
    change what the tests see. platformdirs honours the XDG variables on Linux; HOME covers the
    rest (and macOS)."""
    home = tmp_path_factory.mktemp("home")
    for name in list(os.environ):
        if name.startswith("FLASHCARDS_") and name not in _HARNESS_VARIABLES:
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    return home


@pytest.fixture(autouse=True)
def detached_backups(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The backups a closing session would hand to a process of its own (storage/
    backup_child.py), recorded instead of started: a process that outlived its test would write
    into a folder another test, or the clean-up, is reading."""
    started: list[tuple[str, str]] = []
    monkeypatch.setattr(
        backup_child, "start", lambda target, reason: started.append((target, reason))
    )
    return started


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The URL of the PostgreSQL server in `FLASHCARDS_TEST_POSTGRES`; the test is skipped, with
    the reason, when it is unset or cannot be reached. Nothing is started here: CI starts one."""
    url = os.environ.get("FLASHCARDS_TEST_POSTGRES")
    # CI starts a server and sets FLASHCARDS_TEST_POSTGRES_REQUIRED: there, no server is a failure.
    skip = pytest.fail if os.environ.get("FLASHCARDS_TEST_POSTGRES_REQUIRED") else pytest.skip
    if not url:
        skip("no PostgreSQL server: set FLASHCARDS_TEST_POSTGRES=postgresql://user@host:port/db")
    try:
        import psycopg2
    except ImportError:
        skip("psycopg2 is not installed (pip install -e '.[test]')")
    try:
        _admin(url, "SELECT 1")
    except psycopg2.OperationalError as exc:
        skip(f"PostgreSQL server {url} unreachable: {str(exc).strip().splitlines()[0]}")
    return url


@pytest.fixture
def new_postgres_db(postgres_server: str) -> Iterator[Callable[[], str]]:
    """Makes fresh, empty databases on the test server (their URLs); all dropped after the test."""
    names: list[str] = []

    def make() -> str:
        names.append(f"flashcards_test_{uuid.uuid4().hex[:12]}")
        _admin(postgres_server, f'CREATE DATABASE "{names[-1]}"')
        return urlunsplit(urlsplit(postgres_server)._replace(path=f"/{names[-1]}"))

    yield make
    for name in names:
        _admin(postgres_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_db(new_postgres_db: Callable[[], str]) -> str:
    """The URL of a fresh, empty database on the test server, dropped after the test."""
    return new_postgres_db()


@pytest.fixture
def clock() -> FixedClock:
    """A clock pinned at START (rollover hour 4), moved by the test with `advance`/`set`."""
    return FixedClock(START)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "collection.db"


@pytest.fixture
def db_target(request: pytest.FixtureRequest, db_path: Path) -> str:
    """Where the test's collection lives: the SQLite file, or a fresh PostgreSQL database under
    FLASHCARDS_TEST_BACKEND=postgresql. Tests that open it again (a second process, the CLI)
    use this rather than `db_path`, so they run on either backend."""
    if BACKEND == "postgresql":
        return request.getfixturevalue("new_postgres_db")()
    return str(db_path)


@pytest.fixture
def col(db_target: str, clock: FixedClock) -> Iterator[Collection]:
    """A fresh collection (file, or server database) with default settings and the fixed clock.

    The test's own code is bound to it (storage/binding.py), so a test reads and writes the
    models directly (`Card.select()`) as a service would. Only the test's thread is: a Textual
    thread worker starts with nothing bound, so a service the UI runs there must bind itself."""
    collection = open_collection(db_target, clock=clock, settings=Settings())
    with bound(collection.db):
        yield collection
    collection.close()


@runs_on_collection
def add_cards(col: Collection, deck: str, count: int, prefix: str = "q") -> list[int]:
    """Add `count` basic new cards to `deck` (created if missing); returns their ids in order."""
    d = ensure_deck(col, deck)
    now = col.clock.now().replace(tzinfo=None)
    ids = []
    with col.db.atomic():
        for i in range(count):
            card = Card.create(
                deck=d,
                key=f"{prefix}{i}",
                front=f"{prefix} front {i}",
                back=f"{prefix} back {i}",
                created_at=now,
                modified_at=now,
            )
            ids.append(card.id)
    return ids


def import_toml(col: Collection, folder: Path, text: str) -> Collection:
    """Import a TOML deck given as text (written to a file in `folder`); returns `col`."""
    from flashcards.services.importer import import_paths

    path = folder / "deck.toml"
    path.write_text(text, encoding="utf-8")
    import_paths(col, [path])
    return col


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`flashcards ARGS...` in this process: (exit status, stdout, stderr)."""
    from flashcards.cli import main

    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err
