"""The app's stylesheets: `first_paint.tcss` (what the review's first frame needs),
`first_paint_home.tcss` (what the home screen's first frame needs) and `app.tcss` (everything
else). Each rule lives in exactly one of them, and a first frame needs no rule but its own file's
(ARCHITECTURE.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.app import App
from textual.dom import DOMNode

from flashcards.services.collection import Collection
from flashcards.ui.stylesheets import FIRST_PAINT_CSS, HOME_FIRST_PAINT_CSS, STYLESHEETS
from tests.ui.helpers import add_card, wait_until

COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def top_level_selectors(css: str) -> list[str]:
    """Each selector of each top-level rule, whitespace normalised (nested rules belong to
    their parent's selector)."""
    selectors: list[str] = []
    depth = 0
    start = 0
    text = COMMENT.sub("", css)
    for at, char in enumerate(text):
        if char == "{":
            if depth == 0:
                head = text[start:at]
                selectors += [" ".join(part.split()) for part in head.split(",")]
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                start = at + 1
    return selectors


@pytest.mark.parametrize(
    ("css", "expected"),
    [
        ("A { x: 1; }\nB  C, D { y: 2; }", ["A", "B C", "D"]),
        ("/* A { } */ E { & > F { z: 1; } }", ["E"]),
    ],
)
def test_top_level_selectors(css: str, expected: list[str]) -> None:
    assert top_level_selectors(css) == expected


def test_no_selector_is_styled_in_two_stylesheets() -> None:
    selectors = [top_level_selectors(path.read_text(encoding="utf-8")) for path in STYLESHEETS]
    assert all(selectors), "every stylesheet has rules"
    every = [selector for one in selectors for selector in one]
    assert len(every) == len(set(every))


def restyle_from(app: App, first_paint: Path, nodes: list[DOMNode]) -> None:
    """Style `nodes` again with the app's stylesheet as if, of our files, only `first_paint`
    had been read."""
    sheet = app.stylesheet.copy()
    for path in STYLESHEETS:
        if path != first_paint:
            del sheet.source[(str(path), "")]
    sheet.parse()
    for node in nodes:
        sheet.apply(node)


FIRST_FRAME_NODES = ("ReviewScreen", "CardFace", "#card-meta", "#question")


@pytest.mark.parametrize("question", ["What is a muscle spasm?", "A long question. " * 8])
async def test_the_first_frame_is_styled_as_with_the_whole_stylesheet(
    col: Collection, make_app, question: str
) -> None:
    """What the review's first frame shows gets the same styles from first_paint.tcss alone as
    from both files: no rule it needs was left in app.tcss (a short question and a paragraph,
    which are aligned differently)."""
    add_card(col, "Medicine", "m1", question, "An answer.")
    app = make_app(start_review="Medicine")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: getattr(app.screen, "ready", False))
        nodes = [app.screen, *(app.screen.query_one(s) for s in FIRST_FRAME_NODES[1:])]
        whole = [node.styles.css for node in nodes]
        restyle_from(app, FIRST_PAINT_CSS, nodes)
        assert [node.styles.css for node in nodes] == whole


HOME_FIRST_FRAME = ("#home-body", "#decks", "#empty")


@pytest.mark.parametrize("size", [(60, 20), (100, 30)])
async def test_the_home_first_frame_is_styled_as_with_the_whole_stylesheet(
    col: Collection, make_app, size: tuple[int, int]
) -> None:
    """The home screen's deck list (its colours included) gets the same styles from
    first_paint_home.tcss alone as from every file, wide and narrow."""
    add_card(col, "Medicine", "m1", "A question?", "An answer.")
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: getattr(app.screen, "ready", False))
        nodes = [app.screen, *(app.screen.query_one(s) for s in HOME_FIRST_FRAME)]
        parts = ("line-list--header", "line-list--even-row", "line-list--cursor")
        table = nodes[2]

        def styles() -> list[str]:
            own = [node.styles.css for node in nodes]
            return own + [table.get_component_styles(part).css for part in parts]

        whole = styles()
        restyle_from(app, HOME_FIRST_PAINT_CSS, nodes)
        assert styles() == whole
