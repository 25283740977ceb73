"""The names of what schema step 7 makes for the search's trigram index (SQLite only): the
step (schema_search_index.py), the code that fills and reads the index (search_index.py) and
the schema check all use them."""

from __future__ import annotations

SQLITE_ONLY_PREFIX = "search_text"
"""Every table and trigger of the index is named so (a server collection has none)."""
TABLE = "search_text"
PENDING = "search_text_pending"
STATE = "search_text_state"
INSERT_TRIGGER = "search_text_card_insert"
