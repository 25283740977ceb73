"""The screen shown while an older collection is backed up and upgraded (`UpgradeStart`).

It paints at once, opens the collection in a thread worker (the event loop keeps drawing and
taking keys), and lists the stages the storage layer reports (upgrade_progress.py): the
backup's copy and check, then each schema step, the running one with its percentage where it
can be counted, a bar over all of them and the seconds gone. It answers `dismiss()` with the
opened collection (`Opened`), or with the `UserError` that stopped it (the app ends with it).

q, escape, ctrl+c and ctrl+q stop the upgrade, and that is safe, so the screen says so: each
step runs in one transaction, so the one running is rolled back and the finished ones are
kept; a backup being made is written under a temporary name and deleted. The collection opens
as before from the schema it was left at, and the next open goes on with the upgrade. (A kill
at any moment leaves the same: SQLite rolls an unfinished transaction back on the next open.)
"""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, ProgressBar, Static
from textual.worker import Worker, WorkerState

from flashcards.errors import UserError
from flashcards.sanitize import clean_line
from flashcards.storage.upgrade_progress import UpgradeProgress, UpgradeReporter
from flashcards.ui.upgrade_start import Opened, UpgradeStart

PAINTS = 4
"""Times a second the screen shows what the upgrade reported (see `_heard`)."""
STOP_HINT = (
    "Stopping is safe: the step running is undone, the finished ones are kept, "
    "and the upgrade goes on the next time you open the collection."
)


class UpgradeScreen(Screen[Opened | UserError]):
    """Upgrading the collection, stage by stage (see the module docstring)."""

    BINDINGS = [
        Binding("q", "stop", "Stop the upgrade", id="upgrade.stop"),
        Binding("escape", "stop", show=False),
        Binding("ctrl+c", "stop", show=False, priority=True),
        Binding("ctrl+q", "stop", show=False, priority=True),
    ]

    def __init__(self, start: UpgradeStart, timer: Callable[[], float] = time.monotonic) -> None:
        """`timer` gives the seconds shown (a fixed one in tests: stable snapshots)."""
        super().__init__()
        self.start = start
        self.reporter = UpgradeReporter(self._heard)
        self.heard: UpgradeProgress | None = None  # the latest event, set by the worker
        self.timer = timer
        self.started = timer()
        self.last: UpgradeProgress | None = None
        self.stopping = False
        self.status = ""  # the status line as shown
        self.ready = False  # no help or palette over it: they would read the collection

    def _heard(self, event: UpgradeProgress) -> None:
        """The reporter's callback, in the worker thread: it only keeps the event, which the
        screen reads `PAINTS` times a second. A message per event had the screen repaint
        ~100 times during an upgrade of 100,000 cards, ~0.9 s of CPU taken from the upgrade
        on a busy machine; the upgrade never waits on the UI."""
        self.heard = event

    def compose(self) -> ComposeResult:
        with Vertical(id="upgrade"):
            yield Static("Upgrading your collection to the new version…", id="upgrade-title")
            where = Text(clean_line(self.start.where))
            where.append(f"  (schema {self.start.source} → {self.start.target})")
            yield Static(where, id="upgrade-where")
            yield Static(Text("Backing up first…"), id="upgrade-stages")
            yield ProgressBar(total=100, show_eta=False, id="upgrade-bar")
            yield Static(id="upgrade-status")
            yield Static(STOP_HINT, id="upgrade-hint")
        yield Footer()

    def on_mount(self) -> None:
        self._show_status()
        self.set_interval(1 / PAINTS, self._show_progress)
        self.run_worker(self._open, thread=True, name="upgrade")

    def _open(self) -> Opened | UserError:
        """In the worker thread: the collection, opened and upgraded; a user's error as a
        value (a bug still raises, and Textual shows its traceback)."""
        try:
            return self.start.open(self.reporter)
        except UserError as exc:
            return exc

    def _show_progress(self) -> None:
        """What the worker last heard, if it is new; the seconds, if they moved."""
        event = self.heard
        if event is not None and event != self.last:
            self.last = event
            self._show_stages(event)
            self.query_one("#upgrade-bar", ProgressBar).update(progress=100 * event.overall)
        self._show_status()

    def _show_stages(self, event: UpgradeProgress) -> None:
        """One line a stage: ✓ done, ▸ running (with its percentage), blank to come."""
        labels = self.reporter.stage_labels
        lines = Text()
        for number, label in enumerate(labels, start=1):
            if number < event.stage or event.finished:
                lines.append(f"✓ {label}\n", style="green")
            elif number == event.stage:
                share = "" if event.fraction is None else f"  {int(event.fraction * 100)} %"
                lines.append(f"▸ {label}{share}\n", style="bold")
            else:
                lines.append(f"  {label}\n", style="dim")
        lines.rstrip()
        self.query_one("#upgrade-stages", Static).update(lines)

    def _show_status(self) -> None:
        """`stage 2 of 5 · 12 s`, or what stopping does once asked."""
        seconds = self.timer() - self.started
        if self.stopping:
            text = f"Stopping: undoing the step that was running…  {seconds:.0f} s"
        elif self.last is None:
            text = f"Starting…  {seconds:.0f} s"
        else:
            text = f"Stage {self.last.stage} of {self.last.stages} · {seconds:.0f} s"
        if text != self.status:
            self.status = text
            self.query_one("#upgrade-status", Static).update(text)

    def action_stop(self) -> None:
        """Stop the upgrade at its next check; the worker then ends with `UpgradeStopped`."""
        if not self.stopping:
            self.stopping = True
            self.reporter.stop()
            self._show_status()

    def on_unmount(self) -> None:
        """Removed while the upgrade runs (the app ends another way): stop it, so the process
        does not wait, with the terminal given back, for an upgrade nobody sees."""
        self.reporter.stop()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name == "upgrade" and event.state == WorkerState.SUCCESS:
            self.dismiss(event.worker.result)
