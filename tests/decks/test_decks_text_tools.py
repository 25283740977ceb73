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
    ("html", "text"),
    [
        (
            "<table><tr><th>Country</th><th>Capital</th></tr><tr><td>France</td><td>Paris</td></tr>"
            "<tr><td>Australia</td><td><b>Canberra</b>\n city</td></tr></table>after",
            "Country   | Capital\nFrance    | Paris\nAustralia | Canberra city\nafter",
        ),
        (
            "<table>\n <tr>\n  <td>a</td>\n  <td>bb</td><td>c</td></tr>\n <tr><td>long</td></tr>"
            "</table>",
            "a    | bb | c\nlong",
        ),
        # a nested table's text joins its cell
        (
            "<table><tr><td>1<table><tr><td>in</td></tr></table></td><td>2</td></tr></table>",
            "1 in | 2",
        ),
        (
            "x<pre>\ndef f():\n    return  1\n\n    # end</pre>y",
            "x\ndef f():\n    return  1\n\n    # end\ny",
        ),
        ("<pre>  a &amp; b<br>\tc</pre>", "  a & b\n\tc"),
        ("<pre>  never closed\n    x", "  never closed\n    x"),
        ("x<table><tr><td>a</td><td>b", "x\na | b"),  # a table never closed keeps its cells
        ("<table><tr><td>a<table><tr><td>in", "a in"),
    ],
)
def test_tables_align_and_pre_keeps_its_lines(html: str, text: str) -> None:
    assert html_to_text(html) == text


@pytest.mark.parametrize(
    ("field", "media"),
    [
        ("<img src='x.jpg'>", True),
        ("[sound:a.mp3]", True),
        ("<IMG SRC=x>", True),
        ("<video src=v>", True),
        ("no media", False),
        ("[sound]", False),
    ],
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
        (
            1,
            False,
            [
                ("[...]", True),
                (" is the capital of France, like ", False),
                ("[...]", True),
                ("? No.", False),
            ],
        ),
        (
            1,
            True,
            [
                ("Paris", True),
                (" is the capital of France, like ", False),
                ("Lyon", True),
                ("? No.", False),
            ],
        ),
        (
            2,
            False,
            [("Paris is the capital of ", False), ("[country]", True), (", like Lyon? No.", False)],
        ),
        (
            2,
            True,
            [("Paris is the capital of ", False), ("France", True), (", like Lyon? No.", False)],
        ),
    ],
)
def test_render_cloze(ordinal: int, reveal: bool, segments: list[tuple[str, bool]]) -> None:
    assert render_cloze(TEXT, ordinal, reveal) == segments


def test_cloze_answers() -> None:
    assert cloze_answers(TEXT, 1) == ["Paris", "Lyon"]


NESTED = "{{c1::Canberra was {{c2::founded}} in 1913}}, {{c3::a {{c1::b::hint}} c}}"


@pytest.mark.parametrize(
    ("ordinal", "reveal", "segments"),
    [
        # the outer deletion hides everything inside it, and reveals its inner text
        (1, False, [("[...]", True), (", a ", False), ("[hint]", True), (" c", False)]),
        (
            1,
            True,
            [("Canberra was founded in 1913", True), (", a ", False), ("b", True), (" c", False)],
        ),
        (2, False, [("Canberra was ", False), ("[...]", True), (" in 1913, a b c", False)]),
        (2, True, [("Canberra was ", False), ("founded", True), (" in 1913, a b c", False)]),
        (3, False, [("Canberra was founded in 1913, ", False), ("[...]", True)]),
        (3, True, [("Canberra was founded in 1913, ", False), ("a b c", True)]),
    ],
)
def test_nested_cloze(ordinal: int, reveal: bool, segments: list[tuple[str, bool]]) -> None:
    assert cloze_numbers(NESTED) == [1, 2, 3]
    assert render_cloze(NESTED, ordinal, reveal) == segments


@pytest.mark.parametrize(
    ("text", "ordinal", "answers", "shown"),
    [
        (NESTED, 1, ["Canberra was founded in 1913", "b"], None),
        (NESTED, 3, ["a b c"], None),
        # a stray `}}` is text; an unclosed opener is text, its inner deletions still count
        ("x }} {{c1::y}}", 1, ["y"], "x }} [...]"),
        ("{{c1::open {{c2::in}}", 2, ["in"], "{{c1::open [...]"),
        ("{{c1::a::h1 {{c2::b}} c::h2}}", 1, ["ab c"], "[h2]"),  # a later hint wins, as Anki
    ],
)
def test_cloze_answers_nested(
    text: str, ordinal: int, answers: list[str], shown: str | None
) -> None:
    assert cloze_answers(text, ordinal) == answers
    if shown is not None:
        assert "".join(t for t, _ in render_cloze(text, ordinal, False)) == shown


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("  Hello   World ", "hello world"),
        ("Caf\u00e9", "cafe"),
        ("STRASSE", "strasse"),
        ("Stra\u00dfe", "strasse"),
        ("\uff21", "a"),
        ("na\u0308ive", "naive"),
        ("It's, well!", "its well"),
    ],
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
def test_answers_match_and_suggest_grade(
    typed: str, expected: str, match: bool, grade: int
) -> None:
    assert answers_match(typed, expected) is match
    assert suggest_grade(typed, expected) == grade
