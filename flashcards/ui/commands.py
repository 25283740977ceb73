"""Command palette entries (ctrl+p): review any deck, statistics, import.

Themes are Textual's own "Theme" command (in `App.COMMANDS`, beside this provider); the app saves
the choice by watching `App.theme`. A `Provider` rather than `get_system_commands` because the
review hits depend on the decks in the collection, which are read when the palette opens.
Deck names are untrusted: the palette parses a `str` prompt or help as markup (and
`Matcher.highlight` does too), so every entry is cleaned and shown as `Content`, and matches are
highlighted on that plain text.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from flashcards.sanitize import clean_line
from flashcards.services.decks import deck_counts


def highlight(matcher: Matcher, name: str) -> Content:
    """`name` as plain Content with the characters the query matched highlighted."""
    content = Content(name)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, name)
    for offset in offsets:
        if not name[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class FlashcardsCommands(Provider):
    """'Review: <deck>' for every deck, 'Statistics', 'Import a deck file'."""

    async def startup(self) -> None:
        app = self.app
        decks = [c.name for c in deck_counts(app.collection, totals=False)]  # type: ignore[attr-defined]
        self.commands: list[tuple[str, object, str]] = [
            ("Review: all decks", partial(app.open_review, None), "Review every due card"),
        ]
        self.commands += [
            (
                f"Review: {clean_line(name)}",
                partial(app.open_review, name),
                f"Review {clean_line(name)} and its subdecks",
            )
            for name in decks
        ]
        self.commands += [
            ("Statistics", partial(app.open_stats, None), "Statistics for every deck"),
            ("Add a note", app.open_add, "Write a new card (basic, reverse, cloze, type-in)"),
            ("Browse cards", app.open_browse, "Search cards; suspend, forget or delete them"),
            ("Import a deck file", app.open_import, "Import TOML, CSV/TSV or .apkg"),
        ]

    async def discover(self) -> Hits:
        for name, callback, help_text in self.commands:
            yield DiscoveryHit(
                Content(name),
                callback,
                text=name,
                help=Content(help_text),  # type: ignore[arg-type]
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self.commands:
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score,
                    highlight(matcher, name),
                    callback,
                    text=name,
                    help=Content(help_text),  # type: ignore[arg-type]
                )
