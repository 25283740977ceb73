"""The pure deck layer: parsing and writing deck files into plain dataclasses, no database.

Formats: the native TOML format, CSV/TSV (including Anki's plain-text export) and Anki packages.
Nothing here imports peewee or textual, so it stays testable alone.

Import from the module that holds a name (`flashcards.decks.detect.parse_file`): this package
re-exports nothing, so the review screen, which needs `answer_check` and `cloze` on its first
paint, never pays for loading genanki, zstandard and the Anki readers with them.
"""
