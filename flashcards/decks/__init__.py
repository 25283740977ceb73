"""The pure deck layer: parsing and writing deck files into plain dataclasses, no database.

Formats: the native TOML format, CSV/TSV (including Anki's plain-text export) and Anki packages.
This package imports nothing from flashcards but `flashcards.errors`, so it stays testable alone.

The names below are re-exported lazily: the review screen needs `answer_check` and `cloze` on its
first paint, and must not pay for loading genanki, zstandard and the Anki readers with them.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "answer_check": ["answers_match", "check_answer", "normalise_answer", "suggest_grade"],
    "apkg": ["MAX_MEMBER_BYTES", "MAX_TOTAL_BYTES", "parse_apkg"],
    "apkg_write": ["write_apkg"],
    "bundled": ["bundled_deck_paths"],
    "cloze": ["cloze_answers", "cloze_numbers", "render_cloze"],
    "delimited": ["parse_delimited", "write_csv"],
    "detect": ["FORMATS", "detect_format", "parse_file"],
    "html_text": ["has_media", "html_to_text"],
    "keys": ["derive_key", "normalise_front"],
    "spec": [
        "KINDS",
        "MAX_FIELD_CHARS",
        "CardSpec",
        "DeckSpec",
        "ImportedScheduling",
        "ParsedFile",
        "Problem",
    ],
    "toml_format": ["parse_toml", "parse_toml_bytes", "write_toml"],
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
