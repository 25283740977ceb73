"""Cloze deletions in Anki's syntax: `{{c1::answer}}`, `{{c1::answer::hint}}`, nested at any depth.

One note makes one card per deletion number; a card hides only its own number's deletions and
shows the others as plain text, as Anki does. Deletions nest as in Anki 2.1.56 and later:
`{{c1::Canberra was {{c2::founded}} in 1913}}` makes two cards; card 1 hides the whole sentence
(and reveals it with "founded" in it), card 2 hides only "founded".

The text comes from other people's files and is rendered every time the card comes up, so it is
read in linear time by a hand-written tokenizer with a stack, the way Anki's own `cloze.rs` reads
it: `{{cN::` opens a deletion, `}}` closes the innermost open one (a `}}` with none open is text),
the first `::` in a deletion's own text starts its hint, and a deletion still open at the end is
text. Nothing recurses, so no nesting depth can overflow the stack; every search moves forward
(a regular expression once took 80 s on one 100 KB card with an unclosed deletion).
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_CLOZE_NUMBER = 500
"""Anki's own practical ceiling; a larger number is a typo, not a 10,000-card note."""
_MAX_NUMBER_DIGITS = 6
"""Longer digit runs (past leading zeros) are never a card's number; int() refuses 4,300."""

_TEXT, _OPEN, _CLOSE = 0, 1, 2


@dataclass(frozen=True)
class _Token:
    """A piece of the text: plain text, the opening `{{cN::` of a deletion, or its `}}`.

    An `_OPEN` token knows its number (-1 when the digits are too many), the index of its
    `_CLOSE` token and its hint (None: none).
    """

    kind: int
    text: str = ""
    number: int = 0
    close: int = -1
    hint: str | None = None


def _opener(text: str, pos: int) -> tuple[int, int] | None:
    """(number, end) when a deletion opens at `pos` (`{{c` + digits + `::`), else None."""
    end = pos + 3
    n = len(text)
    while end < n and text[end].isdecimal():
        end += 1
    if end == pos + 3 or not text.startswith("::", end):
        return None
    digits = text[pos + 3 : end].lstrip("0") or "0"
    return (int(digits) if len(digits) <= _MAX_NUMBER_DIGITS else -1), end + 2


def _raw_tokens(text: str) -> list[tuple[int, str, int]]:
    """(kind, text, number) tokens left to right; each position is looked at a bounded number
    of times (the next `{{c` and the next `}}` are only ever searched for forwards)."""
    tokens: list[tuple[int, str, int]] = []
    pos = 0
    next_open = text.find("{{c")
    next_close = text.find("}}")
    run_start = 0
    while True:
        while 0 <= next_open < pos:
            next_open = text.find("{{c", pos)
        while 0 <= next_close < pos:
            next_close = text.find("}}", pos)
        if next_open < 0 and next_close < 0:
            break
        if next_open >= 0 and (next_close < 0 or next_open < next_close):
            found = _opener(text, next_open)
            if found is None:
                next_open = text.find("{{c", next_open + 1)
                continue
            if run_start < next_open:
                tokens.append((_TEXT, text[run_start:next_open], 0))
            tokens.append((_OPEN, text[next_open : found[1]], found[0]))
            pos = run_start = found[1]
        else:
            if run_start < next_close:
                tokens.append((_TEXT, text[run_start:next_close], 0))
            tokens.append((_CLOSE, "}}", 0))
            pos = run_start = next_close + 2
    if run_start < len(text):
        tokens.append((_TEXT, text[run_start:], 0))
    return tokens


def _tokens(text: str) -> list[_Token]:
    """The tokens with deletions matched: an unmatched `}}` or `{{cN::` becomes text, and each
    deletion's hint is cut from its own text as Anki does."""
    raw = _raw_tokens(text)
    close_of: dict[int, int] = {}
    stray: set[int] = set()
    stack: list[int] = []
    for index, (kind, _, _) in enumerate(raw):
        if kind == _OPEN:
            stack.append(index)
        elif kind == _CLOSE:
            if stack:
                close_of[stack.pop()] = index
            else:
                stray.add(index)
    stray.update(stack)
    out: list[_Token] = []
    hints: dict[int, str] = {}
    open_stack: list[int] = []  # indexes in `out` of the deletions we are inside
    for index, (kind, piece, number) in enumerate(raw):
        if index in stray or kind == _TEXT:
            if open_stack and kind == _TEXT and index not in stray:
                head, sep, tail = piece.partition("::")
                if sep:  # as Anki: the rest of this piece is the hint (a later one wins)
                    hints[open_stack[-1]] = tail
                    piece = head
            if piece:
                out.append(_Token(_TEXT, piece))
        elif kind == _OPEN:
            open_stack.append(len(out))
            out.append(_Token(_OPEN, piece, number))
        else:
            opener = open_stack.pop()
            out.append(_Token(_CLOSE))
            out[opener] = _Token(
                _OPEN, out[opener].text, out[opener].number, len(out) - 1, hints.get(opener)
            )
    return out


def cloze_numbers(text: str) -> list[int]:
    """The distinct deletion numbers (1 or more) in `text`, ascending, nested ones included."""
    if "{{c" not in text:  # most text has none (imports ask for every row)
        return []
    numbers = {t.number for t in _tokens(text) if t.kind == _OPEN}
    return sorted(n for n in numbers if 1 <= n <= MAX_CLOZE_NUMBER)


def _merged(parts: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Join neighbouring parts of the same highlighting (once, not by repeated `+`)."""
    segments: list[tuple[str, bool]] = []
    run: list[str] = []
    for index, (text, highlighted) in enumerate(parts):
        run.append(text)
        if index + 1 == len(parts) or parts[index + 1][1] != highlighted:
            segments.append(("".join(run), highlighted))
            run = []
    return segments


def render_cloze(text: str, ordinal: int, reveal: bool) -> list[tuple[str, bool]]:
    """Segments `(text, highlighted)` for the card of deletion `ordinal`.

    Hidden, this card's deletions read `[...]` (or `[hint]`), whatever they hold; revealed, they
    show their whole text, inner deletions answered. Either way they are highlighted so the eye
    finds them; other deletions show their text, except this card's deletions inside them.
    """
    tokens = _tokens(text)
    parts: list[tuple[str, bool]] = []
    highlight_until = -1  # index of the close token of the revealed deletion we are inside
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind == _OPEN and token.number == ordinal and highlight_until < i:
            if not reveal:
                parts.append((f"[{token.hint}]" if token.hint else "[...]", True))
                i = token.close + 1
                continue
            highlight_until = token.close
        elif token.kind == _TEXT:
            parts.append((token.text, highlight_until > i))
        i += 1
    return _merged([part for part in parts if part[0]])


def cloze_answers(text: str, ordinal: int) -> list[str]:
    """The answers hidden on the card of deletion `ordinal`, in order (for typed cloze answers).

    An answer is the deletion's whole text, inner deletions answered.
    """
    tokens = _tokens(text)
    answers: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind == _OPEN and token.number == ordinal:
            answers.append("".join(t.text for t in tokens[i + 1 : token.close] if t.kind == _TEXT))
            i = token.close + 1
            continue
        i += 1
    return answers
