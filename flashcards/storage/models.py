"""The collection's tables.

Dates a user thinks in (`due`, `review_day`) are local calendar dates; instants (`reviewed_at`,
`created_at`) are naive datetimes that always mean UTC, never mixed with aware ones, because SQLite
compares them as text. Timestamps are set from the injected clock, never by a field default.
"""

from __future__ import annotations

from peewee import (
    BlobField,
    BooleanField,
    CharField,
    CompositeKey,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from flashcards.storage.binding import models_database


class BaseModel(Model):
    class Meta:
        database = models_database  # whatever `binding.bound()` set
        legacy_table_names = False


class Meta(BaseModel):
    """Key/value facts about the collection itself (schema version, first-run flags)."""

    key = CharField(primary_key=True)
    value = TextField()

    @classmethod
    def put(cls, key: str, value: str) -> None:
        """Set `key` to `value`, whether or not it was set.

        An upsert that SQLite and PostgreSQL both run (INSERT OR REPLACE is SQLite's alone).
        """
        cls.insert(key=key, value=value).on_conflict(
            conflict_target=[cls.key], update={cls.value: value}
        ).execute()


class Deck(BaseModel):
    """A deck; `Parent::Child` names form the hierarchy, as in Anki (parents exist as rows too)."""

    name = CharField(unique=True)
    description = TextField(default="")
    created_at = DateTimeField()
    # Per-deck daily limits (schema 3); None: the parent deck's, else the settings'.
    new_per_day = IntegerField(null=True)
    reviews_per_day = IntegerField(null=True)


class Card(BaseModel):
    """One reviewable card and its SM-2 state. `due` is NULL while the card is new."""

    # No index of its own: the composite indexes below all start with the deck.
    deck = ForeignKeyField(Deck, backref="cards", on_delete="CASCADE", index=False)
    key = CharField()  # stable within the deck: what re-imports match on
    kind = CharField(default="basic")  # basic | cloze | type
    front = TextField()
    back = TextField()
    tags = TextField(default="")  # space-separated, as Anki keeps them
    ordinal = IntegerField(default=0)  # the cloze number of a cloze card
    # The key the cards of one note share (a reverse pair, a cloze text's deletions): schema 3,
    # see schema_v3.py for why a column and not a table. Set from `decks.keys.note_key`.
    note = CharField(default="")
    # The hash of the normalised front (`decks.keys.derive_key`), what the duplicate test looks
    # up; None until computed (schema 5, see schema_v5.py and storage/front_keys.py).
    front_key = CharField(max_length=16, null=True)
    repetitions = IntegerField(default=0)
    interval = IntegerField(default=0)
    easiness = IntegerField(default=250)  # hundredths: 250 = 2.50
    due = DateField(null=True)
    lapses = IntegerField(default=0)
    suspended = BooleanField(default=False)
    buried_until = DateField(null=True)  # hidden while today < buried_until
    created_at = DateTimeField()
    modified_at = DateTimeField()

    class Meta:
        # The indexes are created by the schema steps (schema_v1.py, schema_v2.py), not from
        # here; they are listed so the models describe the schema as it is:
        # - (deck, key) unique: what re-imports match on;
        # - card_deck_state (deck, suspended, due, repetitions, interval, easiness, lapses): the
        #   due queue, the home counts and the card statistics read this index alone;
        # - (suspended, due, deck): the queue of a whole collection in due order, without a sort;
        # - partial indexes on buried_until and on the `leech` tag.
        # - (deck, note): a card's siblings (schema 3).
        # - (deck, front_key): the duplicate test; partial indexes over reviewed cards for the
        #   easiness spread and the hardest cards (schema 5).
        indexes = (
            (("deck", "key"), True),
            (("deck", "note"), False),
            (("suspended", "due", "deck"), False),
            (("deck", "front_key"), False),
        )


# Buried cards are few: a partial index finds them without touching the others.
Card.add_index(Card.index(Card.buried_until).where(Card.buried_until.is_null(False)))


class Review(BaseModel):
    """The append-only review log: one row per answer (undo removes the row it added)."""

    card = ForeignKeyField(Card, null=True, backref="reviews", on_delete="SET NULL")
    reviewed_at = DateTimeField()  # UTC
    review_day = DateField()  # the local study day, after the rollover hour
    quality = IntegerField()  # the q the scheduler used
    button = CharField(null=True)  # again/hard/good/easy in the four-button mode
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


class DayStat(BaseModel):
    """Sums of the review log per study day and deck, kept by triggers (see schema_v2.py)."""

    day = DateField()
    deck_id = IntegerField()  # 0 for answers whose card was since deleted
    answers = IntegerField(default=0)  # every answer, drills included
    drills = IntegerField(default=0)
    new_cards = IntegerField(default=0)  # first answers of new cards
    correct = IntegerField(default=0)  # scheduled answers graded q >= 3
    learned = IntegerField(default=0)  # scheduled answers to learned cards (retention)
    learned_ok = IntegerField(default=0)
    mature = IntegerField(default=0)  # of those, cards with an interval of 21 days or more
    mature_ok = IntegerField(default=0)
    duration_ms = IntegerField(default=0)

    class Meta:
        table_name = "day_stats"
        primary_key = CompositeKey("day", "deck_id")


class CardCount(BaseModel):
    """Cards per deck, suspended or not, state and easiness, kept by triggers (schema_v6.py)."""

    deck_id = IntegerField()
    suspended = BooleanField()
    state = CharField(max_length=8)  # one of card_states.STATES
    easiness = IntegerField()
    cards = IntegerField(default=0)

    class Meta:
        table_name = "card_counts"
        primary_key = CompositeKey("deck_id", "suspended", "state", "easiness")


class DueCount(BaseModel):
    """Unsuspended reviewed cards per deck and due date, kept by triggers (schema_v6.py)."""

    deck_id = IntegerField()
    due = DateField()
    cards = IntegerField(default=0)

    class Meta:
        table_name = "due_counts"
        primary_key = CompositeKey("deck_id", "due")


class MediaBlob(BaseModel):
    """One distinct media content, under its SHA-256 (see schema_v4.py)."""

    hash = CharField(max_length=64, primary_key=True)
    size = IntegerField()
    data = BlobField()

    class Meta:
        table_name = "media_file"


class MediaName(BaseModel):
    """The name cards use for a media file (`[image: NAME]`), and the content it names."""

    name = CharField(max_length=255, primary_key=True)
    hash = CharField(max_length=64)

    class Meta:
        table_name = "media"


ALL_MODELS = (Meta, Deck, Card, Review, DayStat, CardCount, DueCount, MediaBlob, MediaName)
