"""A search tree's text terms as an FTS5 query on the trigram index (storage/search_index.py).

Each piece of text a card must hold (a word, a phrase, the parts of a pattern between its `*`s,
a tag's name) becomes the AND of trigrams of it, folded: a card holding the piece, folded, holds
them all. Case and accents: the exact condition matches the folded text (`fold(field) LIKE
pattern`) or the stored text with ASCII case ignored (`field LIKE pattern`); `fold` works one
character at a time and is its own fixed point (every code point is checked in a test), so in
both cases the folded field holds the folded piece. The query is therefore true for every
matching card, and the exact condition decides.

A piece shorter than three characters constrains nothing; a term with no such piece, a
regular expression, a negation or any other kind of term makes its branch "anything": an AND
keeps its other terms' constraints, an OR with such a branch constrains nothing at all.
"""

from __future__ import annotations

from flashcards.search import fold, nodes


def _quoted(trigram: str) -> str:
    return '"' + trigram.replace('"', '""') + '"'


def _pieces(parts: tuple[str, ...]) -> str | None:
    trigrams: set[str] = set()
    for part in parts:
        folded = fold(part)
        # Every third trigram and the last cover the piece: a card holding the piece holds
        # them, and FTS5 intersects a third as many lists as with every trigram.
        starts = [*range(0, len(folded) - 2, 3), len(folded) - 3]
        trigrams.update(folded[i : i + 3] for i in starts if i >= 0)
    return " AND ".join(_quoted(t) for t in sorted(trigrams)) or None


def trigram_query(node: nodes.Node) -> str | None:
    """An FTS5 query every card matching `node` satisfies, or None if nothing narrows it."""
    if isinstance(node, nodes.Text | nodes.Tag):
        return _pieces(node.parts)
    if isinstance(node, nodes.And):
        found = [q for q in map(trigram_query, node.items) if q is not None]
        return " AND ".join(f"({q})" for q in found) or None
    if isinstance(node, nodes.Or):
        branches = [trigram_query(item) for item in node.items]
        if any(q is None for q in branches):
            return None
        return " OR ".join(f"({q})" for q in branches)
    return None
