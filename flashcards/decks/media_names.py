"""Media names in card text: how a card refers to an image or a sound it came with.

A card keeps one marker per media reference, `[image: NAME]` or `[sound: NAME]`, where NAME is
the plain file name the package gave it. A name is never used as a path: it is only a key into
the collection's media index (services/media.py), which stores the bytes under their content
hash. A name that could be a path, or that holds controls or the marker's own brackets, is
refused (`media_name_problem`), so what a marker names is always a harmless label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flashcards.decks.limits import MAX_MEDIA_NAME_CHARS

MARKER_RE = re.compile(r"\[(image|sound): ([^\]\[\n]{1,255})\]")
"""A media marker in card text; the name stops at the first bracket or line end."""
_UNSAFE_RE = re.compile(r"[\x00-\x1f\x7f-\x9f/\\\[\]]")


@dataclass(frozen=True)
class MediaFile:
    """One file a package carried: the name its cards use, and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class MediaRef:
    """One marker found in card text."""

    kind: str  # image | sound
    name: str


def media_name_problem(name: str) -> str | None:
    """Why `name` cannot be a media name (it could act as a path, or mislead), or None."""
    if not name or name.strip() != name:
        return "is empty or starts or ends with a space"
    if len(name) > MAX_MEDIA_NAME_CHARS:
        return f"is longer than {MAX_MEDIA_NAME_CHARS} characters"
    if name in (".", "..") or name.startswith(".."):
        return "is a parent-folder reference"
    if _UNSAFE_RE.search(name) or ":" in name[:3]:
        return "holds a path separator, a drive, a bracket or a control character"
    return None


def media_refs(text: str) -> list[MediaRef]:
    """The markers of a card's text, in order, each once; names that are unsafe are skipped."""
    refs: dict[tuple[str, str], MediaRef] = {}
    for match in MARKER_RE.finditer(text):
        kind, name = match.group(1), match.group(2)
        if media_name_problem(name) is None:
            refs.setdefault((kind, name), MediaRef(kind, name))
    return list(refs.values())
