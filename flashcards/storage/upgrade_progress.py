"""Progress of a collection's upgrade (its backup, then the schema steps), told to a callback.

Opening a collection of an older schema backs it up (copy, then check) and runs the steps it
lacks: at 100,000 cards about 14 s, at 1,000,000 up to two and a half minutes. Storage knows
nothing of who listens: the TUI's upgrade screen and the CLI's line on stderr each pass a
callback that receives `UpgradeProgress` events, from the thread that runs the upgrade.

The stages are planned before the first one starts, so the first event already says "stage 1
of 5". A stage's fraction comes from what it can count: pages copied (the backup), cards
indexed (the search index), or, for one long SQL statement, SQLite's virtual-machine steps
(`sqlite3.Connection.set_progress_handler`) against an estimate, held below 100 % until the
statement returns. A stage that cannot be estimated reports None (the listener shows it is
alive, not how far it is). Events are thinned to one per whole percent or per `EVERY` seconds.

`stop()` (any thread) ends the upgrade at the next check: the statement running is interrupted,
its step's transaction rolls back, and `UpgradeStopped` names the schema the collection is left
at; each finished step is committed, so the next open goes on from there. A ctrl+c that lands
in the progress handler does the same (a KeyboardInterrupt raised there would be swallowed by
the sqlite3 module and reported as an "interrupted" database error).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from flashcards.errors import UserError

TICK_OPS = 200_000
"""SQLite virtual-machine steps between two calls of the progress handler (~20 ms of work)."""
EVERY = 0.1
"""Seconds after which an event is sent even when the percentage did not move (a heartbeat)."""


@dataclass(frozen=True)
class UpgradeProgress:
    """Where an upgrade is: stage `stage` of `stages`, `fraction` of it done (None: unknown)."""

    source: int  # the schema version the collection had
    target: int  # the version it is brought to
    stage: int  # 1-based
    stages: int
    label: str  # what the stage does, e.g. "building the search index"
    fraction: float | None

    @property
    def finished(self) -> bool:
        """The last stage has ended: the collection is at `target`."""
        return self.stage == self.stages and self.fraction == 1.0

    @property
    def overall(self) -> float:
        """The share of the stages done, counting each stage as one (for a single bar)."""
        return (self.stage - 1 + (self.fraction or 0.0)) / self.stages


ProgressCallback = Callable[[UpgradeProgress], None]


class UpgradeStopped(UserError):
    """The upgrade was stopped on request; the collection is at a step it can be opened from."""


class UpgradeReporter:
    """Turns an upgrade's stages and counts into `UpgradeProgress` events for `callback`.

    `before` are the labels of the stages the `before_migration` hook runs (the backup's),
    planned ahead of the schema steps.
    """

    def __init__(self, callback: ProgressCallback, before: tuple[str, ...] = ()) -> None:
        self.callback = callback
        self.before = before
        self._labels: list[str] = []
        self._source = self._target = 0
        self._stage = 0
        self._finished = 0  # stages completed
        self._sent: tuple[int, int | None] | None = None  # (stage, whole percent) last sent
        self._sent_at = 0.0
        self._fraction: float | None = None  # the running stage's, as last reported
        self._stop = threading.Event()

    # -- what the upgrade calls --------------------------------------------------------------

    def plan(self, source: int, target: int, steps: list[str]) -> None:
        """The upgrade from `source` to `target` is about to start: the hook's stages, then
        `steps` (one label per schema step)."""
        self._source, self._target = source, target
        self._labels = [*self.before, *steps]

    @contextmanager
    def stage(self, index: int) -> Iterator[UpgradeReporter]:
        """Stage `index` (0-based in the plan) runs in the block: 0 % at its start, 100 % at
        its end (not when the block raises)."""
        self.check()
        self._stage = index + 1
        self._fraction = None
        self._emit(0.0, force=True)
        yield self
        self._finished = index + 1  # a step's stage ends once its transaction is committed
        self._emit(1.0, force=True)

    def advance(self, fraction: float | None) -> None:
        """The running stage is `fraction` done (None: unknown; 100 % only once it has ended,
        at most 99 % here); raises `UpgradeStopped` once `stop()` was called."""
        self.check()
        self._fraction = None if fraction is None else min(max(fraction, 0.0), 0.99)
        self._emit(self._fraction)

    @contextmanager
    def ticking(self, conn: sqlite3.Connection, expected_ops: int | None = None) -> Iterator[None]:
        """SQL run on `conn` in the block reports progress every `TICK_OPS` steps: the share of
        `expected_ops` (kept under 99 %), or None without an estimate. A stop interrupts it."""
        ticks = 0
        failure: BaseException | None = None  # the callback's own (a bug): raised, not lost

        def handler() -> int:
            nonlocal ticks, failure
            try:
                ticks += 1
                if self._stop.is_set():
                    return 1
                if expected_ops:
                    self._emit(min(ticks * TICK_OPS / expected_ops, 0.99))
                else:  # a heartbeat: the stage's own count (if any) says how far it is
                    self._emit(self._fraction)
            except KeyboardInterrupt:  # ctrl+c: stop the statement, then say so (see above)
                self._stop.set()
                return 1
            except BaseException as exc:
                failure = exc
                return 1
            return 0

        conn.set_progress_handler(handler, TICK_OPS)
        try:
            yield
        except BaseException:  # a statement interrupted by a stop: say that, not "interrupted"
            self.check()
            if failure is not None:
                raise failure from None
            raise
        finally:
            conn.set_progress_handler(None, 0)
        if failure is not None:  # a statement that swallowed its interruption (integrity_check)
            raise failure

    @property
    def stage_labels(self) -> tuple[str, ...]:
        """The planned stages' labels, in order (empty before `plan`)."""
        return tuple(self._labels)

    def stop(self) -> None:
        """Ask the upgrade to end at its next check (thread-safe)."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def check(self) -> None:
        """Raise `UpgradeStopped` once a stop was asked for."""
        if self._stop.is_set():
            done = self._source + max(0, self._finished - len(self.before))
            left = (
                f"unchanged (schema {done})"
                if done == self._source
                else f"left at schema {done}, the finished steps kept"
            )
            raise UpgradeStopped(
                f"the upgrade was stopped: the collection is {left}; the upgrade goes on "
                "the next time it is opened"
            )

    # -- sending ----------------------------------------------------------------------------

    def _emit(self, fraction: float | None, force: bool = False) -> None:
        percent = None if fraction is None else int(fraction * 100)
        now = time.monotonic()
        if not force and self._sent == (self._stage, percent) and now - self._sent_at < EVERY:
            return
        self._sent, self._sent_at = (self._stage, percent), now
        label = self._labels[self._stage - 1] if self._labels else ""
        self.callback(
            UpgradeProgress(
                self._source,
                self._target,
                self._stage,
                len(self._labels),
                label,
                fraction,
            )
        )


_ACTIVE: ContextVar[UpgradeReporter | None] = ContextVar("upgrade_reporter", default=None)
"""The reporter of the upgrade running in this thread, for the steps' own loops (a step's
`migrate(db)` takes no more than the database: steps are frozen)."""


def active() -> UpgradeReporter | None:
    """The running upgrade's reporter, or None outside an upgrade."""
    return _ACTIVE.get()


@contextmanager
def reporting(reporter: UpgradeReporter | None) -> Iterator[None]:
    """Make `reporter` the `active()` one for the block."""
    token = _ACTIVE.set(reporter)
    try:
        yield
    finally:
        _ACTIVE.reset(token)
