"""SVG snapshots of the main screens at 100x32, with a FixedClock so dates never change.

Regenerate after an intended change with `pytest tests/ui --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

from tests.conftest import add_cards
from tests.ui.helpers import add_card, wait_for_footer

SIZE = (100, 32)


def _collection(col) -> None:
    add_cards(col, "Spanish::Verbs", 3, prefix="verb")
    add_card(
        col, "Spanish::Grammar", "g1", "The {{c1::subjunctive}} mood", "", kind="cloze", ordinal=1
    )
    add_cards(col, "Medicine", 2, prefix="drug")


def test_home_screen(col, make_app, snap_compare):
    _collection(col)
    assert snap_compare(make_app(), terminal_size=SIZE)


def test_question(col, make_app, snap_compare):
    _collection(col)
    app = make_app(start_review="Spanish::Verbs")
    assert snap_compare(app, terminal_size=SIZE, run_before=wait_for_footer)


def test_revealed_answer_with_grade_bar(col, make_app, snap_compare):
    _collection(col)
    app = make_app(start_review="Spanish::Verbs")
    assert snap_compare(app, press=["space"], terminal_size=SIZE)


def test_four_button_grade_bar(col, make_app, snap_compare):
    _collection(col)
    app = make_app(start_review="Spanish::Verbs", grading="four")
    assert snap_compare(app, press=["space"], terminal_size=SIZE)


def test_summary(col, make_app, snap_compare):
    _collection(col)
    app = make_app(start_review="Spanish::Verbs")
    keys = ["space", "5", "space", "3", "space", "4", "space", "5"]
    assert snap_compare(app, press=keys, terminal_size=SIZE)
