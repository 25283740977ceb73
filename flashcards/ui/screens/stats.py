"""The statistics screen: today, streaks, retention, card counts, a year's heatmap, the forecast.

Figures come from `flashcards.stats.collection_stats`, computed in a thread worker because a large
collection takes a noticeable fraction of a second; `a` switches between every deck and the deck
the screen was opened for. On a wide terminal the heatmap and the forecast sit side by side
(the `-wide` class, styles in app.tcss); at 80 columns everything is one column and scrolls.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from flashcards.errors import UserError
from flashcards.sanitize import clean_line
from flashcards.services.collection import Collection
from flashcards.stats import CollectionStats, RetentionFigure, collection_stats
from flashcards.ui.widgets.forecast_chart import ForecastChart
from flashcards.ui.widgets.hardest_cards import HardestCards
from flashcards.ui.widgets.heatmap import Heatmap

NARROW = 78
"""Columns below which the three blocks of figures go two to a row."""
WIDE = 170
"""Columns from which the heatmap (a year at two characters a week) and the forecast fit side by
side."""


def _pct(figure: RetentionFigure) -> str:
    return "–" if figure.rate is None else f"{figure.rate:.0%}"


def _rows(title: str, rows: list[tuple[str, str]]) -> Content:
    """A titled block of `label  value` lines."""
    width = max(len(label) for label, _ in rows)
    parts: list = [(title, "bold"), "\n"]
    for label, value in rows:
        parts += [f"{label:<{width}} ", (value, "bold"), "\n"]
    return Content.assemble(*parts[:-1])


class StatsScreen(Screen[None]):
    """Statistics for every deck or for one deck and its subdecks."""

    BINDINGS = [
        Binding("a", "toggle_scope", "All decks / this deck", id="stats.scope"),
        Binding("escape", "back", "Back", id="stats.back"),
        Binding("q", "back", "Back", show=False, id="stats.quit"),
    ]

    wide: reactive[bool] = reactive(False)
    narrow: reactive[bool] = reactive(False)

    def __init__(self, collection: Collection, deck: str | None = None) -> None:
        super().__init__()
        self.collection = collection
        self.deck = deck  # the deck the screen was opened for (None: every deck)
        self.showing: str | None = deck
        self.stats: CollectionStats | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats-body"):
            yield Static(id="stats-scope")
            with Horizontal(id="stats-figures"):
                yield Static(id="stats-today")
                yield Static(id="stats-cards")
                yield Static(id="stats-retention")
            with Horizontal(id="stats-charts"):
                yield Heatmap(id="stats-heatmap")
                yield ForecastChart(id="stats-forecast")
            yield HardestCards(id="stats-hardest")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def on_resize(self) -> None:
        self.wide = self.size.width >= WIDE
        self.narrow = self.size.width < NARROW

    def watch_wide(self, wide: bool) -> None:
        self.set_class(wide, "-wide")

    def watch_narrow(self, narrow: bool) -> None:
        self.set_class(narrow, "-narrow")

    @work(thread=True, exclusive=True, group="stats")
    def load(self) -> None:
        """Compute the figures off the UI thread, then show them."""
        self.app.call_from_thread(self._set_loading, True)
        db = self.collection.db
        opened_here = db.is_closed()
        try:
            stats = collection_stats(self.collection, self.showing)
        except UserError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            self.app.call_from_thread(self._set_loading, False)
            return
        finally:
            if opened_here:
                db.close()  # this worker thread's own connection
        self.app.call_from_thread(self.show_stats, stats)

    def _set_loading(self, loading: bool) -> None:
        self.query_one("#stats-body").loading = loading

    def show_stats(self, stats: CollectionStats) -> None:
        """Fill every widget from one `CollectionStats`."""
        self.stats = stats
        self._set_loading(False)
        scope = clean_line(stats.deck or "All decks")
        other = "every deck" if stats.deck else (self.deck or "")
        hint = f" · a: show {clean_line(other)}" if other else ""
        self.query_one("#stats-scope", Static).update(
            Content.assemble((scope, "bold"), f" · {stats.day:%A %-d %B %Y}{hint}")
        )
        t, s, c = stats.today, stats.streak, stats.counts
        share = "–" if t.correct_share is None else f"{t.correct_share:.0%}"
        self.query_one("#stats-today", Static).update(
            _rows(
                "Today",
                [
                    ("reviews", str(t.reviews)),
                    ("new", str(t.new)),
                    ("correct", share),
                    ("time", f"{t.seconds / 60:.1f} min"),
                    ("streak", f"{s.current} d (best {s.longest})"),
                ],
            )
        )
        self.query_one("#stats-cards", Static).update(
            _rows(
                "Cards",
                [
                    ("new", str(c.new)),
                    ("learning", str(c.learning)),
                    ("young", str(c.young)),
                    ("mature", str(c.mature)),
                    ("suspended", f"{c.suspended} (leech {c.leech})"),
                ],
            )
        )
        rows = [
            (f"{r.days} d", f"{_pct(r.young)} / {_pct(r.mature)} ({r.total.reviews})")
            for r in stats.retention
        ]
        self.query_one("#stats-retention", Static).update(_rows("Retention young / mature", rows))
        self.query_one(Heatmap).set_days(stats.reviews_per_day)
        self.query_one(ForecastChart).set_forecast(stats.forecast)
        self.query_one(HardestCards).set_cards(stats.hardest)

    def action_toggle_scope(self) -> None:
        if self.deck is None:
            self.notify("Opened for every deck: pick a deck on the home screen to compare")
            return
        self.showing = None if self.showing else self.deck
        self.load()

    def action_back(self) -> None:
        self.dismiss()
