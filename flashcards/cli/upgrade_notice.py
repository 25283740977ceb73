"""What a command says on stderr while it upgrades an older collection before doing its work.

Opening a collection of an older schema backs it up and runs the schema steps it lacks: seconds
at 100,000 cards, minutes at a million. Without a word the command looks hung. So the first
event of an upgrade prints one line on stderr ("flashcards: upgrading the collection at PATH
(schema 5 → 8), backing up first…"); on a terminal a second line then shows the stage and
its percentage, rewritten in place, and ends with the time taken. Not on a terminal (a pipe,
a log), the one line is all: stdout, where `--json` writes, is never touched.
"""

from __future__ import annotations

import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TextIO

from flashcards.sanitize import clean_line
from flashcards.storage.backups import UPGRADE_STAGES
from flashcards.storage.location import display_location
from flashcards.storage.upgrade_progress import UpgradeProgress, UpgradeReporter

CLEAR_LINE = "\r\x1b[K"


def upgrade_line(where: str, event: UpgradeProgress, backup: bool) -> str:
    """The line that says an upgrade starts (before the wait)."""
    first = ", backing up first…" if backup else "…"
    return (
        f"flashcards: upgrading the collection at {clean_line(where)} "
        f"(schema {event.source} → {event.target}){first}"
    )


def stage_line(event: UpgradeProgress, seconds: float) -> str:
    """`  stage 2 of 5: checking the backup  45 %  (3 s)`; no percentage when unknown."""
    share = "" if event.fraction is None else f"  {int(event.fraction * 100):3d} %"
    return f"  stage {event.stage} of {event.stages}: {event.label}{share}  ({seconds:.0f} s)"


class UpgradeNotice:
    """The callback an `UpgradeReporter` calls: the line, then the progress on a terminal."""

    def __init__(self, where: str, stream: TextIO | None = None) -> None:
        self.where = where
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty()
        self.started: float | None = None
        self.line_open = False  # a progress line without its newline yet

    def __call__(self, event: UpgradeProgress) -> None:
        now = time.monotonic()
        if self.started is None:
            self.started = now
            backup = event.label in UPGRADE_STAGES  # the backup's stages come first
            self.stream.write(upgrade_line(self.where, event, backup) + "\n")
            self.stream.flush()
        if not self.tty:
            return
        seconds = now - self.started
        if event.finished:
            self.stream.write(f"{CLEAR_LINE}  upgraded in {seconds:.1f} s\n")
        else:
            width = shutil.get_terminal_size((80, 24)).columns - 1
            self.stream.write(CLEAR_LINE + stage_line(event, seconds)[:width])
        self.line_open = not event.finished
        self.stream.flush()

    def close(self) -> None:
        """End a progress line an upgrade that failed or was stopped left open, so the
        error the command prints next starts a line of its own."""
        if self.line_open:
            self.stream.write("\n")
            self.stream.flush()
            self.line_open = False


@contextmanager
def upgrade_notice(target: str) -> Iterator[UpgradeReporter]:
    """A reporter for opening the collection at `target` from a command, in the block that
    opens it (see the module docstring).

    In the block, ctrl+c during an upgrade stops it (`UpgradeReporter.stop`: the step running
    is rolled back, the command says so). A KeyboardInterrupt would not do: raised inside
    SQLite's progress handler, the sqlite3 module swallows it and the statement fails as
    "interrupted", which the backup's check then read as damage. Outside an upgrade, ctrl+c
    interrupts as ever.
    """
    notice = UpgradeNotice(display_location(target))
    reporter = UpgradeReporter(notice)

    def interrupted(signum: int, frame: FrameType | None) -> None:
        if not reporter.stage_labels:  # no upgrade under way
            raise KeyboardInterrupt
        reporter.stop()

    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, interrupted) if main else None
    try:
        yield reporter
    finally:
        if main:
            signal.signal(signal.SIGINT, previous)
        notice.close()
