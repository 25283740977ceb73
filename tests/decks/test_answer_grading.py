"""Typed answers: what counts as a difference, and the grade each difference suggests."""

from __future__ import annotations

import pytest

from flashcards.decks.answer_check import check_answer, grade_for, suggest_grade


@pytest.mark.parametrize(
    ("typed", "expected", "lenient", "grade"),
    [
        # case and spaces never count
        ("ROME", "Rome", True, 5),
        ("  rome  ", "Rome", False, 5),
        ("LE  cafe", "le café", True, 5),
        ("new  york", "New York", True, 5),
        # accents and punctuation count only when lenient_typing is off
        ("cafe", "café", True, 5),
        ("cafe", "café", False, 4),
        ("dont", "don't", True, 5),
        ("dont", "don't", False, 4),
        ("Muller", "Müller!", True, 5),
        # alternatives: either is right, the closest one is graded
        ("dog", "perro|dog", True, 5),
        ("perro", "perro | can", True, 5),
        ("pero", "can|perro", True, 4),
        # one-letter slips on a word of four letters or more
        ("Roma", "Rome", True, 4),
        ("diazepan", "diazepam", True, 4),
        ("Rom", "Rome", True, 4),
        # short words: one letter is a fifth or more of the answer
        ("si", "no", True, 0),
        ("sa", "si", True, 3),
        # further away
        ("diazpan", "diazepam", True, 3),
        ("benzodiazapines", "benzodiazepine", True, 3),
        ("levodopa", "reserpine", True, 0),
        ("", "anything", True, 0),
        ("   ", "anything", True, 0),
    ],
)
def test_suggested_grade(typed: str, expected: str, lenient: bool, grade: int) -> None:
    assert suggest_grade(typed, expected, lenient) == grade


@pytest.mark.parametrize(
    ("distance", "length", "grade"),
    [
        (0, 1, 5),
        (0, 50, 5),
        (1, 4, 4),
        (1, 3, 3),
        (1, 1, 3),
        (2, 10, 3),
        (4, 10, 2),
        (6, 10, 1),
        (7, 10, 0),
        (100, 10, 0),
    ],
)
def test_grade_table(distance: int, length: int, grade: int) -> None:
    assert grade_for(distance, length) == grade


def test_what_was_typed_is_kept_exactly_and_marked_by_character() -> None:
    result = check_answer("  LE  Cafe!", "le café")
    assert result.typed == "  LE  Cafe!"
    assert not any(result.wrong) and not any(result.missing)
    slip = check_answer("Roma", "Rome")
    assert slip.wrong == (False, False, False, True)
    assert slip.missing == (False, False, False, True)


def test_the_closest_alternative_is_shown() -> None:
    result = check_answer("can", "perro|cane")
    assert result.expected == "cane"
    assert result.missing == (False, False, False, True)
