"""The deck-name rule in one place: splitting, joining, hierarchy and what may be stored."""

from __future__ import annotations

import pytest

from flashcards.decks import names
from flashcards.decks.limits import MAX_DECK_DEPTH, MAX_DECK_NAME_CHARS


@pytest.mark.parametrize(
    ("name", "parts", "depth", "leaf", "parent", "ancestors"),
    [
        ("A", ["A"], 0, "A", None, []),
        ("A::B", ["A", "B"], 1, "B", "A", ["A"]),
        ("A::B::C", ["A", "B", "C"], 2, "C", "A::B", ["A", "A::B"]),
        ("Lang: French", ["Lang: French"], 0, "Lang: French", None, []),
    ],
)
def test_hierarchy(
    name: str, parts: list[str], depth: int, leaf: str, parent: str | None, ancestors: list[str]
) -> None:
    assert names.split(name) == parts
    assert names.join(parts) == name
    assert names.depth(name) == depth
    assert names.leaf(name) == leaf
    assert names.parent(name) == parent
    assert names.ancestors(name) == ancestors


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("A", "A"),
        ("  A :: B ", "A::B"),
        ("Lang::French::Verbs", "Lang::French::Verbs"),
        ("::".join(["d"] * MAX_DECK_DEPTH), "::".join(["d"] * MAX_DECK_DEPTH)),
        ("n" * MAX_DECK_NAME_CHARS, "n" * MAX_DECK_NAME_CHARS),
    ],
)
def test_validate_normalises_a_storable_name(given: str, stored: str) -> None:
    assert names.validate(given) == stored


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("", "has an empty part between '::'"),
        ("   ", "has an empty part between '::'"),
        ("A::", "has an empty part between '::'"),
        ("A:: ::B", "has an empty part between '::'"),
        ("::".join(["d"] * (MAX_DECK_DEPTH + 1)), "is nested 33 levels deep; at most 32"),
        ("n" * (MAX_DECK_NAME_CHARS + 1), "is longer than 255 characters"),
    ],
)
def test_validate_refuses_what_cannot_be_stored(given: str, reason: str) -> None:
    with pytest.raises(names.InvalidDeckName) as info:
        names.validate(given)
    assert info.value.reason.startswith(reason)


@pytest.mark.parametrize(
    ("name", "root", "inside"),
    [
        ("Lang", "Lang", True),
        ("Lang::French", "Lang", True),
        ("Language", "Lang", False),
        ("Lang", "Lang::French", False),
    ],
)
def test_in_tree(name: str, root: str, inside: bool) -> None:
    assert names.in_tree(name, root) is inside
