"""The card search language: a documented subset of Anki's search syntax (docs/search.md).

Pure: `parse_query` turns a query string into a small tree of frozen dataclasses (`nodes.py`);
the storage layer compiles that tree into one SQL query. Nothing here touches a database.
"""

from flashcards.search.errors import QueryError
from flashcards.search.fold import fold
from flashcards.search.nodes import Node
from flashcards.search.parser import parse_query

__all__ = ["Node", "QueryError", "fold", "parse_query"]
