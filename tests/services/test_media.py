"""Media: a package's images and sounds are stored once each, by content, in the collection;
hostile names and over-size files refuse the package; export puts them back."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from flashcards.decks import apkg_media
from flashcards.decks.apkg import parse_apkg
from flashcards.errors import UserError
from flashcards.services.collection import Collection
from flashcards.services.exporter import export_deck
from flashcards.services.importer import import_paths
from flashcards.services.media import card_media
from flashcards.storage import Card
from flashcards.storage.models import MediaBlob, MediaName
from tests.decks.anki_builders import BASIC, Note, build_collection, proto, zip_members, zstd_stream

PNG = b"\x89PNG\r\n\x1a\n" + b"pixels" * 10
MP3 = b"ID3" + b"sound" * 10
NOTES = [
    Note(1, "gMap", 1001, ['<img src="map.png">', "a map"], "", [(0, 1, 0, 0, 1, 0, 0, 0, 0)]),
    Note(
        2,
        "gSame",
        1001,
        ['Where? <img src="copy.png">', "same bytes"],
        "",
        [(0, 1, 0, 0, 2, 0, 0, 0, 0)],
    ),
    Note(3, "gHi", 1001, ["[sound:hello.mp3]", "a greeting"], "", [(0, 1, 0, 0, 3, 0, 0, 0, 0)]),
]


def package(
    tmp_path: Path,
    media: dict[str, str] | None = None,
    files: dict[str, bytes] | None = None,
    name: str = "m.apkg",
) -> Path:
    """A legacy package of NOTES with a JSON media map and its members."""
    db = tmp_path / f"{name}.db"
    data = build_collection(db, False, models=[BASIC], notes=NOTES, decks={1: "Default"})
    db.unlink()
    media = media if media is not None else {"0": "map.png", "1": "copy.png", "2": "hello.mp3"}
    files = files if files is not None else {"0": PNG, "1": PNG, "2": MP3}
    return zip_members(
        tmp_path / name, {"collection.anki2": data, "media": json.dumps(media).encode(), **files}
    )


def stored() -> tuple[int, int]:
    """(distinct contents, names) the collection holds."""
    return MediaBlob.select().count(), MediaName.select().count()


def test_import_stores_each_content_once_and_links_cards(col: Collection, tmp_path: Path) -> None:
    report = import_paths(col, [package(tmp_path)])
    # two names for the same PNG bytes: one stored content; plus the sound
    assert stored() == (2, 3)
    assert report.media_files == 2 and report.media_cards == 3
    fronts = {c.key: c.front for c in Card.select()}
    assert fronts["gMap::0"] == "[image: map.png]"
    assert fronts["gSame::0"] == "Where?\n[image: copy.png]"
    assert fronts["gHi::0"] == "[sound: hello.mp3]"
    assert card_media(fronts["gMap::0"]).images == card_media(fronts["gSame::0"]).images == (PNG,)
    assert card_media(fronts["gHi::0"]).sounds == ("hello.mp3",)
    # a re-import stores nothing new
    assert import_paths(col, [package(tmp_path)]).media_files == 0


@pytest.mark.parametrize(
    "name",
    ["../evil.png", "a/b.png", "c:\\x.png", "..", "bell\x07.png", "esc\x1b[2J.png", "x]y.png", ""],
)
def test_a_hostile_media_name_refuses_the_package(
    col: Collection, tmp_path: Path, name: str
) -> None:
    path = package(tmp_path, media={"0": name}, files={"0": PNG})
    with pytest.raises(UserError) as caught:
        import_paths(col, [path])
    assert "\n" not in str(caught.value) and "media file name" in str(caught.value)
    assert Card.select().count() == 0 and stored() == (0, 0)


def test_an_over_size_media_file_refuses_the_package(
    col: Collection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apkg_media, "MAX_MEDIA_FILE_BYTES", 100)
    path = package(tmp_path, media={"0": "big.png"}, files={"0": b"x" * 101})
    with pytest.raises(UserError) as caught:
        import_paths(col, [path])
    assert "\n" not in str(caught.value) and "100-byte limit" in str(caught.value)
    assert Card.select().count() == 0 and stored() == (0, 0)


def test_current_format_media_map_is_read(tmp_path: Path) -> None:
    """anki21b: a zstd protobuf MediaEntries, members zstd-compressed."""
    db = tmp_path / "c.db"
    data = build_collection(db, False, models=[BASIC], notes=NOTES, decks={1: "Default"})
    entries = proto((1, proto((1, "map.png"), (2, len(PNG)))), (1, proto((1, "hello.mp3"))))
    path = zip_members(
        tmp_path / "new.apkg",
        {
            "collection.anki2": data,
            "media": zstd_stream(entries),
            "0": zstd_stream(PNG),
            "1": zstd_stream(MP3),
        },
    )
    media = parse_apkg(path, "new.apkg").media
    assert [(m.name, m.data) for m in media] == [("map.png", PNG), ("hello.mp3", MP3)]


def test_export_puts_the_media_back(col: Collection, tmp_path: Path) -> None:
    import_paths(col, [package(tmp_path)])
    out = tmp_path / "out.apkg"
    export_deck(col, "Default", out, None)
    with zipfile.ZipFile(out) as archive:
        mapping = json.loads(archive.read("media"))
        got = {name: archive.read(member) for member, name in mapping.items()}
    assert got == {"copy.png": PNG, "hello.mp3": MP3, "map.png": PNG}
    # and the exported package reads back with the same cards and media
    parsed = parse_apkg(out, "out.apkg")
    fronts = sorted(c.front for d in parsed.decks for c in d.cards)
    assert fronts == ["Where?\n[image: copy.png]", "[image: map.png]", "[sound: hello.mp3]"]
    assert {m.name for m in parsed.media} == {"copy.png", "hello.mp3", "map.png"}
