"""Peewee models and the one place a database is opened."""

from flashcards.storage.database import SCHEMA_VERSION, open_database
from flashcards.storage.models import Card, DayStat, Deck, Meta, Review, db_proxy

__all__ = [
    "SCHEMA_VERSION",
    "Card",
    "DayStat",
    "Deck",
    "Meta",
    "Review",
    "db_proxy",
    "open_database",
]
