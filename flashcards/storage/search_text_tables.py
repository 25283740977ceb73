"""The names of what schema step 7 makes for the search's trigram index (SQLite only): the
step (schema_search_index.py), the code that fills and reads the index (search_index.py) and
the schema check all use them. Step 7 creates them as written here: never change them, add a
step."""

from __future__ import annotations

SQLITE_ONLY_PREFIX = "search_text"
"""Every table and trigger of the index is named so (a server collection has none)."""
TABLE = "search_text"
PENDING = "search_text_pending"
STATE = "search_text_state"
INSERT_TRIGGER = "search_text_card_insert"
FTS = f'CREATE VIRTUAL TABLE "{TABLE}" USING fts5("text", tokenize=\'trigram\', detail=none)'
"""The index itself: the trigram tokenizer, row ids only (no positions, a third of the size)."""
