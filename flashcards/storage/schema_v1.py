"""Schema version 1, frozen: the tables as the first release created them.

Migrations must build exactly the schema of their version, whatever `models.py` says today, so
step 1 creates these copies (bound only for the call) and later steps change them.
Never edit this file: add a step instead.
"""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    Database,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)


class _Base(Model):
    class Meta:
        legacy_table_names = False


class Meta(_Base):
    key = CharField(primary_key=True)
    value = TextField()


class Deck(_Base):
    name = CharField(unique=True)
    description = TextField(default="")
    created_at = DateTimeField()


class Card(_Base):
    deck = ForeignKeyField(Deck, on_delete="CASCADE", index=False)
    key = CharField()
    kind = CharField(default="basic")
    front = TextField()
    back = TextField()
    tags = TextField(default="")
    ordinal = IntegerField(default=0)
    repetitions = IntegerField(default=0)
    interval = IntegerField(default=0)
    easiness = IntegerField(default=250)
    due = DateField(null=True)
    lapses = IntegerField(default=0)
    suspended = BooleanField(default=False)
    buried_until = DateField(null=True)
    created_at = DateTimeField()
    modified_at = DateTimeField()

    class Meta:
        indexes = (
            (("deck", "key"), True),
            (("deck", "suspended", "due"), False),
            (("suspended", "due", "deck"), False),
        )


Card.add_index(Card.index(Card.buried_until).where(Card.buried_until.is_null(False)))


class Review(_Base):
    card = ForeignKeyField(Card, null=True, on_delete="SET NULL")
    reviewed_at = DateTimeField()
    review_day = DateField()
    quality = IntegerField()
    button = CharField(null=True)
    drill = BooleanField(default=False)
    duration_ms = IntegerField(default=0)
    scheduler = CharField(default="sm2")
    before_repetitions = IntegerField()
    before_interval = IntegerField()
    before_easiness = IntegerField()
    before_due = DateField(null=True)
    after_repetitions = IntegerField()
    after_interval = IntegerField()
    after_easiness = IntegerField()
    after_due = DateField(null=True)

    class Meta:
        table_name = "review_log"
        indexes = (
            (("review_day",), False),
            (("card", "review_day"), False),
        )


MODELS = (Meta, Deck, Card, Review)


def create(db: Database) -> None:
    """Create the version-1 tables and indexes."""
    with db.bind_ctx(MODELS):
        db.create_tables(MODELS)
