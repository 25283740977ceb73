"""The shared heatmap layout, the overview figures, and how the hardest cards read."""

from __future__ import annotations

import datetime as dt

import pytest
from playhouse.test_utils import count_queries

from flashcards.stats import deck_overview
from flashcards.stats.cards import HardCard, hardest_cards
from flashcards.stats.layout import heatmap_lines, plural
from flashcards.stats.reviews import DayCount
from tests.stats.history import card, log
from tests.ui.helpers import add_card

TODAY = dt.date(2026, 3, 2)  # a Monday


def _days(last: dt.date, n: int = 365) -> list[DayCount]:
    return [DayCount(last - dt.timedelta(days=n - 1 - i), i % 5) for i in range(n)]


def _text(line) -> str:
    return "".join(text for text, _ in line)


@pytest.mark.parametrize("weekday", range(7))
@pytest.mark.parametrize("width", [40, 76, 80, 120, 200])
def test_every_weekday_row_has_the_same_width_and_cells(weekday, width):
    days = _days(TODAY + dt.timedelta(days=weekday))
    lines = heatmap_lines(days, width)
    rows = lines[1:8]
    assert [_text(r)[:3] for r in rows] == ["Mon", "   ", "Wed", "   ", "Fri", "   ", "Sun"]
    assert len({len(_text(r)) for r in rows}) == 1  # every row the same length: aligned
    assert len({len(r) for r in rows}) == 1  # and the same number of cells
    assert all(len(_text(line)) <= width for line in lines)
    today_row = rows[(TODAY + dt.timedelta(days=weekday)).weekday()]
    assert today_row[-1][1] is not None  # today is the last cell of its row, not padding


def test_month_labels_sit_above_the_week_of_the_first():
    lines = heatmap_lines(_days(TODAY), 120)  # two characters a week
    months = _text(lines[0])
    rows = lines[1:8]
    column = months.index("Feb")
    week = (column - 4) // 2  # after the day labels ("Mon "), two characters a week
    # 1 February 2026 is a Sunday: the week column holding it starts at `column`.
    assert _text(rows[6])[column] == "■" and rows[6][week + 1][1] is not None
    assert "Mar" in months and "Jan" in months


def test_a_narrow_heatmap_keeps_the_latest_weeks():
    lines = heatmap_lines(_days(TODAY), 30)
    assert len(lines[1]) - 1 == 26  # one character a week, as many as fit
    assert lines[1][-1][1] is not None  # today (a Monday) is there


@pytest.mark.parametrize(
    ("n", "text"), [(0, "0 lapses"), (1, "1 lapse"), (2, "2 lapses"), (11, "11 lapses")]
)
def test_plural(n, text):
    assert plural(n, "lapse") == text


def test_hardest_cloze_cards_show_their_text_not_the_markup(col):
    cid = add_card(col, "Anatomy", "a", "Blood leaves through {{c1::arteries::vessels}}",
                   "", kind="cloze", ordinal=1)  # fmt: skip
    from flashcards.storage import Card

    Card.update(due=TODAY, repetitions=2, lapses=3).where(Card.id == cid).execute()
    (hard,) = hardest_cards(col.db)
    assert hard.shown_front == "Blood leaves through arteries"
    basic = HardCard(1, "D", "two\nlines  here", 1, 250)
    assert basic.shown_front == "two lines here"


def test_overview_figures_and_a_flat_query_count(col):
    a = card(col, "Lang::Verbs", due=TODAY + dt.timedelta(days=2), repetitions=2, interval=6)
    b = card(col, "Lang", due=TODAY, repetitions=2, interval=6)
    card(col, "Other", due=TODAY + dt.timedelta(days=1), repetitions=2, interval=6)
    log(a, TODAY, 4, reps=2, interval=6, seconds=5)
    log(a, TODAY, 2, reps=2, interval=6, seconds=5)
    log(a, TODAY, 4, drill=True, seconds=2)
    log(b, TODAY - dt.timedelta(days=3), 5, reps=2, interval=6)
    log(b, TODAY - dt.timedelta(days=40), 5, reps=2, interval=6)
    with count_queries() as one_deck:
        lang = deck_overview(col, "Lang")
    assert lang.today.reviews == 2 and lang.today.drills == 1 and lang.today.seconds == 12
    assert [d.count for d in lang.last_30_days][-4:] == [1, 0, 0, 2]
    assert len(lang.last_30_days) == 30 and lang.last_30_days[-1].date == TODAY
    assert sum(d.count for d in lang.last_30_days) == 3  # 40 days ago is outside
    assert [f.due for f in lang.next_7_days] == [1, 0, 1, 0, 0, 0, 0]
    every = deck_overview(col, None)
    assert [f.due for f in every.next_7_days][:3] == [1, 1, 1]
    for i in range(30):  # many more decks: the same number of queries
        card(col, f"Lang::Sub{i}", due=TODAY, repetitions=2, interval=6)
    with count_queries() as many:
        deck_overview(col, "Lang")
    assert one_deck.count == many.count <= 3


def _hard_collection(col) -> None:
    long_deck = "Medicine::" + "Cardiology and the vessels of the heart " * 3
    cid = add_card(col, long_deck.strip(), "a", "Blood leaves through the {{c1::arteries}}",
                   "", kind="cloze", ordinal=1)  # fmt: skip
    from flashcards.storage import Card

    Card.update(due=TODAY, repetitions=2, lapses=1, easiness=210).where(Card.id == cid).execute()
    card(col, "Short", due=TODAY, repetitions=2, lapses=12, easiness=130)


def test_cli_hardest_cards_keep_their_numbers_at_80_columns(col):
    from rich.console import Console

    from flashcards.cli.stats_cmd import hardest_table
    from flashcards.stats import collection_stats

    _hard_collection(col)
    console = Console(width=80, record=True, markup=False, emoji=False)
    console.print(hardest_table(collection_stats(col), 80))
    out = console.export_text()
    assert "Blood leaves through the arteries" in out and "{{c1" not in out
    rows = [line for line in out.splitlines() if "2.10" in line or "1.30" in line]
    assert len(rows) == 2  # both ease values whole, on their rows
    assert all(len(line) <= 80 for line in out.splitlines())
    assert any(" 12 │ 1.30 " in line for line in rows)
    assert any(" 1 │ 2.10 " in line for line in rows)


async def test_tui_hardest_cards_align_and_say_1_lapse(col):
    from textual.app import App

    from flashcards.stats import collection_stats
    from flashcards.ui.widgets.hardest_cards import HardestCards

    _hard_collection(col)

    class One(App):
        def compose(self):
            yield HardestCards()

    app = One()
    async with app.run_test(size=(80, 24)) as pilot:
        widget = app.query_one(HardestCards)
        widget.set_cards(collection_stats(col).hardest)
        await pilot.pause()
        lines = str(widget.render()).splitlines()[1:]
        assert lines[0].startswith("12 lapses  ease 1.30  ")
        assert lines[1].startswith("  1 lapse  ease 2.10  Blood leaves through the arteries")
        assert all(len(line) <= 80 for line in lines)
        assert lines[0].index("Short") == lines[1].index("Medicine")  # the deck column lines up
