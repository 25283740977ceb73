"""The collection's media: images and sounds imported from Anki packages, stored once each.

They live beside the collection file, in `<collection>.media/`: each file under its content
hash (`<sha256><ext>`), so the same bytes under two names are stored once, and `index.json`
mapping the name cards use (`[image: NAME]`, decks/media_names.py) to the stored file. A name
from a package is only ever a key in that index, never a path. A server (PostgreSQL)
collection has no folder beside it and keeps no media: its cards keep their markers.

Playing a sound starts a player found on the system (PLAYERS), without a shell and without
waiting for it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from flashcards.decks.media_names import MediaFile, media_name_problem, media_refs
from flashcards.services.collection import Collection
from flashcards.services.safe_files import write_atomically

INDEX = "index.json"
PLAYERS: tuple[tuple[str, ...], ...] = (
    ("ffplay", "-nodisp", "-autoexit", "-loglevel", "quiet"),
    ("mpv", "--no-video", "--really-quiet"),
    ("paplay",),
    ("afplay",),
)
"""Sound players looked for, in order, with the arguments that play a file once, quietly."""
_SAFE_EXT = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


@dataclass(frozen=True)
class CardMedia:
    """The stored files a card's text refers to (names with no stored file are left out)."""

    images: tuple[Path, ...] = ()
    sounds: tuple[Path, ...] = ()


def media_folder(col: Collection) -> Path | None:
    """`<collection>.media` beside an SQLite collection; None for a server collection."""
    path = col.path
    return None if path is None else path.with_name(path.name + ".media")


def _read_index(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


def _stored_name(media: MediaFile) -> str:
    """`<sha256><.ext>`: the extension only when it is short and plain (it is the name's)."""
    ext = Path(media.name).suffix.lower()[1:]
    tail = f".{ext}" if 0 < len(ext) <= 8 and set(ext) <= _SAFE_EXT else ""
    return hashlib.sha256(media.data).hexdigest() + tail


def store_media(col: Collection, files: Iterable[MediaFile]) -> int:
    """Store the files (each distinct content once) and index their names; how many new files
    were written. Names were checked by the parser; they are checked again, being keys."""
    folder = media_folder(col)
    files = [f for f in files if media_name_problem(f.name) is None]
    if folder is None or not files:
        return 0
    folder.mkdir(exist_ok=True)
    index = _read_index(folder)
    written = 0
    for media in files:
        stored = _stored_name(media)
        target = folder / stored
        if not target.exists():
            write_atomically(target, lambda p, data=media.data: p.write_bytes(data))
            written += 1
        index[media.name] = stored
    text = json.dumps(index, ensure_ascii=True, sort_keys=True, indent=0)
    write_atomically(folder / INDEX, lambda p: p.write_text(text, encoding="utf-8"))
    return written


def stored_files(col: Collection, names: Iterable[str]) -> dict[str, Path]:
    """The stored file of each name that has one."""
    folder = media_folder(col)
    if folder is None:
        return {}
    index = _read_index(folder)
    found: dict[str, Path] = {}
    for name in names:
        stored = index.get(name)
        if stored and media_name_problem(stored) is None and (folder / stored).is_file():
            found[name] = folder / stored
    return found


def card_media(col: Collection, *texts: str) -> CardMedia:
    """The images and sounds the markers in a card's texts name, as stored files."""
    refs = [ref for text in texts for ref in media_refs(text)]
    files = stored_files(col, (ref.name for ref in refs))

    def of_kind(kind: str) -> tuple[Path, ...]:
        return tuple(
            dict.fromkeys(files[r.name] for r in refs if r.kind == kind and r.name in files)
        )

    return CardMedia(of_kind("image"), of_kind("sound"))


def find_player() -> tuple[str, ...] | None:
    """The first sound player on PATH, with its arguments; None when there is none."""
    for command, *args in PLAYERS:
        found = shutil.which(command)
        if found:
            return (found, *args)
    return None


def play_sound(path: Path) -> str | None:
    """Start playing `path` in the background; the player's name, or None when there is none."""
    player = find_player()
    if player is None:
        return None
    with contextlib.suppress(OSError):
        subprocess.Popen(  # noqa: S603 - a fixed player and a stored file, no shell
            [*player, os.fspath(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        return Path(player[0]).name
    return None
