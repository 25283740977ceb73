"""The pure deck layer: parsing and writing deck files into plain dataclasses, no database.

Formats: the native TOML format, CSV/TSV (including Anki's plain-text export) and Anki packages.
This package imports nothing from flashcards but `flashcards.errors`, so it stays testable alone.
"""

from flashcards.decks.answer_check import (
    answers_match,
    diff_answer,
    normalise_answer,
    suggest_grade,
)
from flashcards.decks.apkg import MAX_MEMBER_BYTES, MAX_TOTAL_BYTES, parse_apkg
from flashcards.decks.apkg_write import write_apkg
from flashcards.decks.bundled import bundled_deck_paths
from flashcards.decks.cloze import cloze_answers, cloze_numbers, render_cloze
from flashcards.decks.delimited import parse_delimited, write_csv
from flashcards.decks.detect import FORMATS, detect_format, parse_file
from flashcards.decks.html_text import has_media, html_to_text
from flashcards.decks.keys import derive_key, normalise_front
from flashcards.decks.spec import (
    KINDS,
    MAX_FIELD_CHARS,
    CardSpec,
    DeckSpec,
    ImportedScheduling,
    ParsedFile,
    Problem,
)
from flashcards.decks.toml_format import parse_toml, parse_toml_bytes, write_toml

__all__ = [
    "FORMATS",
    "KINDS",
    "MAX_FIELD_CHARS",
    "MAX_MEMBER_BYTES",
    "MAX_TOTAL_BYTES",
    "CardSpec",
    "DeckSpec",
    "ImportedScheduling",
    "ParsedFile",
    "Problem",
    "answers_match",
    "bundled_deck_paths",
    "cloze_answers",
    "cloze_numbers",
    "derive_key",
    "detect_format",
    "diff_answer",
    "has_media",
    "html_to_text",
    "normalise_answer",
    "normalise_front",
    "parse_apkg",
    "parse_delimited",
    "parse_file",
    "parse_toml",
    "parse_toml_bytes",
    "render_cloze",
    "suggest_grade",
    "write_apkg",
    "write_csv",
    "write_toml",
]
