"""Driving the review screen end to end against a real database file."""

from __future__ import annotations

from flashcards.storage import Card, Review
from flashcards.ui.screens.review import ReviewScreen
from flashcards.ui.screens.summary import SummaryScreen
from tests.conftest import add_cards


async def test_review_five_new_cards(col, make_app):
    ids = add_cards(col, "Spanish", 5)
    app = make_app(start_review="Spanish")
    async with app.run_test(size=(100, 32)) as pilot:
        assert isinstance(app.screen, ReviewScreen)
        for _ in range(5):
            await pilot.press("space")
            await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    rows = list(Review.select().order_by(Review.id))
    assert [r.card_id for r in rows] == ids
    assert all(r.quality == 4 and not r.drill for r in rows)
    for card in Card.select():
        assert (card.repetitions, card.interval) == (1, 1)
        assert card.due.isoformat() == "2026-03-03"
