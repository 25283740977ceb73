"""Checking a typed answer for `type` cards, leniently, and showing where it differs.

Lenient means: case, accents, and extra spaces do not matter, since a learner who typed
"Diazepam " or "diazepam" knew the answer. The grade is only a suggestion; the learner decides.
"""

from __future__ import annotations

import difflib
import unicodedata

CLOSE_RATIO = 0.8
"""difflib similarity at or above which a typed answer counts as a near miss (a typo)."""
MAX_DIFF_WORK = 250_000
"""Longest typed × expected product we give difflib, whose matching is quadratic (100 typed
characters against a 100,000-character back took 2.7 s); past it, a linear comparison."""


def _fold_char(c: str) -> str:
    """One character, accent-stripped and case-folded (may become several characters)."""
    decomposed = unicodedata.normalize("NFKD", c)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def normalise_answer(s: str) -> str:
    """Strip, collapse whitespace, case-fold, and drop accents (NFKD minus combining marks)."""
    folded = "".join(_fold_char(c) for c in s)
    return " ".join(folded.split())


def answers_match(typed: str, expected: str) -> bool:
    """Whether the typed answer equals the expected one after `normalise_answer`."""
    return normalise_answer(typed) == normalise_answer(expected)


def diff_answer(typed: str, expected: str) -> list[tuple[str, str]]:
    """Segments `(text, tag)` with tag "same", "missing" (in expected only) or "extra" (typed only).

    Characters are compared leniently (case and accents ignored) but shown as written: "same"
    and "missing" text comes from `expected`, "extra" text from `typed`. Surrounding and repeated
    whitespace is ignored on both sides.
    """
    typed_s, expected_s = " ".join(typed.split()), " ".join(expected.split())
    a = [_fold_char(c) for c in typed_s]
    b = [_fold_char(c) for c in expected_s]
    segments: list[tuple[str, str]] = []

    def add(text: str, tag: str) -> None:
        if not text:
            return
        if segments and segments[-1][1] == tag:
            segments[-1] = (segments[-1][0] + text, tag)
        else:
            segments.append((text, tag))

    for op, i1, i2, j1, j2 in _opcodes(a, b):
        if op == "equal":
            add(expected_s[j1:j2], "same")
        else:
            add(typed_s[i1:i2], "extra")
            add(expected_s[j1:j2], "missing")
    return segments


def _opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes, or for long texts just the common start and end around one change."""
    if len(a) * len(b) <= MAX_DIFF_WORK:
        return difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    ops = [("equal", 0, head, 0, head)]
    if head < len(a) - tail or head < len(b) - tail:
        ops.append(("replace", head, len(a) - tail, head, len(b) - tail))
    ops.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    return ops


def _similarity(a: str, b: str) -> float:
    """difflib's ratio, or its linear upper bound (`quick_ratio`) when the texts are long."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.ratio() if len(a) * len(b) <= MAX_DIFF_WORK else matcher.quick_ratio()


def suggest_grade(typed: str, expected: str) -> int:
    """An SM-2 grade to preselect: 5 exact, 4 lenient match, 2 close (a typo), 0 otherwise."""
    if not typed.strip():
        return 0
    if " ".join(typed.split()) == " ".join(expected.split()):
        return 5
    a, b = normalise_answer(typed), normalise_answer(expected)
    if a == b:
        return 4
    if _similarity(a, b) >= CLOSE_RATIO:
        return 2
    return 0
