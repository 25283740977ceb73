"""The app's two stylesheets: `first_paint.tcss` (what the review's first frame needs) and
`app.tcss` (everything else). Each rule lives in exactly one of them (ARCHITECTURE.md)."""

from __future__ import annotations

import re

import pytest

from flashcards.ui.app import APP_CSS, FIRST_PAINT_CSS

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


def test_no_selector_is_styled_in_both_stylesheets() -> None:
    first = top_level_selectors(FIRST_PAINT_CSS.read_text(encoding="utf-8"))
    rest = top_level_selectors(APP_CSS.read_text(encoding="utf-8"))
    assert first, "the first paint's stylesheet has rules"
    assert set(first).isdisjoint(rest)
    assert len(first) == len(set(first)) and len(rest) == len(set(rest))
