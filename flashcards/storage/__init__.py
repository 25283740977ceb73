"""Peewee models, opening a database (`open_database`) and binding the models to one for a
block or a call (`binding.bound`, `binding.runs_on_collection`).

The models' proxy is not exported: code outside storage is handed a database or a collection.

The names below are loaded when first asked for (PEP 562), so a storage module that needs no
Peewee (`first_queue`, `location`) can be imported without it: `flashcards review` paints its
first card before Peewee is loaded.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flashcards.storage.database import SCHEMA_VERSION, open_database
    from flashcards.storage.models import Card, CardCount, DayStat, Deck, DueCount, Meta, Review

_HOMES = {
    "SCHEMA_VERSION": "database",
    "open_database": "database",
    "Card": "models",
    "CardCount": "models",
    "DayStat": "models",
    "Deck": "models",
    "DueCount": "models",
    "Meta": "models",
    "Review": "models",
}

__all__ = [
    "SCHEMA_VERSION",
    "Card",
    "CardCount",
    "DayStat",
    "Deck",
    "DueCount",
    "Meta",
    "Review",
    "open_database",
]


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"flashcards.storage.{home}"), name)
    globals()[name] = value
    return value
