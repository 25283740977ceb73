"""Where a SQLite collection's files are, and how to make a write of one of them durable.

File-level storage work shared by the backups (storage/backups.py) and by the services that
write a file the user named (services/safe_files.py), which must never touch these files.
"""

from __future__ import annotations

import os
from pathlib import Path

BACKUP_DIR = "backups"
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")  # files SQLite keeps beside the collection


def backup_dir(db_path: Path) -> Path:
    """Where the backups of the collection at `db_path` go."""
    return db_path.parent / BACKUP_DIR


def same_file(a: Path, b: Path) -> bool:
    """Whether `a` and `b` name one file: by device and inode when both exist, else by path."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet): compare where they lead
        return a.resolve() == b.resolve()


def collection_files(db_path: Path) -> list[Path]:
    """The collection and the files SQLite keeps beside it."""
    return [db_path, *(Path(f"{db_path}{suffix}") for suffix in COMPANION_SUFFIXES)]


def fsync_path(path: Path, *, directory: bool = False) -> None:
    """Flush a file (or a folder's entries, after a rename) to the disk."""
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        if directory:  # some systems cannot open a folder; the rename itself still happened
            return
        raise
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
