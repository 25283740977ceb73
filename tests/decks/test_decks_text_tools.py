"""HTML to text, cloze rendering, and typed-answer checking: small pure functions, tables."""

from __future__ import annotations

import pytest

from flashcards.decks.answer_check import (
    answers_match,
    normalise_answer,
    suggest_grade,
)
from flashcards.decks.cloze import cloze_answers, cloze_numbers, render_cloze
from flashcards.decks.html_text import has_media, html_to_text


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("plain", "plain"),
        ("a<br>b<br/>c", "a\nb\nc"),
        ("a<br><br>b", "a\n\nb"),
        ("<div>one</div><div>two</div>", "one\ntwo"),
        ("<p>para</p><p>graph</p>", "para\ngraph"),
        ("<ul><li>x</li><li>y</li></ul>", "- x\n- y"),
        ("<b>bold</b> and <i>it</i>alic", "bold and italic"),
        ("&amp; &lt;tag&gt; &nbsp;x &#233; &eacute;", "& <tag> x \u00e9 \u00e9"),
        ("  spaced\n   out  ", "spaced out"),
        ('<img src="a.png">[sound:b.mp3]text', "text"),
        ("<style>.x{}</style><script>alert(1)</script>shown", "shown"),
        ("{{c1::<b>Paris</b>}}", "{{c1::Paris}}"),
        ("x < y and y > z", "x < y and y > z"),
        ("<div><div>nested</div></div>after", "nested\nafter"),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


@pytest.mark.parametrize(
    ("field", "media"),
    [("<img src='x.jpg'>", True), ("[sound:a.mp3]", True), ("<IMG SRC=x>", True),
     ("<video src=v>", True), ("no media", False), ("[sound]", False)],
)
def test_has_media(field: str, media: bool) -> None:
    assert has_media(field) is media


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("{{c1::a}} {{c2::b}} {{c1::c}}", [1, 2]),
        ("{{c3::x::hint}}", [3]),
        ("{{c0::x}} {c1::y} {{c1:z}}", []),
        ("no cloze", []),
        ("{{c10::a}}{{c2::b}}", [2, 10]),
    ],
)
def test_cloze_numbers(text: str, numbers: list[int]) -> None:
    assert cloze_numbers(text) == numbers


TEXT = "{{c1::Paris}} is the capital of {{c2::France::country}}, like {{c1::Lyon}}? No."


@pytest.mark.parametrize(
    ("ordinal", "reveal", "segments"),
    [
        (1, False, [("[...]", True), (" is the capital of France, like ", False), ("[...]", True),
                    ("? No.", False)]),
        (1, True, [("Paris", True), (" is the capital of France, like ", False), ("Lyon", True),
                   ("? No.", False)]),
        (2, False, [("Paris is the capital of ", False), ("[country]", True),
                    (", like Lyon? No.", False)]),
        (2, True, [("Paris is the capital of ", False), ("France", True),
                   (", like Lyon? No.", False)]),
    ],
)
def test_render_cloze(ordinal: int, reveal: bool, segments: list[tuple[str, bool]]) -> None:
    assert render_cloze(TEXT, ordinal, reveal) == segments


def test_cloze_answers() -> None:
    assert cloze_answers(TEXT, 1) == ["Paris", "Lyon"]


@pytest.mark.parametrize(
    ("raw", "normal"),
    [("  Hello   World ", "hello world"), ("Caf\u00e9", "cafe"), ("STRASSE", "strasse"),
     ("Stra\u00dfe", "strasse"), ("\uff21", "a"), ("na\u0308ive", "naive"),
     ("It's, well!", "its well")],
)
def test_normalise_answer(raw: str, normal: str) -> None:
    assert normalise_answer(raw) == normal


@pytest.mark.parametrize(
    ("typed", "expected", "match", "grade"),
    [
        ("Botox", "Botox", True, 5),
        ("  Botox ", "Botox", True, 5),
        ("botox", "Botox", True, 5),
        ("cafe", "Caf\u00e9", True, 5),
        ("diazepan", "diazepam", False, 4),
        ("levodopa", "reserpine", False, 0),
        ("", "anything", False, 0),
    ],
)
def test_answers_match_and_suggest_grade(typed: str, expected: str, match: bool,
                                         grade: int) -> None:
    assert answers_match(typed, expected) is match
    assert suggest_grade(typed, expected) == grade
