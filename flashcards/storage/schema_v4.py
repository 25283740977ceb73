"""Schema version 4: the collection's media (images and sounds imported from Anki packages).

Two tables, the same on SQLite and PostgreSQL, so a server collection keeps its media as a file
does and a backup of the collection holds them too: `media_file` holds each distinct content
once, under its SHA-256 (`hash`); `media` maps the name cards use (`[image: NAME]`) to a hash,
so two names for the same bytes share one row of bytes.
Never edit this file once released: add a step instead.
"""

from __future__ import annotations

from peewee import Database

from flashcards.storage.dialect import is_sqlite


def migrate(db: Database) -> None:
    """Create the two media tables."""
    blob = "BLOB" if is_sqlite(db) else "BYTEA"
    db.execute_sql(
        'CREATE TABLE "media_file" ("hash" VARCHAR(64) NOT NULL PRIMARY KEY, '
        f'"size" INTEGER NOT NULL, "data" {blob} NOT NULL)'
    )
    db.execute_sql(
        'CREATE TABLE "media" ("name" VARCHAR(255) NOT NULL PRIMARY KEY, '
        '"hash" VARCHAR(64) NOT NULL REFERENCES "media_file" ("hash"))'
    )
