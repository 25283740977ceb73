"""Peewee models and the one place a database is opened and bound (`database.bind`).

The models' `DatabaseProxy` is not exported: code outside storage is handed a database.
"""

from flashcards.storage.database import SCHEMA_VERSION, open_database
from flashcards.storage.models import Card, DayStat, Deck, Meta, Review

__all__ = [
    "SCHEMA_VERSION",
    "Card",
    "DayStat",
    "Deck",
    "Meta",
    "Review",
    "open_database",
]
