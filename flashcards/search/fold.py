"""How search ignores case and accents: one folding rule for the query and the cards.

`fold("Él Niño")` is `"el nino"`: the text is decomposed (NFKD), combining marks are dropped, and
what is left is case-folded. The SQLite collection applies this same function to the card text
(a registered SQL function); PostgreSQL applies `translate` with the table `latin_fold_table`
builds from it, so both fold Latin letters the same way.
"""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """`text` without accents and case, for comparisons that should ignore both."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def latin_fold_table() -> tuple[str, str]:
    """(from, to) strings for SQL `translate`: every letter of U+00C0..U+024F that folds to one
    plain character, with that character. Letters that fold to two (ß → ss) are left out:
    `translate` maps one character to one."""
    source, target = [], []
    for code in range(0xC0, 0x250):
        ch = chr(code)
        folded = fold(ch)
        if len(folded) == 1 and folded != ch and ch.isalpha():
            source.append(ch)
            target.append(folded)
    return "".join(source), "".join(target)
