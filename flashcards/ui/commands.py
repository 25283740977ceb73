"""Command palette entries (ctrl+p): review any deck, statistics, import, and theme switching.

A `Provider` rather than `get_system_commands` because the review hits depend on the decks in the
collection, which are read when the palette opens.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from flashcards.services.decks import deck_counts


class FlashcardsCommands(Provider):
    """'Review: <deck>' for every deck, 'Statistics', 'Import a deck file', 'Theme: <name>'."""

    async def startup(self) -> None:
        app = self.app
        decks = [c.name for c in deck_counts(app.collection, totals=False)]  # type: ignore[attr-defined]
        self.commands: list[tuple[str, object, str]] = [
            ("Review: all decks", partial(app.open_review, None), "Review every due card"),
        ]
        self.commands += [
            (f"Review: {name}", partial(app.open_review, name), f"Review {name} and its subdecks")
            for name in decks
        ]
        self.commands += [
            ("Statistics", partial(app.open_stats, None), "Statistics for every deck"),
            ("Browse cards", app.open_browse, "Search cards; suspend, forget or delete them"),
            ("Import a deck file", app.open_import, "Import TOML, CSV/TSV or .apkg"),
            ("Toggle light/dark theme", app.toggle_dark_light, "Switch between the textual themes"),
        ]
        self.commands += [
            (f"Theme: {name}", partial(setattr, app, "theme", name), "Use this theme (saved)")
            for name in sorted(app.available_themes)
        ]

    async def discover(self) -> Hits:
        for name, callback, help_text in self.commands:
            if not name.startswith("Theme: "):
                yield DiscoveryHit(name, callback, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self.commands:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)  # type: ignore[arg-type]
