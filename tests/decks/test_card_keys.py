"""Derived card keys (decks/keys.py) are pinned: a shortcut for ASCII fronts normalises them
exactly as the general rule does (NFC, case-folded, whitespace collapsed), so no key moves."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.decks.keys import derive_key, normalise_front


def _rule(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


@pytest.mark.parametrize(
    "text",
    ["", " ", "Plain Front", " lead", "trail ", "two  spaces", "tab\there", "vt\x0bff\x0c", "\x1c",
     "DEL\x7f", "Straße", "e\u0301", "\u2028line", "\xa0nbsp"],
)  # fmt: skip
def test_normalise_front_is_the_rule(text: str) -> None:
    assert normalise_front(text) == _rule(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F)) | st.text(max_size=20))
def test_normalise_front_is_the_rule_for_any_text(text: str) -> None:
    assert normalise_front(text) == _rule(text)


def test_a_derived_key_is_pinned() -> None:
    assert derive_key("  Capital of  France? ") == derive_key("capital of france?")
    assert derive_key("capital of france?") == "817d042438af23c2"  # sha1 of the normalised text
