"""The search language parser: every operator, grouping, quoting, and each error with its column.

Pure: no database. The compiler is tested on real collections in tests/services.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.errors import UserError
from flashcards.search import QueryError, parse_query
from flashcards.search.nodes import (
    Added,
    And,
    DeckName,
    Everything,
    Ids,
    Kind,
    Not,
    Or,
    Prop,
    Rated,
    Regex,
    State,
    Tag,
    Text,
)
from flashcards.search.parser import MAX_DEPTH, MAX_QUERY_CHARS


def word(text: str) -> Text:
    return Text(None, (text,), whole=False)


GOOD = [
    ("", Everything()),
    ("   ", Everything()),
    ("dog", word("dog")),
    ("dog cat", And((word("dog"), word("cat")))),
    ("dog and cat", And((word("dog"), word("cat")))),
    ('"a dog"', word("a dog")),
    ("d*g", Text(None, ("d", "g"), whole=False)),
    ("d\\*g", word("d*g")),
    ("x\\:y", word("x:y")),
    ('say\\"hi', word('say"hi')),
    ("12:30", word("12:30")),
    ("-dog", Not(word("dog"))),
    ("- dog", And((word("-"), word("dog")))),
    ("--dog", Not(Not(word("dog")))),
    ("dog OR cat", Or((word("dog"), word("cat")))),
    ("dog or cat", Or((word("dog"), word("cat")))),
    ('dog "or" cat', And((word("dog"), word("or"), word("cat")))),
    ("a b OR c", Or((And((word("a"), word("b"))), word("c")))),
    ("a (b OR c)", And((word("a"), Or((word("b"), word("c")))))),
    ("-(a OR b)", Not(Or((word("a"), word("b"))))),
    ("((a))", word("a")),
    ("front:dog", Text("front", ("dog",), whole=True)),
    ("FRONT:dog", Text("front", ("dog",), whole=True)),
    ("back:*dog*", Text("back", ("", "dog", ""), whole=True)),
    ('front:"a dog"', Text("front", ("a dog",), whole=True)),
    ('"front:a dog"', Text("front", ("a dog",), whole=True)),
    ("re:^how", Regex(None, "^how")),
    ("re:\\d+", Regex(None, "\\d+")),
    ('re:"(a|b)c"', Regex(None, "(a|b)c")),
    ("front:re:dog$", Regex("front", "dog$")),
    ('deck:"Muscle spasms"', DeckName(("Muscle spasms",))),
    ("deck:Parent::*", DeckName(("Parent::", ""))),
    ("tag:dystonias", Tag(("dystonias",))),
    ("tag:a::*", Tag(("a::", ""))),
    ("is:new", State("new")),
    ("is:DUE", State("due")),
    ("is:review", State("review")),
    ("is:suspended", State("suspended")),
    ("is:buried", State("buried")),
    ("is:leech", State("leech")),
    ("type:basic", Kind("basic")),
    ("type:reverse", Kind("reverse")),
    ("type:cloze", Kind("cloze")),
    ("type:type", Kind("type")),
    ("prop:ivl>=10", Prop("ivl", ">=", 10)),
    ("prop:due<=-2", Prop("due", "<=", -2)),
    ("prop:due=0", Prop("due", "=", 0)),
    ("prop:ease<2.0", Prop("ease", "<", 200)),
    ("prop:ease!=2.55", Prop("ease", "!=", 255)),
    ("prop:lapses>3", Prop("lapses", ">", 3)),
    ("prop:reps=0", Prop("reps", "=", 0)),
    ("added:7", Added(7)),
    ("rated:2", Rated(2, None)),
    ("rated:2:1", Rated(2, 1)),
    ("id:5", Ids((5,))),
    ("id:5,7,9", Ids((5, 7, 9))),
]


@pytest.mark.parametrize(("query", "tree"), GOOD, ids=[q or "empty" for q, _ in GOOD])
def test_parses(query: str, tree: object) -> None:
    assert parse_query(query) == tree


BAD = [
    ("prp:ivl>3", "unknown field 'prp'", 1),
    ("dog prp:x", "unknown field 'prp'", 5),
    ("is:nope", "unknown value 'nope' for is:", 4),
    ("type:note", "unknown value 'note' for type:", 6),
    ("prop:ivl", "prop:ivl needs a comparison", 6),
    ("prop:size>3", "unknown property 'size'", 6),
    ("prop:ivl>=abc", "prop:ivl needs a whole number", 11),
    ("prop:ivl>=-1", "prop:ivl must be between 0", 11),
    ("prop:due<999999", "prop:due must be between", 10),
    ("prop:ease<2.555", "prop:ease needs a number", 11),
    ("added:0", "added: must be between 1", 7),
    ("added:x", "added: needs a whole number", 7),
    ("rated:2:9", "the grade of rated: must be between 0 and 5", 9),
    ("rated:2:", "the grade of rated: needs a whole number", 9),
    ("id:1,,2", "id: needs a whole number", 6),
    ("id:0", "id: must be between 1", 4),
    ("tag:", "tag: needs a value", 5),
    ("front:", "front: needs something to search for", 7),
    ('tag:"a b"', "a tag has no spaces", 6),
    ('"dog', "unterminated quote", 1),
    ('cat "dog', "unterminated quote", 5),
    ("dog\\", "a backslash must be followed by a character", 4),
    ("(dog", "missing ')' for the '('", 1),
    ("dog)", "unmatched ')'", 4),
    ("()", "nothing to search for before ')'", 2),
    ("dog OR", "OR needs a search term after it", 5),
    ("OR dog", "OR needs a search term before it", 1),
    ("a OR OR b", "OR needs a search term after it", 3),
    ("AND dog", "AND needs a search term before it", 1),
    ("-)", "unmatched ')'", 2),
    ('""', "empty search term", 1),
    ("dog\x00", "control character (U+0000)", 4),
    ("\x1b[2J", "control character (U+001B)", 1),
    ("re:", "re: needs a regular expression", 4),
    ("re:[", "bad regular expression", 4),
    ('re:"(a+)+$"', "repeats a repetition", 5),
    ('re:"(a)\\1"', "back-reference", 5),
]


@pytest.mark.parametrize(("query", "message", "column"), BAD, ids=[q for q, _, _ in BAD])
def test_errors_name_the_column(query: str, message: str, column: int) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(query)
    assert isinstance(caught.value, UserError)
    text = str(caught.value)
    assert message in text
    assert text.endswith(f" at column {column}")
    assert caught.value.column == column
    assert "\n" not in text


def test_the_error_of_the_issue() -> None:
    with pytest.raises(QueryError, match=r"^unknown field 'prp' at column 1$"):
        parse_query("prp:ivl>3")


def test_nesting_and_length_are_capped() -> None:
    parse_query("(" * (MAX_DEPTH - 1) + "a" + ")" * (MAX_DEPTH - 1))
    with pytest.raises(QueryError, match="nests more than"):
        parse_query("(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1))
    with pytest.raises(QueryError, match="nests more than"):
        parse_query("-" * (MAX_DEPTH + 1) + "a")
    with pytest.raises(QueryError, match="longer than"):
        parse_query("a" * (MAX_QUERY_CHARS + 1))


def test_a_long_flat_query_parses_quickly() -> None:
    """Linear: the longest allowed query of many terms parses (no recursion per term)."""
    tree = parse_query(" ".join(["a"] * (MAX_QUERY_CHARS // 2)))
    assert isinstance(tree, And) and len(tree.items) == MAX_QUERY_CHARS // 2


QUERY_ALPHABET = st.sampled_from(
    list('abc -()":*\\,.<>=!01 9')
    + ["OR", "re:", "tag:", "deck:", "is:", "prop:", "front:"]
    + ["prop:ivl", "rated:", "id:", "added:", "type:", "é", "\x1b", "\n"]
)


@settings(max_examples=600, deadline=None)
@given(st.one_of(st.lists(QUERY_ALPHABET, max_size=40).map("".join), st.text(max_size=60)))
def test_any_query_parses_or_raises_the_one_user_error(query: str) -> None:
    """The parser's one fuzzer: strings built of its own syntax (operators, prefixes, quotes,
    escapes, controls), and any text at all."""
    try:
        parse_query(query)
    except QueryError as exc:
        assert " at column " in str(exc) and "\n" not in str(exc)
