"""Decoding deck text files: UTF-8 or UTF-16 by their byte-order mark (else UTF-8), never NUL
bytes, any line ending, with the line of any fault.

Shared by the TOML and CSV/TSV readers so both read files from Windows editors and spreadsheets
(a UTF-16 "Unicode text" export, old Mac CR-only line endings) and refuse binary or mis-encoded
files the same way.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from typing import Any, BinaryIO

from flashcards.errors import DeckError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_UTF16_WITHOUT_BOM = (
    "looks like UTF-16 without a byte-order mark; save it as UTF-8 (or UTF-16 with a BOM)"
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
                raise DeckError(source, _UTF16_WITHOUT_BOM)
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


class _Bounded(io.RawIOBase):
    """A binary stream that refuses (DeckError) once more than `limit` bytes come out of it,
    or, when told to (`refuse_nul`: UTF-8, where no character but NUL has a zero byte), a NUL
    byte, and counts the line feeds it has handed out, for the line of a decoding fault."""

    def __init__(
        self, stream: BinaryIO, limit: int, source: str, what: str, refuse_nul: bool
    ) -> None:
        super().__init__()
        self._stream, self._limit, self._source, self._what = stream, limit, source, what
        self._refuse_nul = refuse_nul
        self.total = 0
        self.newlines_before_last = 0  # line feeds in everything before the last read
        self._last_newlines = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:  # noqa: ANN401  (a writable buffer of any kind)
        view = memoryview(buffer).cast("B")[: self._limit + 1 - self.total]
        try:
            data = self._stream.read(len(view))
        except OSError as exc:
            raise DeckError(self._source, f"cannot be read: {exc.strerror or exc}") from None
        n = len(data)
        view[:n] = data
        self.total += n
        if self.total > self._limit:
            message = f"{self._what} is larger than the {self._limit:,}-byte limit; refusing it"
            raise DeckError(self._source, message)
        self.newlines_before_last += self._last_newlines
        self._last_newlines = data.count(b"\n")
        if self._refuse_nul and (nul := data.find(b"\x00")) >= 0:  # its line as `decode_text`'s
            line = self.newlines_before_last + data.count(b"\n", 0, nul) + 1
            raise DeckError(self._source, "contains NUL bytes; is this a binary file?", line)
        return n


def read_lines(stream: BinaryIO, limit: int, source: str, what: str = "the file") -> Iterator[str]:
    """The lines of a text file as it is read, each with its `\\n`: `decode_text`'s rules (a
    BOM says UTF-8 or UTF-16, else UTF-8; no NUL; any line ending comes back as `\\n`) without
    holding the file or its text, and `read_bounded`'s limit on the bytes read."""
    head = stream.read(512)
    encoding = "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif b"\x00" in head and _looks_like_utf16(head):
        raise DeckError(source, _UTF16_WITHOUT_BOM)
    stream.seek(0)
    utf8 = encoding == "utf-8-sig"
    raw = _Bounded(stream, limit, source, what, refuse_nul=utf8)
    text = io.TextIOWrapper(io.BufferedReader(raw, 1 << 16), encoding=encoding, newline=None)
    try:
        if utf8:
            # NUL is refused in the bytes as they are read (`_Bounded`), not line by line:
            # at 200,000 lines that was 0.04 s, a fifth of what reading the lines costs.
            yield from text
        else:  # UTF-16: zero bytes are half of its text, so its NUL characters are looked for
            for number, line in enumerate(text, 1):
                if "\x00" in line:
                    message = "contains NUL characters; is this a binary file?"
                    raise DeckError(source, message, number)
                yield line
    except UnicodeDecodeError as exc:
        line_no = None
        if utf8 and isinstance(exc.object, bytes):
            line_no = raw.newlines_before_last + exc.object.count(b"\n", 0, exc.start) + 1
        shown = "UTF-8" if utf8 else "UTF-16"
        raise DeckError(source, f"is not valid {shown}; save it as UTF-8", line_no) from None
