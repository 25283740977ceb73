"""Opening deck files without trusting them: regular files only, read through a bounded reader.

A size check on the path (`st_size`) says nothing about `/dev/zero`, a FIFO or a symlink to
either, which read until memory runs out. So a file is opened first (non-blocking, so a FIFO
cannot hang the open), the opened descriptor is checked with `fstat`, and reading stops one byte
past the limit, whatever the file claims to be. Standard input (`-` or `/dev/stdin`) is the one
stream we read on purpose, through the same bounded reader.
"""

from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from flashcards.errors import DeckError

STDIN_NAMES = ("-", "/dev/stdin")
"""Paths that mean "read standard input"."""
STDIN_SOURCE = "<stdin>"
"""What messages call standard input."""
_CHUNK = 1024 * 1024


def is_stdin(path: Path | str) -> bool:
    """Whether a path given on the command line means standard input."""
    return str(path) in STDIN_NAMES


def _kind(mode: int) -> str:
    """What a non-regular file is, for the message refusing it."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


@contextmanager
def open_regular(path: Path, source: str) -> Iterator[BinaryIO]:
    """The file opened for reading, or DeckError unless it is a regular file (checked on the fd).

    Symlinks are followed: a link to a deck file is fine, a link to `/dev/zero` is refused.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise DeckError(source, "no such file") from None
    except IsADirectoryError:
        raise DeckError(source, "is a directory, not a deck file") from None
    except OSError as exc:
        raise DeckError(source, f"cannot be read: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = _kind(mode)
            raise DeckError(source, f"is {kind}, not a deck file; only regular files are read")
        handle = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with handle:
        yield handle


def read_bounded(stream: BinaryIO, limit: int, source: str, what: str) -> bytes:
    """Everything a stream holds, refusing (DeckError) once more than `limit` bytes come out.

    At most limit + 1 bytes are ever read, whatever the stream or its file claims its size is.
    """
    chunks: list[bytes] = []
    total = 0
    try:
        while total <= limit:
            chunk = stream.read(min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            total += len(chunk)
            chunks.append(chunk)
    except OSError as exc:
        raise DeckError(source, f"cannot be read: {exc.strerror or exc}") from None
    if total > limit:
        raise DeckError(source, f"{what} is larger than the {limit:,}-byte limit; refusing it")
    return b"".join(chunks)


def read_stdin(limit: int, stdin: BinaryIO | None = None) -> bytes:
    """Standard input, bounded; `stdin` replaces it in tests."""
    stream = stdin if stdin is not None else sys.stdin.buffer
    return read_bounded(stream, limit, STDIN_SOURCE, "standard input")


def decompress_zstd(data: bytes, source: str, name: str, limit: int) -> bytes:
    """zstd-decompress all frames, streaming, so a small bomb cannot exhaust memory."""
    import zstandard  # only Anki packages need it: commands that read none stay fast

    try:
        reader = zstandard.ZstdDecompressor().stream_reader(
            io.BytesIO(data), read_across_frames=True
        )
        with reader:
            return read_bounded(reader, limit, source, f"{name} (decompressed)")
    except zstandard.ZstdError as exc:
        raise DeckError(source, f"is damaged: {name} is not valid zstd data ({exc})") from None
