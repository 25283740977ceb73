"""Decoding deck text files: UTF-8 or UTF-16 by their byte-order mark (else UTF-8), never NUL
bytes, any line ending, with the line of any fault.

Shared by the TOML and CSV/TSV readers so both read files from Windows editors and spreadsheets
(a UTF-16 "Unicode text" export, old Mac CR-only line endings) and refuse binary or mis-encoded
files the same way.
"""

from __future__ import annotations

import codecs

from flashcards.errors import DeckError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def line_of_offset(data: bytes | str, offset: int) -> int:
    """The 1-based line number of a byte or character offset."""
    newline = b"\n" if isinstance(data, bytes) else "\n"
    return data.count(newline, 0, offset) + 1  # type: ignore[arg-type]


def _looks_like_utf16(data: bytes) -> bool:
    """Text in UTF-16 without a BOM: NUL in nearly every other byte of the start."""
    sample = data[:512]
    if len(sample) < 4:
        return False
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    return max(odd, even) >= len(sample) // 2 * 0.9


def decode_text(data: bytes, source: str) -> str:
    """Decode by BOM (UTF-8, UTF-16) or as UTF-8, or raise a DeckError naming the line.

    Line endings come back as `\\n` whatever they were (CRLF, or a lone CR).
    """
    encoding, body = "utf-8", data
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding, body = name, data[len(bom) :]
            break
    if encoding == "utf-8":
        nul = body.find(b"\x00")
        if nul >= 0:
            if _looks_like_utf16(body):
                raise DeckError(
                    source,
                    "looks like UTF-16 without a byte-order mark; save it "
                    "as UTF-8 (or UTF-16 with a BOM)",
                )
            line = line_of_offset(body, nul)
            raise DeckError(source, "contains NUL bytes; is this a binary file?", line)
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        line = line_of_offset(body, exc.start) if encoding == "utf-8" else None
        raise DeckError(
            source, f"is not valid {encoding.upper()}; save it as UTF-8", line
        ) from None
    if "\x00" in text:
        line = line_of_offset(text, text.index("\x00"))
        raise DeckError(source, "contains NUL characters; is this a binary file?", line)
    return text.replace("\r\n", "\n").replace("\r", "\n")
