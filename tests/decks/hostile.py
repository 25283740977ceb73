"""Hostile inputs that more than one test folder builds: things that are not deck files."""

from __future__ import annotations

import os
from pathlib import Path

NON_REGULAR = ("dev-zero", "symlink", "fifo", "directory")


def non_regular_file(tmp_path: Path, kind: str) -> Path:
    """A path named like a deck that is /dev/zero, a link to it, a FIFO or a directory."""
    path = tmp_path / "deck.csv"
    if kind == "dev-zero":
        return Path("/dev/zero")
    if kind == "symlink":
        path.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(path)  # no writer: a blocking open would hang
    else:
        path.mkdir()
    return path
