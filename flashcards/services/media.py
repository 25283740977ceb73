"""The collection's media: images and sounds imported from Anki packages, stored once each.

They live in the collection itself (schema_v4.py), the same on SQLite and PostgreSQL, so a
backup holds them too: each distinct content once, under its SHA-256, and the name cards use
(`[image: NAME]`, decks/media_names.py) mapped to it, so the same bytes under two names are
stored once and a re-import stores nothing new. A name from a package is only ever a key,
never a path.

Playing a sound writes its bytes once to the user's cache folder (`<sha256><ext>`: a name we
made, not the package's) and starts a player found on the system (PLAYERS), without a shell
and without waiting for it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from flashcards.decks.media_names import MediaFile, media_name_problem, media_refs
from flashcards.services.collection import Collection
from flashcards.storage.binding import runs_on_collection
from flashcards.storage.database import write_transaction
from flashcards.storage.media_rows import current_names, media_data, missing_hashes, put_media

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
    """What a card's markers name and the collection holds: image bytes, sound names."""

    images: tuple[bytes, ...] = ()
    sounds: tuple[str, ...] = ()


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@runs_on_collection
def store_media(col: Collection, files: Iterable[MediaFile]) -> int:
    """Store the files (each distinct content once) and their names, in one transaction; how
    many new contents were stored. No transaction at all when nothing is new."""
    files = [f for f in files if media_name_problem(f.name) is None]
    if not files:
        return 0
    names = {f.name: content_hash(f.data) for f in files}
    missing = missing_hashes(names.values())
    contents = {h: f.data for f in files if (h := names[f.name]) in missing}
    stored = current_names(names)
    changed = {n: h for n, h in names.items() if stored.get(n) != h}
    if contents or changed:
        with write_transaction(col.db):
            put_media(contents, changed)
    return len(contents)


def stored_media(names: Iterable[str]) -> dict[str, bytes]:
    """The bytes of each name that has some."""
    found: dict[str, bytes] = {}
    for name, hash_ in current_names(names).items():
        data = media_data(hash_)
        if data is not None:
            found[name] = data
    return found


def card_media(*texts: str) -> CardMedia:
    """The images (bytes) and sounds (names) the markers in a card's texts name and the
    collection holds."""
    refs = [ref for text in texts for ref in media_refs(text)]
    held = current_names(ref.name for ref in refs)  # one lookup of every name (none: no query)
    images = []
    for ref in refs:
        if ref.kind == "image" and ref.name in held:
            data = media_data(held[ref.name])
            if data is not None:
                images.append(data)
    return CardMedia(
        tuple(images),
        tuple(r.name for r in refs if r.kind == "sound" and r.name in held),
    )


def _sound_file(name: str) -> Path | None:
    """The sound's bytes in the cache folder, under a name of ours (written once)."""
    hash_ = current_names([name]).get(name)
    if hash_ is None:
        return None
    ext = Path(name).suffix.lower()[1:]
    tail = f".{ext}" if 0 < len(ext) <= 8 and set(ext) <= _SAFE_EXT else ""
    folder = platformdirs.user_cache_path("flashcards") / "media"
    target = folder / f"{hash_}{tail}"
    if not target.is_file():
        data = media_data(hash_)
        if data is None:
            return None
        folder.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        partial.write_bytes(data)
        os.replace(partial, target)
    return target


def find_player() -> tuple[str, ...] | None:
    """The first sound player on PATH, with its arguments; None when there is none."""
    for command, *args in PLAYERS:
        found = shutil.which(command)
        if found:
            return (found, *args)
    return None


def play_sound(name: str) -> str | None:
    """Start playing the sound stored as `name` in the background; the player's name, or None
    when there is no player (or the sound cannot be read)."""
    player = find_player()
    if player is None:
        return None
    with contextlib.suppress(OSError):
        path = _sound_file(name)
        if path is None:
            return None
        subprocess.Popen(  # noqa: S603 - a fixed player and a stored file, no shell
            [*player, os.fspath(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        return Path(player[0]).name
    return None
