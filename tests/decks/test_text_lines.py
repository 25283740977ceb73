"""Reading a text file's lines as it is read (`text_input.read_lines`) follows `decode_text`:
the same lines, or the same fault at the same line, for any encoding and line ending."""

from __future__ import annotations

import io

import pytest

from flashcards.decks.delimited_rows import text_lines
from flashcards.decks.reading import read_bounded
from flashcards.decks.text_input import decode_text, read_lines
from flashcards.errors import DeckError

LIMIT = 1_000_000
BIG = b"".join(b"front %d\tback %d\r\n" % (i, i) for i in range(12_000))  # ~200 KB
CR_AT_BUFFER_EDGE = b"x" * 65_535 + b"\r\n" + b"next\r\n"  # CR and LF in two reads


def _whole(data: bytes) -> list[str] | str:
    try:
        return list(
            text_lines(decode_text(read_bounded(io.BytesIO(data), LIMIT, "f", "the file"), "f"))
        )
    except DeckError as exc:
        return str(exc)


def _streamed(data: bytes) -> list[str] | str:
    try:
        return list(read_lines(io.BytesIO(data), LIMIT, "f"))
    except DeckError as exc:
        return str(exc)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"a\tb\nc\td\n",
        b"a\tb\r\nc\td\r\nno newline at the end",
        b"old\rmac\rendings\r",
        "\ufeffbom\tfirst\n".encode(),
        "utf-16 \u00e9\tx\r\ny\tz\n".encode("utf-16"),
        "utf-16 be\tx\n".encode("utf-16-be").join([b"\xfe\xff", b""]),
        b"a\tb\nc\td\n\xff\tbad\n",
        b"a\tb\nc\x00\td\n",
        "no bom\tutf-16\n".encode("utf-16-le"),
        BIG,
        BIG + b"\xc3(\tbroken at line 12,001\n",
        CR_AT_BUFFER_EDGE,
        BIG + b"c\x00\td\n",  # NUL in a later read
        b"x" * 65_535 + b"\x00\nnext\n",  # at the end of the first read
        b"x" * 65_536 + b"\n\x00next\n",  # at the start of the second
        b"old\rmac\x00\rendings\r",  # its line counted as `decode_text` counts it
        b"\xff\tbad\nand\x00nul\n",  # both faults: NUL is reported, as `decode_text` does
        "\u2028 is not a line break\n".encode(),
        b"x" * (LIMIT + 1),
    ],
    ids=lambda d: repr(d[:20]) + f"…{len(d)}",
)
def test_read_lines_matches_decode_text(data: bytes) -> None:
    assert _streamed(data) == _whole(data)
