"""Peewee models, opening a database (`open_database`) and binding the models to one for a
block or a call (`binding.bound`, `binding.runs_on_collection`).

The models' proxy is not exported: code outside storage is handed a database or a collection.
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
