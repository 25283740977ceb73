"""Regular expressions from a query: compiled once at parse time, with bounds.

Python's `re` backtracks, so a pattern such as `(a+)+$` can take exponential time on a card's
text. Patterns are capped in length, and a repetition nested inside another repetition (the shape
behind catastrophic backtracking) is refused. A pattern that does not compile is the user's error,
reported with its column before any SQL runs.
"""

from __future__ import annotations

import re

from flashcards.errors import UserError
from flashcards.search.errors import QueryError

MAX_REGEX_CHARS = 200

try:  # the parser behind re.compile; present on CPython 3.11+ (sre_parse before that)
    from re import _parser as _sre  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - other interpreters
    _sre = None

_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}


class _Nested(Exception):
    pass


def _walk(items: object, inside_repeat: bool) -> None:
    """Raise _Nested if a repetition (that can repeat more than once) holds another one."""
    for op, arg in items:  # type: ignore[attr-defined]
        name = str(op)
        if name in _REPEATS:
            low, high, sub = arg
            repeats = high is None or high > 1 or str(high) == "MAXREPEAT"
            if inside_repeat and repeats:
                raise _Nested
            _walk(sub, inside_repeat or repeats)
        elif name == "SUBPATTERN":
            _walk(arg[-1], inside_repeat)
        elif name == "BRANCH":
            for alternative in arg[1]:
                _walk(alternative, inside_repeat)
        elif name in ("ASSERT", "ASSERT_NOT"):
            _walk(arg[1], inside_repeat)
        elif name == "GROUPREF":
            raise _Nested  # a back-reference can force exponential matching as well


def check_regex(pattern: str, column: int) -> str:
    """`pattern` if it compiles and is bounded; else the user's error naming `column`."""
    if not pattern:
        raise QueryError(
            "re: needs a regular expression (quote one with spaces or parentheses)", column
        )
    if len(pattern) > MAX_REGEX_CHARS:
        raise QueryError(
            f"the regular expression is longer than {MAX_REGEX_CHARS} characters", column
        )
    try:
        re.compile(pattern, re.IGNORECASE)
        if _sre is not None:
            _walk(_sre.parse(pattern, re.IGNORECASE), inside_repeat=False)
    except re.error as exc:
        raise QueryError(f"bad regular expression ({exc.msg})", column + (exc.pos or 0)) from None
    except _Nested:
        raise QueryError(
            "the regular expression repeats a repetition (or uses a back-reference), which can "
            "take exponential time; simplify it",
            column,
        ) from None
    except (RecursionError, OverflowError, UserError):
        raise QueryError("the regular expression is too complex", column) from None
    return pattern
