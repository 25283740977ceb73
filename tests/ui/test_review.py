"""Driving the review screen end to end against a real database file.

Each test starts the app as `flashcards review DECK` would (start_review=deck), presses keys as a
user would, and checks both the screen and the rows in the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from textual.widgets import Input

from flashcards.storage import Card, Review
from flashcards.ui.screens.nothing_due import NothingDueScreen
from flashcards.ui.screens.review import ReviewScreen
from flashcards.ui.screens.summary import SummaryScreen
from flashcards.ui.widgets.grade_bar import GradeBar
from tests.conftest import add_cards
from tests.ui.helpers import add_card, grade_label, shown

TOMORROW = dt.date(2026, 3, 3)


async def test_review_five_new_cards_to_the_end(col, make_app):
    ids = add_cards(col, "Spanish", 5)
    app = make_app(start_review="Spanish")
    async with app.run_test(size=(100, 32)) as pilot:
        assert isinstance(app.screen, ReviewScreen)
        for i in range(5):
            assert shown(app.screen, "#question") == f"q front {i}"
            await pilot.press("space")
            assert shown(app.screen, "#answer") == f"q back {i}"
            await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    rows = list(Review.select().order_by(Review.id))
    assert [r.card_id for r in rows] == ids
    assert all(r.quality == 4 and not r.drill and r.button is None for r in rows)
    assert all(r.duration_ms == 4000 for r in rows)  # the stepping timer: 4 s per answer
    for card in Card.select():
        assert (card.repetitions, card.interval, card.easiness) == (1, 1, 250)
        assert card.due == TOMORROW


async def test_grade_keys_do_nothing_before_reveal(col, make_app):
    add_cards(col, "D", 2)
    app = make_app(start_review="D")
    async with app.run_test(size=(100, 32)) as pilot:
        for key in "012345":
            await pilot.press(key)
        assert Review.select().count() == 0
        assert not app.screen.revealed
        assert not app.screen.query_one(GradeBar).display  # the bar comes with the answer
        await pilot.press("enter")
        assert app.screen.revealed
        assert app.screen.query_one(GradeBar).display


async def test_grade_buttons_show_intervals_and_are_clickable(col, make_app):
    add_cards(col, "D", 2)
    app = make_app(start_review="D")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("space")
        label = grade_label(app.screen, "5")
        assert "Perfect" in label and "1d" in label
        assert "+today" in grade_label(app.screen, "3")
        assert await pilot.click("#grade-5")
        await pilot.pause()
        assert shown(app.screen, "#question") == "q front 1"
    review = Review.get()
    assert review.quality == 5


async def test_undo_twice_restores_both_cards(col, make_app):
    first, second, _ = add_cards(col, "D", 3)
    app = make_app(start_review="D")
    async with app.run_test(size=(100, 32)) as pilot:
        for grade in ("5", "1"):
            await pilot.press("space", grade)
        assert Review.select().count() == 2
        await pilot.press("u")
        assert shown(app.screen, "#question") == "q front 1"
        await pilot.press("u")
        assert shown(app.screen, "#question") == "q front 0"
        assert not app.screen.revealed
        await pilot.press("u")  # nothing left to undo: a notice, no error
        assert shown(app.screen, "#question") == "q front 0"
    assert Review.select().count() == 0
    for card_id in (first, second):
        card = Card.get_by_id(card_id)
        assert card.due is None
        assert (card.repetitions, card.interval, card.easiness, card.lapses) == (0, 0, 250, 0)


async def test_bury_and_suspend(col, make_app):
    buried, suspended, last = add_cards(col, "D", 3)
    app = make_app(start_review="D")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("b")
        assert shown(app.screen, "#question") == "q front 1"
        await pilot.press("exclamation_mark")
        assert shown(app.screen, "#question") == "q front 2"
    assert Card.get_by_id(buried).buried_until == TOMORROW
    assert Card.get_by_id(suspended).suspended
    last_card = Card.get_by_id(last)
    assert not last_card.suspended and last_card.buried_until is None
    assert Review.select().count() == 0


async def test_cloze_card_hides_then_reveals_its_deletion(col, make_app):
    add_card(
        col,
        "G",
        "c1",
        "The {{c1::subjunctive}} mood expresses {{c2::wishes}}.",
        "chapter 4",
        kind="cloze",
        ordinal=1,
    )
    app = make_app(start_review="G")
    async with app.run_test(size=(100, 32)) as pilot:
        assert shown(app.screen, "#question") == "The [...] mood expresses wishes."
        await pilot.press("space")
        assert shown(app.screen, "#question") == "The subjunctive mood expresses wishes."
        assert shown(app.screen, "#answer") == "chapter 4"


async def test_type_card_compares_and_suggests_a_grade(col, make_app):
    add_card(col, "T", "t1", "Spanish for 'dog'?", "perro", kind="type")
    app = make_app(start_review="T")
    async with app.run_test(size=(100, 32)) as pilot:
        answer = app.screen.query_one("#typed-answer", Input)
        assert answer.has_focus
        await pilot.press(*"Pero ")
        await pilot.press("enter")
        assert app.screen.revealed
        typed = shown(app.screen, "#typed")
        assert "You typed  Pero " in typed  # exactly as typed
        assert "Suggested grade: 4 Hesitated" in typed  # a one-letter slip
        assert app.screen.query_one("#grade-4").has_class("-suggested")
        await pilot.press("enter")  # accepts the suggestion
        await pilot.pause()
    assert Review.get().quality == 4


async def test_input_not_focused_on_basic_cards(col, make_app):
    add_cards(col, "D", 1)
    app = make_app(start_review="D")
    async with app.run_test(size=(100, 32)):
        assert not app.screen.query_one("#typed-answer", Input).display
        assert app.focused is None


async def test_markup_in_cards_is_shown_literally(col, make_app):
    add_card(col, "M", "m1", "[bold]ser[/] or [red]estar[/red]?", "[/] and [link=x]y[/link]")
    app = make_app(start_review="M")
    async with app.run_test(size=(100, 32)) as pilot:
        assert shown(app.screen, "#question") == "[bold]ser[/] or [red]estar[/red]?"
        await pilot.press("space")
        assert shown(app.screen, "#answer") == "[/] and [link=x]y[/link]"


async def test_four_button_mode(col, make_app):
    add_cards(col, "D", 2)
    app = make_app(start_review="D", grading="four")
    async with app.run_test(size=(100, 32)) as pilot:
        assert not app.screen.query("#grade-0") and not app.screen.query("#grade-5")
        await pilot.press("space")
        assert "Again" in grade_label(app.screen, "1")
        await pilot.press("1")  # Again
        await pilot.press("space", "4")  # Easy
        await pilot.press("space", "3")  # the drill of the first card: Good
        await pilot.pause()
    rows = list(Review.select().order_by(Review.id))
    assert [(r.quality, r.button, r.drill) for r in rows] == [
        (2, "again", False),
        (5, "easy", False),
        (4, "good", True),
    ]


async def test_summary_numbers(col, make_app):
    add_cards(col, "D", 3)
    app = make_app(start_review="D")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("space", "5", "space", "3", "space", "0")
        await pilot.press("space", "4", "space", "5")  # the two drills
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        summary = app.screen.summary
        assert (summary.reviewed, summary.correct, summary.new_learned, summary.drills) == (
            3,
            2,
            3,
            2,
        )
        text = shown(app.screen, "#summary")
        assert "Correct (q ≥ 3)     2 (67%)" in text
        assert "Time spent          20s" in text
        assert "Next review         tomorrow (2026-03-03)" in text
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 0  # opened with `review`: leaving the summary exits


async def test_nothing_due_offers_more_new_cards_and_cram(col, make_app):
    col.settings = replace(col.settings, new_per_day=1)
    add_cards(col, "D", 3)
    app = make_app(start_review="D")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("space", "5")
        await pilot.pause()
        await pilot.press("enter")  # leave the summary
        await pilot.pause()
    # The day's one new card is done: a second run finds nothing due.
    app = make_app(start_review="D")
    async with app.run_test(size=(100, 32)) as pilot:
        assert isinstance(app.screen, NothingDueScreen)
        assert "Next card due: tomorrow (2026-03-03)" in shown(app.screen, "#nothing-due")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.session.cram
        await pilot.press("space", "5")
        assert Review.select().count() == 1  # cram writes nothing
        await pilot.press("q")  # to the cram summary
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    app = make_app(start_review="D")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.session.counts().new == 2


async def test_edit_current_card(col, make_app):
    card_id, _ = add_cards(col, "D", 2)
    app = make_app(start_review="D")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("space", "e")
        await pilot.pause()
        await pilot.press("end", *" [fixed]")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert shown(app.screen, "#question") == "q front 0 [fixed]"
        assert app.screen.revealed  # still showing the answer, as before the edit
        await pilot.press("5")
    card = Card.get_by_id(card_id)
    assert card.front == "q front 0 [fixed]" and card.repetitions == 1


async def test_leech_notice(col, make_app):
    (card_id,) = add_cards(col, "D", 1)
    Card.update(repetitions=3, interval=10, due=dt.date(2026, 3, 1), lapses=7).where(
        Card.id == card_id
    ).execute()
    app = make_app(start_review="D")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("space", "1")
        await pilot.pause()
        assert any(n.title == "Leech" for n in app.notices)
    card = Card.get_by_id(card_id)
    assert card.suspended and "leech" in card.tags.split()


@pytest.mark.sqlite_only  # PRAGMA query_only makes the save fail
async def test_a_failed_save_keeps_the_card_to_grade_again(col, make_app):
    """A busy or full collection: an error notice, the card stays, the next grade is saved."""
    add_cards(col, "Spanish", 2)
    app = make_app(start_review="Spanish")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("space")
        col.db.execute_sql("PRAGMA query_only = 1")  # every write fails from here on
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert shown(app.screen, "#question") == "q front 0" and app.screen.revealed
        assert any("Not saved" in n.message for n in app.notices)
        col.db.execute_sql("PRAGMA query_only = 0")
        await pilot.press("4")
        await pilot.pause()
        assert shown(app.screen, "#question") == "q front 1"
    assert Review.select().count() == 1
