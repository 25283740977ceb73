"""SVG snapshots of the review side at 60x20, 80x24 and 120x40 (issue 16): the question, the
answer with its grade bar, a drill's answer and the help overlay. A FixedClock (the `col`
fixture) and a stepping timer keep them stable.

Regenerate after an intended change with `pytest tests/ui --snapshot-update`, then look at the
SVGs (convert them to PNG to view)."""

from __future__ import annotations

import pytest

from tests.ui.helpers import add_card, wait_for_footer

SIZES = [(60, 20), (80, 24), (120, 40)]
ANSWER = (
    "Involuntary contractions of a muscle or a group of muscles. They are usually harmless "
    "and pass within minutes.\n\nCommon causes: dehydration, overuse, low potassium or "
    "calcium, and nerve problems."
)


def _cards(col) -> None:
    add_card(col, "Medicine::Muscles", "m1", "What is a muscle spasm?", ANSWER, tags="muscle")


async def _help(pilot) -> None:
    await wait_for_footer(pilot)
    await pilot.press("question_mark")
    await pilot.pause()
    await wait_for_footer(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_question(col, make_app, snap_compare, size):
    _cards(col)
    assert snap_compare(
        make_app(start_review="Medicine"), terminal_size=size, run_before=wait_for_footer
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_answer(col, make_app, snap_compare, size):
    _cards(col)
    app = make_app(start_review="Medicine")
    assert snap_compare(app, press=["space"], terminal_size=size, run_before=wait_for_footer)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_drill_answer(col, make_app, snap_compare, size):
    _cards(col)
    app = make_app(start_review="Medicine")
    keys = ["space", "2", "space"]  # failed once: the card comes back as a drill
    assert snap_compare(app, press=keys, terminal_size=size, run_before=wait_for_footer)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help(col, make_app, snap_compare, size):
    _cards(col)
    app = make_app(start_review="Medicine")
    assert snap_compare(app, terminal_size=size, run_before=_help)
