"""Backups a closed (or killed) process left on the way to their name, finished at the next start.

Closing the collection stops its backup rather than wait for it (storage/backup_files.py): a copy
cut off is deleted, a complete copy whose check was stopped is left as `….unchecked`, and a kill
leaves a `….partial` or `….checking` file of a process that is gone. None of them is a backup
(`list_backups` never lists them, rotation never counts them, restore is never offered them).
`finish_pending` deals with them: a cut-off copy is deleted; a complete one is claimed, checked
as its kind is checked (backups.py: `quick_check` for the automatic kinds), and named, or
deleted when it fails (the collection was damaged when it was copied). It can be stopped as a
backup can, leaving what it has not checked for the start after.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from flashcards.errors import UserError
from flashcards.storage.backup_files import (
    CHECKING,
    PARTIAL,
    BackupStopped,
    StopSignal,
    claim,
    is_abandoned,
    move_no_clobber,
    parse_temp,
    release,
    temp_name,
)
from flashcards.storage.backup_rotation import NAME_RE, rotate_backups
from flashcards.storage.backups import QUICK_CHECKED, check_and_name
from flashcards.storage.files import backup_dir


@dataclass
class Finished:
    """What `finish_pending` did."""

    named: list[Path] = field(default_factory=list)  # backups checked and named
    deleted: list[Path] = field(default_factory=list)  # copies cut off, or that failed the check
    problems: list[str] = field(default_factory=list)  # one line for each failed check
    stopped: bool = False  # stopped before the end: the rest waits for the next start


class WaitingCopy(NamedTuple):
    """A temporary file of one of this collection's backups, and what becomes of it."""

    path: Path
    final: Path  # the name it gets once checked
    state: str  # "unchecked" (the next start checks it), "in progress", "abandoned"


def waiting_copies(db_path: Path) -> list[WaitingCopy]:
    """Every temporary file of this collection's backups (`flashcards backup --list` shows them:
    a copy waiting for its check is not a backup yet, and a person should see why)."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        parsed = parse_temp(path)
        if parsed is None:
            continue
        final, pid, state = parsed
        match = NAME_RE.match(final.name)
        if match is None or match["stem"] != db_path.stem or not path.is_file():
            continue
        if state in (PARTIAL, CHECKING):
            state = "abandoned" if is_abandoned(path, pid) else "in progress"
        found.append(WaitingCopy(path, final, state))
    return found


def pending(db_path: Path) -> list[Path]:
    """The temporary files of this collection's backups that no live process is working on."""
    return [c.path for c in waiting_copies(db_path) if c.state != "in progress"]


def finish_pending(db_path: Path, stop: StopSignal | None = None) -> Finished:
    """Delete the cut-off copies among `pending(db_path)`, check and name the complete ones."""
    done = Finished()
    for path in pending(db_path):
        if stop is not None and stop.stopped:
            done.stopped = True
            break
        parsed = parse_temp(path)
        assert parsed is not None
        final, _pid, state = parsed
        if state == PARTIAL:  # with the rollback journal SQLite keeps beside it while copying
            for part in (path, path.with_name(f"{path.name}-journal")):
                with contextlib.suppress(FileNotFoundError):
                    part.unlink()
                    done.deleted.append(part)
            continue
        mine = temp_name(final, CHECKING)
        claim(mine)  # check_and_name releases it
        try:
            moved = move_no_clobber(path, mine)
        except FileNotFoundError:
            moved = False
        if not moved:  # taken meanwhile by another process
            release(mine)
            continue
        reason = NAME_RE.match(final.name)
        assert reason is not None
        try:
            named = check_and_name(
                db_path, mine, final, quick=reason["reason"] in QUICK_CHECKED, stop=stop
            )
        except BackupStopped:
            done.stopped = True
            break
        except UserError as exc:  # damaged (the copy is deleted), or it could not be named
            done.problems.append(str(exc))
            done.deleted.append(path)
            continue
        rotate_backups(db_path, keep=named)
        done.named.append(named)
    return done
