"""Writing a file the user named without ever destroying the collection or a backup.

`flashcards export DECK collection.db` once replaced a 23 MB collection with a 6 KB TOML file.
Every command that writes a file the user chose goes through here: `refuse_target` turns down the
collection itself (by any name: a symlink, a hard link, its -wal/-shm/-journal files), anything in
its backups folder, and any existing file unless the user said `--force`; `write_atomically`
writes to a temporary file in the target's folder, fsyncs it and renames it into place, so a
crash or a full disk never leaves half a file under the real name.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from flashcards.errors import UserError
from flashcards.sanitize import clean_line
from flashcards.storage.files import (
    BACKUP_DIR,
    backup_dir,
    collection_files,
    fsync_path,
    same_file,
)

# The file helpers live in storage (the backups need them too); named here for the callers that
# already import them from this module.
__all__ = [
    "BACKUP_DIR",
    "backup_dir",
    "collection_files",
    "fsync_path",
    "refuse_protected",
    "refuse_target",
    "same_file",
    "write_atomically",
]


def _in_folder(target: Path, folder: Path) -> bool:
    if not folder.is_dir():
        return False
    if target.resolve().is_relative_to(folder.resolve()) or same_file(target.parent, folder):
        return True
    if not target.exists():
        return False
    # A hard link to a backup from outside the folder is the backup too.
    with contextlib.suppress(OSError):
        return any(same_file(target, p) for p in folder.iterdir() if p.is_file())
    return False


def refuse_protected(target: Path, collection: Path | None) -> None:
    """Refuse the collection (by any name) and its backups folder, even with --force."""
    if collection is None:  # a server collection has no file to protect
        return
    collection = collection.expanduser().absolute()
    if any(same_file(target, part) for part in collection_files(collection)):
        raise UserError(
            f"{clean_line(target)}: that is the collection itself; choose another file name"
        )
    if _in_folder(target, backup_dir(collection)):
        raise UserError(
            f"{clean_line(target)}: that is in the collection's backups folder; "
            "choose a file outside it (backups are never overwritten)"
        )


def refuse_target(target: Path, collection: Path | None, *, force: bool) -> None:
    """Raise a one-line `UserError` unless writing `target` is safe; changes nothing."""
    refuse_protected(target, collection)
    shown = clean_line(target)
    if target.is_dir():
        raise UserError(f"{shown}: is a directory; give a file name")
    if not target.parent.is_dir():
        raise UserError(f"{shown}: the folder {clean_line(target.parent)} does not exist")
    if (target.exists() or target.is_symlink()) and not force:
        raise UserError(f"{shown}: the file already exists; pass --force to overwrite it")


def write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """Let `write` fill a temporary file beside `target`, then put it in place in one rename.

    Until the rename, `target` is untouched (an existing file stays whole); after it, `target`
    is the complete new file. The temporary file is removed on any failure.
    """
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    try:
        write(partial)
        fsync_path(partial)
        os.replace(partial, target)
        fsync_path(target.parent, directory=True)
    except OSError as exc:
        raise UserError(
            f"{clean_line(target)}: cannot write: {exc.strerror or exc}; nothing was changed"
        ) from None
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
