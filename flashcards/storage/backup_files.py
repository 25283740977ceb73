"""A backup on its way to its name: the temporary files, stopping one, putting one in place.

A backup (storage/backups.py) is never written under its final name. Beside the final name
`<collection stem>-<stamp>-<reason>.db` it goes through, in its backups folder:

* `<final>.<pid>.partial`: process `pid` is copying the collection into it;
* `<final>.<pid>.checking`: the copy is complete (flushed to disk), `pid` is checking it;
* `<final>.<pid>.unchecked`: a complete copy whose check was stopped (the collection was
  closed meanwhile); nobody owns it, and the next start checks and names it
  (storage/pending_backups.py).

None of these ends in `.db`, so none is ever listed as a backup, rotated, or offered to restore.
A `partial` or `checking` file whose process is gone was cut off (a kill, a crash): the copy of
a `partial` is incomplete and is deleted, a `checking` one is complete and is checked as an
`unchecked` one is. The process id tells a live owner from a dead one on this machine; a
process's own files are told apart by `claim`/`release`, since a new process may be given the id
of an old one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

PARTIAL, CHECKING, UNCHECKED = "partial", "checking", "unchecked"
STEP_PAGES = 1024
"""Pages the backup API copies at a time (4 MiB of a 4 KiB-page collection): between two steps a
copy can be stopped, so closing the collection waits for one step at most."""

_TEMP_RE = re.compile(r"^(?P<final>.+\.db)\.(?P<pid>\d+)\.(?P<state>partial|checking|unchecked)$")
_OWN: set[Path] = set()  # the temporary files this process is writing or checking
_OWN_LOCK = threading.Lock()


class BackupStopped(Exception):
    """A backup was stopped before its name (`StopSignal`); `left` is its complete, unchecked
    copy kept for the next start, or None when the copy was cut off and deleted."""

    def __init__(self, left: Path | None) -> None:
        super().__init__("the backup was stopped")
        self.left = left


class StopSignal:
    """Asks a backup running in another thread to stop: between two steps of its copy, or by
    interrupting its check. `stop()` may be called again and again until the thread has ended
    (an interrupt that reaches SQLite between two statements is lost)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._conn: sqlite3.Connection | None = None

    @property
    def stopped(self) -> bool:
        """Has `stop()` been called?"""
        return self._stopped.is_set()

    def wait(self, timeout: float) -> bool:
        """Wait until `stop()` is called (at most `timeout` seconds); whether it was."""
        return self._stopped.wait(timeout)

    def stop(self) -> None:
        """Stop the copy at its next step, or interrupt the check now."""
        with self._lock:
            self._stopped.set()
            if self._conn is not None:
                with contextlib.suppress(sqlite3.ProgrammingError):  # closed meanwhile
                    self._conn.interrupt()

    @contextlib.contextmanager
    def interrupting(self, conn: sqlite3.Connection) -> Iterator[None]:
        """`stop()` interrupts `conn` while the block runs."""
        with self._lock:
            self._conn = conn
        try:
            yield
        finally:
            with self._lock:
                self._conn = None


def temp_name(final: Path, state: str, pid: int | None = None) -> Path:
    """The temporary file of `final` in `state`, owned by `pid` (this process by default)."""
    return final.with_name(f"{final.name}.{os.getpid() if pid is None else pid}.{state}")


def parse_temp(path: Path) -> tuple[Path, int, str] | None:
    """(final name, pid, state) of a backup's temporary file; None for any other file."""
    match = _TEMP_RE.match(path.name)
    if match is None:
        return None
    return path.with_name(match["final"]), int(match["pid"]), match["state"]


def claim(path: Path) -> None:
    """This process writes or checks `path` now: `is_abandoned` never says so of it."""
    with _OWN_LOCK:
        _OWN.add(path)


def release(path: Path) -> None:
    """This process is done with `path` (moved, named or deleted)."""
    with _OWN_LOCK:
        _OWN.discard(path)


def is_abandoned(path: Path, pid: int) -> bool:
    """Is the process that wrote this temporary file gone (or is it this one, not using it)?"""
    if pid == os.getpid():
        with _OWN_LOCK:
            return path not in _OWN
    if os.name == "nt":  # os.kill there would end the process, not test it: leave the file
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OSError):
        return False  # alive, someone else's; or we cannot tell: leave it
    return False


def move_no_clobber(source: Path, dest: Path) -> bool:
    """Rename `source` to `dest` unless `dest` exists (False then; nothing moved).

    A hard link fails on an existing name, where `os.replace` would overwrite it: no backup is
    ever replaced, even by two processes naming one at the same moment.
    """
    try:
        os.link(source, dest)
    except FileExistsError:
        return False
    except OSError as exc:  # a file system without hard links: the next best check
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
            raise
        if dest.exists():
            return False
        os.rename(source, dest)
        return True
    os.unlink(source)
    return True
