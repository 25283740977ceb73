"""Database locations as people see them (password masked) and as the driver gets them.

Table-driven: passwords with every character that breaks a naive URL split, percent-encoded or
typed raw, and URLs with no password or no user at all.
"""

from __future__ import annotations

import pytest

from flashcards.errors import UserError
from flashcards.storage.location import display_location, parse_server_url

MASKING = [
    ("postgresql://u:s3cret@h:5432/db", "postgresql://u:***@h:5432/db"),
    ("postgresql://u:pa/ss@h:5432/db", "postgresql://u:***@h:5432/db"),
    ("postgresql://u:pa#ss@h:5432/db", "postgresql://u:***@h:5432/db"),
    ("postgresql://u:pa?ss@h:5432/db", "postgresql://u:***@h:5432/db"),
    ("postgresql://u:p@ss@h:5432/db", "postgresql://u:***@h:5432/db"),
    ("postgresql://u:50%off@h/db", "postgresql://u:***@h/db"),
    ("postgresql://u:p%2Fa%23s%3Fs%40@h/db", "postgresql://u:***@h/db"),
    ("postgresql://u:with space@h/db", "postgresql://u:***@h/db"),
    ("postgresql://u:a:b:c@h/db", "postgresql://u:***@h/db"),
    ("postgresql://u:@h/db", "postgresql://u:***@h/db"),
    ("postgresql://u@h:5432/db", "postgresql://u@h:5432/db"),
    ("postgresql://h:5432/db", "postgresql://h:5432/db"),
    ("postgresql://:secret@h/db", "postgresql://:***@h/db"),
    (
        "postgresql://h/db?sslmode=require&password=secret",
        "postgresql://h/db?sslmode=require&password=***",
    ),
    ("/home/u/collection.db", "/home/u/collection.db"),
    ("collection.db", "collection.db"),
]


@pytest.mark.parametrize(("url", "shown"), MASKING)
def test_display_location_masks_the_password(url: str, shown: str) -> None:
    assert display_location(url) == shown


PARSED = [
    # url, (user, password, host, port, database)
    ("postgresql://u:s3cret@h:5432/db", ("u", "s3cret", "h", 5432, "db")),
    ("postgresql://u:pa/ss@h:5432/db", ("u", "pa/ss", "h", 5432, "db")),
    ("postgresql://u:pa#ss@h/db", ("u", "pa#ss", "h", None, "db")),
    ("postgresql://u:pa?ss@h/db", ("u", "pa?ss", "h", None, "db")),
    ("postgresql://u:p@ss@h/db", ("u", "p@ss", "h", None, "db")),
    ("postgresql://u:p%2Fa%23s%3Fs%40%25@h/db", ("u", "p/a#s?s@%", "h", None, "db")),
    ("postgresql://u:with%20space@h/db", ("u", "with space", "h", None, "db")),
    ("postgresql://u@h/db", ("u", None, "h", None, "db")),
    ("postgresql://h/db", (None, None, "h", None, "db")),
    ("postgres://u:pw@[::1]:6543/db", ("u", "pw", "::1", 6543, "db")),
    ("postgresql://u:pw@h", ("u", "pw", "h", None, None)),
]


@pytest.mark.parametrize(("url", "parts"), PARSED)
def test_server_urls_are_parsed_with_reserved_characters(url: str, parts: tuple) -> None:
    loc = parse_server_url(url)
    assert (loc.user, loc.password, loc.host, loc.port, loc.database) == parts
    assert "pw" not in repr(loc) or loc.password is None


def test_url_options_are_passed_on() -> None:
    loc = parse_server_url("postgresql://h/db?sslmode=require&connect_timeout=3")
    assert loc.options == {"sslmode": "require", "connect_timeout": "3"}


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("postgresql://u:topsecret@h:notaport/db", "port"),
        ("postgresql://u:topsecret@h:99999/db", "port"),
        ("postgresql://u:topsecret@[::1/db", "address"),
        ("mysql://u:topsecret@h/db", "unknown kind of database"),
    ],
)
def test_a_malformed_url_is_one_line_without_the_password(url: str, words: str) -> None:
    with pytest.raises(UserError) as err:
        parse_server_url(url)
    message = str(err.value)
    assert words in message and "topsecret" not in message and "\n" not in message
    assert "u:***@" in message
