"""Decoding deck text files: UTF-8 (a BOM is fine), never NUL bytes, with the line of any fault.

Shared by the TOML and CSV/TSV readers so both refuse binary or mis-encoded files the same way.
"""

from __future__ import annotations

from flashcards.errors import DeckError


def line_of_offset(data: bytes | str, offset: int) -> int:
    """The 1-based line number of a byte or character offset."""
    newline = b"\n" if isinstance(data, bytes) else "\n"
    return data.count(newline, 0, offset) + 1  # type: ignore[arg-type]


def decode_text(data: bytes, source: str) -> str:
    """Decode UTF-8 (with or without BOM) or raise a DeckError naming the offending line."""
    nul = data.find(b"\x00")
    if nul >= 0:
        line = line_of_offset(data, nul)
        raise DeckError(source, "contains NUL bytes; is this a binary file?", line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = line_of_offset(data, exc.start)
        raise DeckError(source, "is not valid UTF-8; save it as UTF-8", line) from None
    return text.replace("\r\n", "\n")
