"""The images and sounds of an Anki package, read without trusting the package.

A package holds a `media` member mapping zip members "0", "1", ... to the names the cards use:
JSON in older packages; in current ones (`collection.anki21b`) a zstd-compressed protobuf
`MediaEntries`, whose members are zstd-compressed too (Anki's rslib
import_export/package/media.rs). Names are checked (`media_name_problem`) and never used as
paths; every member is read bounded, each under MAX_MEDIA_FILE_BYTES and all under
MAX_MEDIA_TOTAL_BYTES. A bad name or an over-size file refuses the whole package (a DeckError),
so nothing is imported from it.
"""

from __future__ import annotations

import json
import zipfile
from typing import BinaryIO

from flashcards.decks.limits import (
    MAX_MEDIA_FILE_BYTES,
    MAX_MEDIA_FILES,
    MAX_MEDIA_TOTAL_BYTES,
    shown,
)
from flashcards.decks.media_names import MediaFile, media_name_problem
from flashcards.decks.reading import decompress_zstd, read_bounded
from flashcards.errors import DeckError

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
MAX_MAP_BYTES = 16 * 1024 * 1024
"""The `media` map itself: 50,000 names of 255 characters fit well within it."""


def read_media(handle: BinaryIO, source: str) -> tuple[MediaFile, ...]:
    """Every media file the package lists and holds, by the name its cards use."""
    handle.seek(0)
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError):
        return ()
    with archive:
        infos = {info.filename: info for info in archive.infolist()}
        if "media" not in infos:
            return ()
        with archive.open(infos["media"]) as member:
            raw = read_bounded(member, MAX_MAP_BYTES, source, "the media map")
        entries = _entries(raw, source)
        files: list[MediaFile] = []
        total = 0
        for member_name, name in entries:
            problem = media_name_problem(name)
            if problem:
                raise DeckError(source, f"media file name {shown(name)} {problem}; refusing it")
            info = infos.get(member_name)
            if info is None:
                continue  # listed but absent: Anki skips it too
            if info.file_size > MAX_MEDIA_FILE_BYTES:
                raise DeckError(
                    source,
                    f"media file {shown(name)} is larger than the "
                    f"{MAX_MEDIA_FILE_BYTES:,}-byte limit; refusing it",
                )
            try:
                with archive.open(info) as member:
                    data = read_bounded(member, MAX_MEDIA_FILE_BYTES, source, f"media {name!r}")
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                raise DeckError(
                    source, f"is damaged: cannot read media {shown(name)} ({exc})"
                ) from None
            if data.startswith(ZSTD_MAGIC):
                data = decompress_zstd(data, source, f"media {name!r}", MAX_MEDIA_FILE_BYTES)
            total += len(data)
            if total > MAX_MEDIA_TOTAL_BYTES:
                raise DeckError(
                    source, f"holds more than {MAX_MEDIA_TOTAL_BYTES:,} bytes of media; refusing it"
                )
            files.append(MediaFile(name, data))
    return tuple(files)


def _entries(raw: bytes, source: str) -> list[tuple[str, str]]:
    """(zip member, name) pairs from a JSON or a protobuf media map."""
    if raw.startswith(ZSTD_MAGIC):
        return _proto_entries(decompress_zstd(raw, source, "the media map", MAX_MAP_BYTES), source)
    if not raw.strip():
        return []
    try:
        mapping = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise DeckError(source, "is damaged: its media map is not valid JSON") from None
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise DeckError(source, "is damaged: its media map is not a map of names")
    if len(mapping) > MAX_MEDIA_FILES:
        raise DeckError(source, f"lists more than {MAX_MEDIA_FILES:,} media files; refusing it")
    return [(str(k), v) for k, v in mapping.items()]


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(data) or shift > 63:
            raise ValueError("truncated varint")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos


def _fields(data: bytes) -> list[tuple[int, int | bytes]]:
    """(field number, value) of one protobuf message: varints and length-delimited only."""
    out: list[tuple[int, int | bytes]] = []
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(data, pos)
            out.append((number, value))
        elif wire == 2:
            size, pos = _varint(data, pos)
            if pos + size > len(data):
                raise ValueError("truncated field")
            out.append((number, data[pos : pos + size]))
            pos += size
        else:
            raise ValueError(f"unexpected wire type {wire}")
    return out


def _proto_entries(data: bytes, source: str) -> list[tuple[str, str]]:
    """`MediaEntries { repeated MediaEntry entries = 1 }`, `MediaEntry { string name = 1;
    uint32 size = 2; bytes sha1 = 3; optional uint32 legacy_zip_filename = 255 }`: entry i is
    member "i" unless it names its legacy member."""
    try:
        entries = [v for n, v in _fields(data) if n == 1 and isinstance(v, bytes)]
        if len(entries) > MAX_MEDIA_FILES:
            raise DeckError(source, f"lists more than {MAX_MEDIA_FILES:,} media files; refusing it")
        pairs = []
        for index, entry in enumerate(entries):
            fields = dict(_fields(entry))
            name = fields.get(1, b"")
            member = fields.get(255, index)
            if not isinstance(name, bytes) or not isinstance(member, int):
                raise ValueError("a media entry of the wrong type")
            pairs.append((str(member), name.decode("utf-8")))
        return pairs
    except (ValueError, UnicodeDecodeError) as exc:
        raise DeckError(source, f"is damaged: its media map cannot be read ({exc})") from None
