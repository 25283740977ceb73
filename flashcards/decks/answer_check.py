"""Checking a typed answer for `type` cards, forgivingly, and finding where it differs.

A learner who typed "diazepam " for "Diazepam" knew the answer, and one who typed "Roma" for
"Rome" nearly did: case and surrounding or repeated spaces never count, and with
`lenient` (the `lenient_typing` setting, on by default) neither do accents or punctuation. An
answer written `a|b` accepts either alternative. The grade is only a suggestion, taken from the
edit distance; the learner decides.

Everything here is bounded for hostile cards (a 100,000-character back): at most
`MAX_ALTERNATIVES` alternatives are tried, difflib and the exact edit distance only run when
typed × expected is small, and past that a linear comparison (common start and end) is used.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass

MAX_DIFF_WORK = 250_000
"""Longest typed × expected product we give difflib, whose matching is quadratic (100 typed
characters against a 100,000-character back took 2.7 s); past it, a linear comparison."""
MAX_DISTANCE_WORK = 40_000
"""Longest product for the exact (quadratic) edit distance; past it, a linear upper bound."""
MAX_ALTERNATIVES = 20
"""`a|b|c…`: alternatives past this many are not tried (a hostile back may hold thousands)."""
ALTERNATIVE = "|"


def _fold_char(c: str, lenient: bool = True) -> str:
    """One character as compared: case-folded; when lenient, accent-stripped and punctuation
    dropped (may become several characters, or none)."""
    if c.isspace():
        return " "
    if not lenient:
        return c.casefold()
    if unicodedata.category(c).startswith("P"):
        return ""
    decomposed = unicodedata.normalize("NFKD", c)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _keys(text: str, lenient: bool) -> list[tuple[str, int]]:
    """The compared characters of `text` with the index of the character each came from.

    Whitespace runs count as one space, and none at either end, so spacing never counts."""
    keys: list[tuple[str, int]] = []
    for i, c in enumerate(text):
        for k in _fold_char(c, lenient):
            if k == " " and (not keys or keys[-1][0] == " "):
                continue
            keys.append((k, i))
    if keys and keys[-1][0] == " ":
        keys.pop()
    return keys


def normalise_answer(s: str, lenient: bool = True) -> str:
    """What is compared: spaces collapsed, case folded; when lenient, no accents or punctuation."""
    return "".join(k for k, _ in _keys(s, lenient))


def alternatives(expected: str) -> list[str]:
    """The accepted answers: `a|b` gives both, each stripped (empty ones dropped)."""
    parts = [p.strip() for p in expected.split(ALTERNATIVE, MAX_ALTERNATIVES)[:MAX_ALTERNATIVES]]
    return [p for p in parts if p] or [expected]


def answers_match(typed: str, expected: str, lenient: bool = True) -> bool:
    """Whether the typed answer equals one of the accepted answers after normalising."""
    a = normalise_answer(typed, lenient)
    return any(a == normalise_answer(alt, lenient) for alt in alternatives(expected))


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance; for long texts a linear upper bound (the longer text minus the
    common start and end), so a 100,000-character back costs one pass, not 10^10 steps."""
    if len(a) * len(b) > MAX_DISTANCE_WORK:
        head = _common_head(a, b)
        tail = _common_tail(a, b, head)
        return max(len(a), len(b)) - head - tail
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _common_head(a: str | list, b: str | list) -> int:
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    return head


def _common_tail(a: str | list, b: str | list, head: int) -> int:
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return tail


def grade_for(distance: int, length: int) -> int:
    """The SM-2 grade to suggest for `distance` differences in an answer of `length` letters.

    | differences (after normalising)                | grade |
    |------------------------------------------------|-------|
    | 0                                              | 5     |
    | 1, in an answer of 4 letters or more           | 4     |
    | at most a fifth of the answer, rounded (≥ 1)   | 3     |
    | at most two fifths                             | 2     |
    | at most three fifths                           | 1     |
    | more (or nothing typed)                        | 0     |

    A one-letter slip ("Roma" for "Rome") is a hesitation, not a blackout.
    """
    length = max(length, 1)
    if distance == 0:
        return 5
    if distance == 1 and length >= 4:
        return 4
    for grade, share in ((3, 1 / 5), (2, 2 / 5), (1, 3 / 5)):
        if distance <= max(1, round(length * share)):
            return grade
    return 0


@dataclass(frozen=True)
class AnswerCheck:
    """A typed answer checked against the closest accepted answer.

    `typed` is exactly what was typed and `expected` the accepted answer it was compared with,
    as written; `wrong[i]` marks typed character i as not in the answer, `missing[j]` marks
    answer character j as not typed. Characters that do not count (case, spacing, and when
    lenient accents and punctuation) are never marked."""

    typed: str
    expected: str
    wrong: tuple[bool, ...]
    missing: tuple[bool, ...]
    distance: int
    grade: int


def check_answer(typed: str, expected: str, lenient: bool = True) -> AnswerCheck:
    """Compare `typed` with each accepted answer of `expected`; keep the closest."""
    a = _keys(typed, lenient)
    a_text = "".join(k for k, _ in a)
    best: tuple[int, int, str, list[tuple[str, int]]] | None = None
    for alt in alternatives(expected):
        b = _keys(alt, lenient)
        b_text = "".join(k for k, _ in b)
        distance = edit_distance(a_text, b_text)
        grade = grade_for(distance, len(b_text)) if a_text else 0
        if best is None or (grade, -distance) > (best[0], -best[1]):
            best = (grade, distance, alt, b)
    assert best is not None
    grade, distance, alt, b = best
    wrong = [False] * len(typed)
    missing = [False] * len(alt)
    for op, i1, i2, j1, j2 in _opcodes([k for k, _ in a], [k for k, _ in b]):
        if op != "equal":
            for _, i in a[i1:i2]:
                wrong[i] = True
            for _, j in b[j1:j2]:
                missing[j] = True
    return AnswerCheck(typed, alt, tuple(wrong), tuple(missing), distance, grade)


def suggest_grade(typed: str, expected: str, lenient: bool = True) -> int:
    """The grade `check_answer` suggests (see `grade_for` for the table)."""
    return check_answer(typed, expected, lenient).grade


def _opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes, or for long texts just the common start and end around one change."""
    if len(a) * len(b) <= MAX_DIFF_WORK:
        return difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    head = _common_head(a, b)
    tail = _common_tail(a, b, head)
    ops = [("equal", 0, head, 0, head)]
    if head < len(a) - tail or head < len(b) - tail:
        ops.append(("replace", head, len(a) - tail, head, len(b) - tail))
    ops.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    return ops
