"""Imports give the same keys and rows they always gave: pinned to values written by the
importer before its speed-ups, so a faster path cannot change a card's key (a re-import of an
edited deck matches cards by key and must keep their progress) or anything it stores."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from flashcards.decks import delimited
from flashcards.decks.keys import derive_key
from flashcards.services import import_stream
from flashcards.services.collection import Collection
from flashcards.services.importer import import_paths
from flashcards.storage import Card

KEYS = [
    ("What is a spasm?", "19ab493d066467d0"),
    ("  Leading and trailing  ", "9f3f755800d7e6ed"),
    ("Tabs\tand\nnewlines", "67c61e48ae6dc021"),
    ("UPPER lower MiXeD", "743c1e5e4ab4d175"),
    ("Straße", "455f27d8e4cb816e"),
    ("STRASSE", "455f27d8e4cb816e"),
    ("Cafe\u0301", "f424452a9673918c"),
    ("Caf\u00e9", "f424452a9673918c"),
    ("non\u00a0breaking\u2003space", "60e08cfd824a28ed"),
    ("\x0bvt\x1cfs\x1f", "991a93f7d613366a"),
    ("ǅungla", "b6a5adcdc6e4e928"),
    ("ΣΊΣΥΦΟΣ", "e53fcb892179fad9"),
    ("日本語の質問", "d8fc807e1445dde4"),
    ("emoji 🙂 front", "fa3f3ad6b72c9c46"),
    ("a" * 300, "003ef1ba9ea9f2f4"),
    ("x", "11f6ad8ec52a2984"),
    ("multiple   spaces   here", "b5e62bc3cf2a9cdd"),
    ("trailing tab\t", "d8a8f20e134da969"),
    ("\u3000ideographic\u3000space", "35f4cbad31c5fab9"),
    ("\x85next line", "bad199ce11394949"),
    ("ﬁ ligature", "838109b772cb7690"),
]


@pytest.mark.parametrize(("front", "key"), KEYS)
def test_derived_keys_are_the_ones_stored_decks_have(front: str, key: str) -> None:
    assert derive_key(front) == key


def golden_rows(count: int) -> list[str]:
    """Rows of every kind a big file mixes: plain ones (the fast path), HTML, cloze, Unicode,
    odd spacing and case, repeated tag cells, a duplicate and an empty back (skipped)."""
    words = ("spasm", "cramp", "twitch", "tendon", "Straße", "café", "nerve")
    rows = ["front\tback\ttags"]
    for i in range(count):
        front = f"Question {i} about {words[i % 7]}"
        if i % 31 == 0:
            front = f"  QUESTION   {i}  About {words[i % 7].upper()} "
        if i % 50 == 0:
            front = f"<b>bold {i}</b>"
        if i % 97 == 0:
            front = f"{{{{c1::Paris}}}} is {i} in {{{{c2::France}}}}"
        back = f"Answer {i}: " + " ".join(words[(i + j) % 7] for j in range(i % 9))
        rows.append(f"{front}\t{back}\tt{i % 3} shared t{i % 3}")
    rows.append("Question 1 about cramp\tthe same front again")
    rows.append("no back at all\t")
    return rows


def stored_digest() -> str:
    """A hash of every card as stored, in id order (the order a new-card queue follows)."""
    h = hashlib.sha256()
    for row in Card.select().order_by(Card.id).tuples():
        h.update(repr(row).encode())
    return h.hexdigest()


@pytest.mark.parametrize("streamed", [False, True])
def test_an_import_stores_the_rows_it_always_stored(
    col: Collection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, streamed: bool
) -> None:
    # Small batches and chunks, so the file crosses many of them.
    monkeypatch.setattr(delimited, "BATCH_ROWS", 70)
    monkeypatch.setattr(import_stream, "CHUNK_ROWS", 150)
    monkeypatch.setattr(import_stream, "STREAM_FROM_BYTES", 0 if streamed else 10**12)
    path = tmp_path / "golden.tsv"
    path.write_text("".join(f"{r}\n" for r in golden_rows(1200)), encoding="utf-8")
    report = import_paths(col, [path], deck="Golden", skip_invalid=True)
    assert (report.added, report.skipped) == (1213, 2)
    assert report.problems == (  # in this order: the parser's, then the writer's, per chunk
        f"{path}:1203: empty back",
        f"{path}:1202: duplicate card key 'a290d3b8060a9a84' (first at {path}:3)",
    )
    assert stored_digest() == "ec95d8f784e1ed8f3aeeaaf0371a1e8b7e2d60fb9a4e356612dc6b13e74e8203"
