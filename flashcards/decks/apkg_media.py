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

from flashcards.decks.anki_schema import proto_fields
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


def _proto_entries(data: bytes, source: str) -> list[tuple[str, str]]:
    """`MediaEntries { repeated MediaEntry entries = 1 }`, `MediaEntry { string name = 1;
    uint32 size = 2; bytes sha1 = 3; optional uint32 legacy_zip_filename = 255 }`: entry i is
    member "i" unless it names its legacy member."""
    try:
        entries = [v for v in proto_fields(data).get(1, []) if isinstance(v, bytes)]
        if len(entries) > MAX_MEDIA_FILES:
            raise DeckError(source, f"lists more than {MAX_MEDIA_FILES:,} media files; refusing it")
        pairs = []
        for index, entry in enumerate(entries):
            fields = proto_fields(entry)
            name = fields.get(1, [b""])[-1]
            member = fields.get(255, [index])[-1]
            if not isinstance(name, bytes) or not isinstance(member, int):
                raise ValueError("a media entry of the wrong type")
            pairs.append((str(member), name.decode("utf-8")))
        return pairs
    except (ValueError, UnicodeDecodeError) as exc:
        raise DeckError(source, f"is damaged: its media map cannot be read ({exc})") from None
