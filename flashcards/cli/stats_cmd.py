"""`flashcards stats [DECK] [--json]`: today, streaks, retention, a year's heatmap, the forecast.

Printed with Rich, which parses a `str` as markup (a card holding `[/]` would crash it) and passes
ESC through: deck names and card text go in as cleaned `Text`, and the console parses no markup
or emoji codes at all.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from flashcards.cli.context import collection_from
from flashcards.cli.output import print_json
from flashcards.sanitize import clean_line

if TYPE_CHECKING:
    from flashcards.stats import CollectionStats

# flashcards.stats is imported inside the functions: the CLI imports every command module,
# and the other commands (above all `review`, whose start-up is timed) should not pay for it.


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "stats",
        help="show review statistics, a heatmap of the last year and the due forecast",
        description="Statistics for every deck, or for DECK and its subdecks.",
    )
    p.add_argument("deck", nargs="?", metavar="DECK", help="a deck name (its subdecks included)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from flashcards.services.decks import resolve_deck_name
    from flashcards.stats import collection_stats

    col = collection_from(args)
    try:
        deck = resolve_deck_name(col, args.deck) if args.deck is not None else None
        stats = collection_stats(col, deck)
    finally:
        col.close()
    if args.json:
        print_json(stats.to_json())
        return 0
    from rich.console import Console

    console = Console(highlight=False, markup=False, emoji=False)
    for renderable in renderables(stats, console.width):
        console.print(renderable)
    return 0


def _pct(rate: float | None) -> str:
    return "–" if rate is None else f"{rate:.0%}"


def renderables(stats: CollectionStats, width: int) -> list:
    """The rich renderables `flashcards stats` prints, fitted to `width` columns."""
    from rich.table import Table
    from rich.text import Text

    t, c = stats.today, stats.counts
    title = f"Statistics — {clean_line(stats.deck or 'all decks')} — {stats.day.isoformat()}"
    out: list = [Text(title, style="bold")]

    today = Table(title="Today", title_justify="left", show_header=False, box=None)
    minutes = t.seconds / 60
    today.add_row("reviews", str(t.reviews), "new", str(t.new), "drills", str(t.drills))
    today.add_row("correct", _pct(t.correct_share), "time", f"{minutes:.1f} min", "", "")
    today.add_row(
        "streak", f"{stats.streak.current} d", "longest", f"{stats.streak.longest} d", "", ""
    )
    out.append(today)

    retention = Table(title="True retention (q ≥ 3)", title_justify="left")
    retention.add_column("")
    for r in stats.retention:
        retention.add_column(f"{r.days} d", justify="right")
    for label, pick in (("young", "young"), ("mature", "mature"), ("all", "total")):
        cells = []
        for r in stats.retention:
            f = getattr(r, pick)
            cells.append(f"{_pct(f.rate)} ({f.reviews})" if f.reviews else "–")
        retention.add_row(label, *cells)
    out.append(retention)

    counts = Table(title="Cards", title_justify="left")
    for name in ("new", "learning", "young", "mature", "suspended", "leech", "total"):
        counts.add_column(name, justify="right")
    counts.add_row(*map(str, (c.new, c.learning, c.young, c.mature, c.suspended, c.leech, c.total)))
    out.append(counts)

    out.append(heatmap_text(stats, width))
    out.append(forecast_text(stats, width))

    if stats.hardest:
        out.append(hardest_table(stats, width))
    return out


def hardest_table(stats: CollectionStats, width: int):
    """The hardest cards: the numbers keep their width, the deck name at most a quarter of the
    line, and the front (cloze deletions filled in) takes the rest, cut with an ellipsis."""
    from rich.table import Table
    from rich.text import Text

    hard = Table(title="Hardest cards", title_justify="left", width=min(width, 120))
    hard.add_column("lapses", justify="right", no_wrap=True, min_width=6)
    hard.add_column("ease", justify="right", no_wrap=True, min_width=4)
    hard.add_column("front", overflow="ellipsis", no_wrap=True, ratio=3, min_width=10)
    deck_width = max(8, width // 4)
    hard.add_column("deck", overflow="ellipsis", no_wrap=True, max_width=deck_width)
    for h in stats.hardest:
        hard.add_row(
            str(h.lapses),
            f"{h.easiness / 100:.2f}",
            Text(clean_line(h.shown_front)),
            Text(clean_line(h.deck), style="dim"),
        )
    return hard


def heatmap_text(stats: CollectionStats, width: int):
    """A GitHub-style calendar of the last year: the layout the statistics screen draws too."""
    from rich.text import Text

    from flashcards.stats.layout import HEAT_COLOURS, heatmap_lines, heatmap_weeks

    days = stats.reviews_per_day
    peak = max((d.count for d in days), default=0)
    weeks = heatmap_weeks(days, width)
    text = Text(f"Reviews per day (last {weeks} weeks, busiest day {peak})", style="bold")
    for line in heatmap_lines(days, width):
        text.append("\n")
        for segment, level in line:
            text.append(segment, style="dim" if level is None else HEAT_COLOURS[level])
    return text


def forecast_text(stats: CollectionStats, width: int):
    """One bar per day of the next 30 days; overdue cards are counted today."""
    from rich.text import Text

    from flashcards.stats.layout import scale

    label = 11  # "03-02 Mon "
    numbers = max(len(str(f.due)) for f in stats.forecast) + 1
    bars = scale([f.due for f in stats.forecast], max(1, width - label - numbers - 1))
    text = Text("Due in the next 30 days\n", style="bold")
    for f, bar in zip(stats.forecast, bars, strict=True):
        text.append(f"{f.date:%m-%d %a} ".ljust(label))
        text.append("█" * bar, style="cyan")
        text.append(f" {f.due}\n")
    return text
